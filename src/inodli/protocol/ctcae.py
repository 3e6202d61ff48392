"""NCI CTCAE v5.0 grades from a measured value (laboratory terms and QTc).

``ctcae_grade("ALT", 210, uln=40)`` grades one value against ``rules/ctcae_v5_labs.toml``.
The table keeps CTCAE's wording beside each structured row; this module only interprets it.
Baseline-dependent terms follow CTCAE (and admiral's reading of it): ALT, AST, bilirubin,
ALP and GGT are graded against multiples of the baseline when the baseline is above ULN;
creatinine takes the worse of its x ULN and x baseline criteria. When a value cannot decide
the grade (hyperglycemia; hyponatremia 125-129; hypokalemia <LLN-3.0) the result lists the
possible grades and asks the clinician instead of guessing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from inodli.errors import InputError
from inodli.protocol._counts import count_limit
from inodli.protocol._thresholds import as_number
from inodli.protocol.ctcae_table import (
    GradeRow,
    LabTerm,
    lab_term_index,
    list_ctcae_lab_terms,
    name_key,
)
from inodli.protocol.ctcae_units import normalise_unit, to_decimal, unit_group

__all__ = [
    "CtcaeGrade",
    "GradeRow",
    "LabGradeSuggestions",
    "LabTerm",
    "ctcae_grade",
    "list_ctcae_lab_terms",
    "suggest_lab_grades",
]


# Blood-count terms and their plausibility limit in plausible_counts.toml.
_COUNT_KINDS = {
    "neutrophil_count_decreased": "anc",
    "platelet_count_decreased": "platelets",
    "white_blood_cell_decreased": "wbc",
    "lymphocyte_count_decreased": "lymphocytes",
}


@dataclass(frozen=True)
class CtcaeGrade:
    """A CTCAE v5.0 grade with the text that decided it.

    ``grade`` is None when the value alone cannot decide; ``possible_grades`` then lists the
    candidates and ``needs_clinician`` is true.
    """

    term: str
    grade: int | None
    possible_grades: tuple[int, ...]
    needs_clinician: bool
    reason: str
    direction: str
    ctcae_text: str
    value: float
    unit: str

    def __str__(self) -> str:
        shown = "?" if self.grade is None else str(self.grade)
        flag = " (clinician to confirm)" if self.needs_clinician else ""
        return f"{self.term}: grade {shown}{flag}. {self.reason}"


def _optional(value: Any, field: str, *, positive: bool = False) -> float | None:
    if value is None:
        return None
    if positive:
        # One message for 0 and for negatives: a reference limit must be > 0.
        number = as_number(value, field)
        if number <= 0:
            raise InputError(field, "a number > 0", value)
        return number
    return as_number(value, field, low=0.0)


def ctcae_grade(
    term: str,
    value: float,
    *,
    lln: float | None = None,
    uln: float | None = None,
    baseline: float | None = None,
    unit: str | None = None,
) -> CtcaeGrade:
    """Grade one measured value by CTCAE v5.0.

    Parameters
    ----------
    term : str
        A CTCAE term ("Blood bilirubin increased"), its key, an alias ("ALT", "ANC",
        "platelets", "QTc") or an analyte with two terms ("potassium": hypo- or hyperkalemia).
    value : float
        The result, in ``unit``.
    lln, uln : float, optional
        Local reference range, same unit as ``value``; required where the grade needs them.
    baseline : float, optional
        The patient's baseline value (same unit) for the baseline-dependent terms.
    unit : str, optional
        The unit of all numbers; default the term's own (see ``list_ctcae_lab_terms``).

    Returns
    -------
    CtcaeGrade

    Raises
    ------
    InputError
        Unknown term or unit, non-numeric or negative values, or a reference limit that the
        grade needs but was not given.

    References
    ----------
    .. [1] NCI CTEP. Common Terminology Criteria for Adverse Events v5.0 (27 Nov 2017).
    .. [2] pharmaverse admiral, vignettes/lab_grading.Rmd (baseline-dependent criteria).

    Examples
    --------
    >>> ctcae_grade("ALT", 210, uln=40).grade
    3
    >>> ctcae_grade("sodium", 127, lln=135, uln=145).possible_grades
    (2, 3)
    """
    terms, names, analytes = lab_term_index()
    if not isinstance(term, str) or not term.strip():
        raise InputError("term", "a CTCAE term name or alias", term)
    number = as_number(value, "value", low=0.0)
    low = _optional(lln, "lln", positive=True)
    high = _optional(uln, "uln", positive=True)
    base = _optional(baseline, "baseline")
    if low is not None and high is not None and low >= high:
        raise InputError("lln", f"a number below uln ({high:g})", lln)
    key = name_key(term)
    if key in analytes:
        chosen = _choose_direction(analytes[key], number, low, high)
        if isinstance(chosen, CtcaeGrade):
            return chosen
        key = chosen
    if key not in names:
        raise InputError("term", "a CTCAE lab term or alias (see list_ctcae_lab_terms())", term)
    return _grade(terms[names[key]], number, low, high, base, unit)


def _choose_direction(
    analyte: Mapping[str, str], value: float, lln: float | None, uln: float | None
) -> str | CtcaeGrade:
    name = analyte["analyte"]
    if lln is None or uln is None:
        raise InputError(
            "lln/uln", f"both reference limits to tell low from high {name}", (lln, uln)
        )
    if value < lln:
        return analyte["low"]
    if value > uln:
        if "high" in analyte:
            return analyte["high"]
        not_graded = analyte["high_not_graded"]
        return CtcaeGrade(
            not_graded,
            None,
            (),
            True,
            f"{name} {value:g} > ULN {uln:g}: {not_graded} is not in inodli's CTCAE table; "
            "grade it by hand",
            "high",
            "",
            value,
            "",
        )
    return CtcaeGrade(
        f"{name} (within reference range)",
        0,
        (0,),
        False,
        f"{name} {value:g} within {lln:g}-{uln:g}",
        "none",
        "",
        value,
        "",
    )


def _grade(
    term: LabTerm,
    value: float,
    lln: float | None,
    uln: float | None,
    baseline: float | None,
    unit: str | None,
) -> CtcaeGrade:
    shown_unit = term.unit if unit is None else unit
    rows = term.rows_by_unit.get(normalise_unit(shown_unit)) if unit is not None else None
    factor = Decimal(1) if rows is not None else unit_group(term.key).factor(shown_unit)
    rows = term.rows if rows is None else rows

    def conv(x: float | None) -> Decimal | None:
        return None if x is None else to_decimal(x) * factor

    refs = {"lln": conv(lln), "uln": conv(uln), "baseline": conv(baseline)}
    x = conv(value)
    assert x is not None

    def done(
        grade: int | None, possible: tuple[int, ...], needs: bool, reason: str, text: str = ""
    ) -> CtcaeGrade:
        return CtcaeGrade(
            term.name, grade, possible, needs, reason, term.direction, text, value, shown_unit
        )

    shown = f"{value:g} {shown_unit}"
    if factor != 1:
        shown = f"{shown} (= {x.normalize():f} {term.unit})"
    if term.key in _COUNT_KINDS:
        limit = count_limit(_COUNT_KINDS[term.key])
        if x > Decimal(repr(limit)):
            # 800 neutrophils/mm3 typed as 800 x 10^9/L would grade 0 instead of 3.
            raise InputError(
                "value",
                f"a count <= {limit:g} x 10^9/L (for a count per mm3 or uL, give the unit /mm3)",
                value,
            )
    if not term.lab_gradable:
        if refs["uln"] is not None and x <= refs["uln"]:
            return done(0, (0,), False, f"{shown} is not above ULN {uln:g}: no {term.name}")
        return done(
            None,
            (1, 2, 3, 4),
            True,
            f"{term.name} is not graded by a lab value in CTCAE v5.0; {term.clinician}",
        )

    basis = "absolute thresholds"
    notes = []
    if term.baseline_rule == "abnormal_baseline_switch":
        if refs["uln"] is None:
            raise InputError(
                "uln", f"the upper limit of normal (needed to grade {term.name})", None
            )
        if refs["baseline"] is not None and refs["baseline"] > refs["uln"]:
            rows, basis = (
                term.abnormal_baseline_rows,
                f"baseline {baseline:g} > ULN: graded x baseline",
            )
        else:
            basis = "graded x ULN" + (
                f" (baseline {baseline:g} normal)"
                if baseline is not None
                else " (no baseline given: taken as normal)"
            )
    elif term.baseline_rule == "worse_of":
        if refs["baseline"] is None and any(row.uses_baseline for row in rows):
            notes.append("no baseline given: the x baseline criteria were not applied")
        elif refs["baseline"] is not None:
            basis = "worse of the value and change-from-baseline criteria"

    for row in rows:
        state = _row_state(row, x, refs)
        if state is None:
            missing = next(
                b.ref
                for b in (row.lower, row.upper)
                if b is not None and b.ref in ("lln", "uln") and refs[b.ref] is None
            )
            raise InputError(
                missing,
                f"the {missing.upper()} (needed to decide '{row.text}' for {term.name})",
                None,
            )
        if not state:
            continue
        text = f"CTCAE v5.0 {term.name}: '{row.text}'"
        reason = "; ".join([f"{shown}, {basis}", text, *notes])
        if len(row.grades) > 1:
            return done(None, row.grades, True, f"{reason}; {row.clinician}", row.text)
        grade = row.grades[0]
        if term.clinical_grades_text and grade == max(g for r in term.rows for g in r.grades):
            reason = f"{reason}; higher grades are clinical ({term.clinical_grades_text})"
        return done(grade, (grade,), False, reason, row.text)
    return done(
        0, (0,), False, "; ".join([f"{shown} meets no grade of {term.name} ({basis})", *notes])
    )


def _row_state(row: GradeRow, x: Decimal, refs: Mapping[str, Decimal | None]) -> bool | None:
    """True/False when the row decides; None when a needed LLN/ULN is missing.

    A missing baseline makes a baseline row simply not apply (its criteria are "or").
    """
    states: list[bool | None] = []
    for bound in (row.lower, row.upper):
        if bound is None:
            continue
        if bound.ref == "abs":
            states.append(bound.op.holds(x, bound.limit))
        elif bound.ref == "baseline_change":
            base = refs["baseline"]
            states.append(False if base is None else bound.op.holds(x - base, bound.limit))
        else:
            ref = refs[bound.ref]
            if ref is None:
                states.append(False if bound.ref == "baseline" else None)
            else:
                states.append(bound.op.holds(x, bound.limit * ref))
    if False in states:
        return False
    if None in states:
        return None
    return True


@dataclass(frozen=True)
class LabGradeSuggestions:
    """Suggested AE grades (grade >= 1 or needing a clinician) and results not gradable."""

    suggested: tuple[CtcaeGrade, ...]
    skipped: tuple[tuple[str, str], ...]  # (term as given, why)


def suggest_lab_grades(results: Iterable[Mapping[str, Any]]) -> LabGradeSuggestions:
    """Suggest CTCAE grades for a set of lab results (used by the EDC to prefill AE grades).

    Each result is a mapping with ``term`` and ``value`` and optionally ``lln``, ``uln``,
    ``baseline`` and ``unit``. Results at grade 0 are left out; results that cannot be graded
    (missing reference range, unknown term) are listed in ``skipped`` with the reason.
    The worst grades come first.
    """
    suggested, skipped = [], []
    for result in results:
        name = str(result.get("term", ""))
        try:
            graded = ctcae_grade(
                name,
                result.get("value"),  # type: ignore[arg-type]
                lln=result.get("lln"),
                uln=result.get("uln"),
                baseline=result.get("baseline"),
                unit=result.get("unit"),
            )
        except InputError as error:
            skipped.append((name, str(error)))
            continue
        if graded.needs_clinician or (graded.grade or 0) >= 1:
            suggested.append(graded)
    suggested.sort(
        key=lambda g: -(g.grade if g.grade is not None else max(g.possible_grades, default=0))
    )
    return LabGradeSuggestions(tuple(suggested), tuple(skipped))
