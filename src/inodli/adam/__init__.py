"""Analysis datasets of the trial (ADaM-style, pandas; never Django).

Input: :class:`RawStudy` (SDTM-like frames from the EDC extract or the synthetic generator).
Derivations, one per function, admiral-style: :mod:`inodli.adam.adsl`, :mod:`.adrs`,
:mod:`.adtte`, :mod:`.adae`. Exports: :mod:`.xport` (SAS XPORT v5), :mod:`.export`
(datasets and the data dictionary), :mod:`.ctgov` (results summary).
"""

from inodli.adam.adae import derive_adae
from inodli.adam.adrs import derive_adrs
from inodli.adam.adsl import derive_adsl
from inodli.adam.adtte import derive_adtte
from inodli.adam.ctgov import ctgov_summary, ctgov_text
from inodli.adam.export import analysis_datasets, export_datasets
from inodli.adam.raw import RawStudy, empty_frame
from inodli.adam.sdtm import sdtm_datasets
from inodli.adam.synthetic import synthetic_raw_study
from inodli.adam.xport import read_xport, write_xport

__all__ = [
    "RawStudy",
    "analysis_datasets",
    "ctgov_summary",
    "ctgov_text",
    "derive_adae",
    "derive_adrs",
    "derive_adsl",
    "derive_adtte",
    "empty_frame",
    "export_datasets",
    "read_xport",
    "sdtm_datasets",
    "synthetic_raw_study",
    "write_xport",
]
