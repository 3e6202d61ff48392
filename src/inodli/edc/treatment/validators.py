"""Cross-field rules of the treatment forms, as classes testable without HTTP.

Each validator takes plain values and raises :class:`django.core.exceptions.ValidationError`
keyed by the form field the message belongs beside; nothing here computes a clinical value
(the computed dose, the decision and the eligibility come from ``inodli.protocol``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = [
    "AfterEnrolmentValidator",
    "DecisionOverrideValidator",
    "DliOverrideValidator",
    "DoseDifferenceValidator",
    "IntrathecalDoseValidator",
]


@dataclass(frozen=True)
class DoseDifferenceValidator:
    """A dispensed dose further than ``tolerance`` (a fraction) from the calculated one needs
    a reason.

    The tolerance is the protocol's (``inodli.protocol``), passed in by the service so that
    this class holds no clinical number of its own.
    """

    tolerance: Decimal

    def relative_difference(self, calculated_mg: Decimal, dispensed_mg: Decimal) -> Decimal:
        return abs(dispensed_mg - calculated_mg) / calculated_mg

    def __call__(self, calculated_mg: Decimal, dispensed_mg: Decimal | None, reason: str) -> None:
        if dispensed_mg is None or calculated_mg <= 0:
            return
        if dispensed_mg <= 0:
            raise ValidationError({"dispensed_mg": _("The dispensed dose must be more than 0 mg.")})
        difference = self.relative_difference(calculated_mg, dispensed_mg)
        if difference > self.tolerance and not reason.strip():
            raise ValidationError(
                {
                    "dose_difference_reason": _(
                        "The dispensed dose %(dispensed)s mg differs from the calculated "
                        "%(calculated)s mg by %(pct)s%%, more than the protocol's %(tol)s%%: "
                        "give the reason."
                    )
                    % {
                        "dispensed": dispensed_mg,
                        "calculated": calculated_mg,
                        "pct": f"{difference * 100:.1f}",
                        "tol": f"{self.tolerance * 100:g}",
                    }
                }
            )


@dataclass(frozen=True)
class AfterEnrolmentValidator:
    """Treatment is given only on or after enrolment (consent is checked by the base record)."""

    field: str

    def __call__(self, enrolled_on: dt.date | None, on: dt.date) -> None:
        if enrolled_on is None:
            raise ValidationError(
                {self.field: _("The subject is not enrolled: no treatment may be recorded.")}
            )
        if on < enrolled_on:
            raise ValidationError(
                {
                    self.field: _(
                        "This date (%(date)s) is before enrolment (%(enrolled)s): treatment "
                        "cannot be given before enrolment."
                    )
                    % {"date": on.isoformat(), "enrolled": enrolled_on.isoformat()}
                }
            )


@dataclass(frozen=True)
class DecisionOverrideValidator:
    """Giving a dose the protocol says to hold or stop needs the investigator's reason."""

    def __call__(self, decision: str, given: bool, reason: str) -> None:
        if given and decision != "give" and not reason.strip():
            raise ValidationError(
                {
                    "decision_override_reason": _(
                        "The protocol decision from the latest labs and adverse events is "
                        "'%(decision)s': give the reason for giving the dose."
                    )
                    % {"decision": decision}
                }
            )


@dataclass(frozen=True)
class DliOverrideValidator:
    """DLI while not eligible needs an explicit override with a reason."""

    def __call__(
        self, eligible: bool, failed: tuple[str, ...], override: bool, reason: str
    ) -> None:
        if eligible:
            return
        if not override:
            raise ValidationError(
                {
                    "override": _(
                        "The subject is not eligible for DLI (%(failed)s). Tick the override and "
                        "give the reason to record the infusion anyway."
                    )
                    % {"failed": "; ".join(failed)}
                }
            )
        if not reason.strip():
            raise ValidationError(
                {"override_reason": _("An override of DLI eligibility needs a reason.")}
            )


@dataclass(frozen=True)
class IntrathecalDoseValidator:
    """Doses other than the protocol's fixed intrathecal doses need a reason."""

    protocol_doses_mg: dict[str, Decimal]

    def __call__(self, given_mg: dict[str, Decimal], reason: str) -> None:
        different = [
            name
            for name, dose in self.protocol_doses_mg.items()
            if given_mg.get(name) is not None and Decimal(given_mg[name]) != dose
        ]
        if different and not reason.strip():
            raise ValidationError(
                {
                    "dose_difference_reason": _(
                        "%(drugs)s differ from the protocol's doses: give the reason."
                    )
                    % {"drugs": ", ".join(different)}
                }
            )
