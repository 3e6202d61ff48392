"""The eligibility checklist, declared as data: each criterion with its source.

The trial record (NCT06861348) does not list formal inclusion and exclusion criteria; the ones
below are those its text and the InO label justify. A criterion is answered "yes", "no" or
"unknown"; a subject is eligible when every inclusion criterion is "yes" and every exclusion
criterion is "no" (:func:`evaluate`). Add a criterion by adding a row: forms, the enrolment
check and the demo follow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _

__all__ = ["ANSWERS", "CRITERIA", "Criterion", "EligibilityResult", "evaluate"]

ANSWERS = ("yes", "no", "unknown")


@dataclass(frozen=True)
class Criterion:
    code: str
    kind: Literal["inclusion", "exclusion"]
    text: Any  # lazily translated
    source: str


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "INC01",
        "inclusion",
        _("B-cell acute lymphoblastic leukaemia (B-ALL) or B-lymphoblastic lymphoma (LBL)"),
        "Trial record NCT06861348: 'patients with recurrent acute B-ALL/LBL after allo-HSCT'.",
    ),
    Criterion(
        "INC02",
        "inclusion",
        _("Relapse (haematological, molecular or extramedullary) after allogeneic HSCT"),
        "Trial record NCT06861348: title and design ('relapsed B-ALL/LBL after allo-HSCT').",
    ),
    Criterion(
        "INC03",
        "inclusion",
        _("Leukaemic blasts CD22-positive by flow cytometry"),
        "Trial record: InO is 'a CD22-targeted monoclonal antibody'; BESPONSA label indication: "
        "'relapsed or refractory CD22-positive B-cell precursor ALL' (clinical-facts section 1).",
    ),
    Criterion(
        "INC04",
        "inclusion",
        _("A stem-cell donor available for DLI, or the patient accepts InO without DLI"),
        "Trial record: 'InO combined with or without DLI'; DLI dose CD3+ 1x10^7/kg.",
    ),
    Criterion(
        "EXC01",
        "exclusion",
        _(
            "Current veno-occlusive disease / sinusoidal obstruction syndrome or other severe liver toxicity"
        ),
        "BESPONSA label, dose modifications: VOD/SOS or other severe liver toxicity -> "
        "permanently discontinue (clinical-facts section 1.4).",
    ),
    Criterion(
        "EXC02",
        "exclusion",
        _("Previous severe or life-threatening infusion reaction to inotuzumab ozogamicin"),
        "BESPONSA label, dose modifications: severe or life-threatening infusion-related "
        "reaction -> permanently discontinue (clinical-facts section 1.4).",
    ),
)


@dataclass(frozen=True)
class EligibilityResult:
    eligible: bool
    failed: tuple[Criterion, ...]
    unanswered: tuple[Criterion, ...]

    def __str__(self) -> str:
        if self.eligible:
            return "eligible"
        codes = [c.code for c in self.failed] + [f"{c.code}?" for c in self.unanswered]
        return "not eligible: " + ", ".join(codes)


def evaluate(answers: Mapping[str, str]) -> EligibilityResult:
    """Classify ``answers`` (criterion code -> yes/no/unknown); "unknown" is not yet eligible."""
    failed: list[Criterion] = []
    unanswered: list[Criterion] = []
    for criterion in CRITERIA:
        answer = answers.get(criterion.code, "unknown")
        if answer not in ("yes", "no"):
            unanswered.append(criterion)
        elif (criterion.kind == "inclusion") != (answer == "yes"):
            failed.append(criterion)
    return EligibilityResult(not failed and not unanswered, tuple(failed), tuple(unanswered))
