"""inodli: the InO +/- DLI Phase II trial (NCT06861348) as software.

Layers (data flows down): ``protocol`` (the protocol as code), ``edc`` (Django data
capture), ``adam`` (analysis datasets), ``stats`` (estimators and tests), ``design``
(Phase II designs and monitoring), ``report`` (tables, figures, study report).
Only ``edc`` imports Django.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("inodli")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
