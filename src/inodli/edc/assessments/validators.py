"""Cross-field rules of the assessment forms, as classes testable without HTTP.

Validators take plain values and raise :class:`django.core.exceptions.ValidationError` keyed by
the form field the message belongs beside. The response category itself is computed by
``inodli.protocol.response`` (see :mod:`.services`), never here.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .analytes import Analyte

__all__ = [
    "DeathDateValidator",
    "LabValueValidator",
    "MarrowValidator",
    "RangeValidator",
    "ResponseOverrideValidator",
]


@dataclass(frozen=True)
class RangeValidator:
    """A number within a closed range, with the message beside ``field``."""

    field: str
    low: float
    high: float
    unit: str = ""

    def __call__(self, value: float | None) -> None:
        if value is None:
            return
        if not math.isfinite(value) or not self.low <= value <= self.high:
            unit = f" {self.unit}" if self.unit else ""
            raise ValidationError(
                {
                    self.field: _(
                        "Expected a value from %(low)s to %(high)s%(unit)s, got %(value)s."
                    )
                    % {
                        "low": f"{self.low:g}",
                        "high": f"{self.high:g}",
                        "unit": unit,
                        "value": value,
                    }
                }
            )


@dataclass(frozen=True)
class LabValueValidator:
    """A lab value within the analyte's plausible range, and LLN < ULN when both are given."""

    analyte: Analyte

    def __call__(self, value: float, lln: float | None, uln: float | None) -> None:
        code = self.analyte.code
        RangeValidator(
            code, self.analyte.plausible_min, self.analyte.plausible_max, self.analyte.unit
        )(value)
        for suffix, limit in (("lln", lln), ("uln", uln)):
            RangeValidator(f"{code}_{suffix}", 0, self.analyte.plausible_max, self.analyte.unit)(
                limit
            )
        if lln is not None and uln is not None and lln >= uln:
            raise ValidationError(
                {f"{code}_uln": _("The upper limit of normal must be above the lower limit.")}
            )


@dataclass(frozen=True)
class MarrowValidator:
    """Blast % and cellularity in 0-100; MRD done needs its level (0 when not detected) and the
    assay's sensitivity; MRD not done has neither."""

    def __call__(
        self,
        blast_pct: float,
        cellularity_pct: float | None,
        mrd_method: str,
        mrd_level_pct: float | None,
        mrd_sensitivity_pct: float | None,
    ) -> None:
        RangeValidator("blast_pct", 0, 100, "%")(blast_pct)
        RangeValidator("cellularity_pct", 0, 100, "%")(cellularity_pct)
        RangeValidator("mrd_level_pct", 0, 100, "%")(mrd_level_pct)
        if mrd_method == "not_done":
            if mrd_level_pct is not None or mrd_sensitivity_pct is not None:
                raise ValidationError(
                    {"mrd_method": _("An MRD level or sensitivity is given: name the method.")}
                )
            return
        if mrd_level_pct is None:
            raise ValidationError(
                {"mrd_level_pct": _("Enter the MRD level (0 when not detected).")}
            )
        if mrd_sensitivity_pct is None:
            raise ValidationError(
                {
                    "mrd_sensitivity_pct": _(
                        "An MRD result needs the assay's sensitivity (e.g. 0.01%)."
                    )
                }
            )
        if not 0 < mrd_sensitivity_pct < 100:
            raise ValidationError(
                {
                    "mrd_sensitivity_pct": _(
                        "The sensitivity is a percentage above 0 and below 100 (e.g. 0.01)."
                    )
                }
            )


@dataclass(frozen=True)
class ResponseOverrideValidator:
    """An investigator's category other than the computed one needs a reason."""

    def __call__(self, computed: str, investigator: str, reason: str) -> None:
        if investigator != computed and not reason.strip():
            raise ValidationError(
                {
                    "override_reason": _(
                        "The protocol classifies these values as %(computed)s; give the reason "
                        "for recording %(chosen)s instead."
                    )
                    % {"computed": computed, "chosen": investigator}
                }
            )


@dataclass(frozen=True)
class DeathDateValidator:
    """A death cannot precede anything already recorded for the subject alive.

    ``later_records`` are (description, date) pairs of the subject's other records.
    """

    def __call__(self, died_on: dt.date, later_records: list[tuple[str, dt.date]]) -> None:
        after = sorted((when, what) for what, when in later_records if when > died_on)
        if after:
            when, what = after[-1]
            raise ValidationError(
                {
                    "died_on": _(
                        "The date of death (%(died)s) is before a recorded %(what)s on "
                        "%(when)s: correct the date of death or that record first."
                    )
                    % {"died": died_on.isoformat(), "what": what, "when": when.isoformat()}
                }
            )
