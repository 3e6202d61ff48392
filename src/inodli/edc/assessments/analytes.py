"""The laboratory analytes the case report form collects, with units and plausible ranges.

Plausible ranges reject typing errors (a platelet count of 15000 x10^9/L) before anything is
saved; they are deliberately wide and are not reference ranges. The local reference range
(LLN/ULN) is entered with every result because each site's laboratory has its own. The CTCAE
term named beside an analyte is the one ``inodli.protocol.ctcae`` grades from its value.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ANALYTES", "PANELS", "Analyte", "analyte"]


@dataclass(frozen=True)
class Analyte:
    """One laboratory analyte as collected on the form."""

    code: str
    label: str
    unit: str
    panel: str
    plausible_min: float
    plausible_max: float
    ctcae_terms: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"Analyte({self.code!r}, {self.unit!r}, {self.plausible_min}-{self.plausible_max})"


PANELS = {
    "blood_count": "Blood count with differential",
    "chemistry": "Chemistry",
    "liver": "Liver tests",
}

ANALYTES: tuple[Analyte, ...] = (
    # Blood count with differential (SI units, x10^9/L; haemoglobin in g/L)
    Analyte(
        "wbc",
        "White blood cells",
        "10^9/L",
        "blood_count",
        0,
        1000,
        ("White blood cell decreased",),
    ),
    Analyte(
        "anc", "Neutrophils (ANC)", "10^9/L", "blood_count", 0, 500, ("Neutrophil count decreased",)
    ),
    Analyte(
        "lymphocytes",
        "Lymphocytes",
        "10^9/L",
        "blood_count",
        0,
        1000,
        ("Lymphocyte count decreased",),
    ),
    Analyte("monocytes", "Monocytes", "10^9/L", "blood_count", 0, 500),
    Analyte("eosinophils", "Eosinophils", "10^9/L", "blood_count", 0, 100),
    Analyte("basophils", "Basophils", "10^9/L", "blood_count", 0, 100),
    Analyte("pb_blasts_pct", "Peripheral blood blasts", "%", "blood_count", 0, 100),
    Analyte("hemoglobin", "Haemoglobin", "g/L", "blood_count", 10, 250, ("Anemia",)),
    Analyte(
        "platelets", "Platelets", "10^9/L", "blood_count", 0, 3000, ("Platelet count decreased",)
    ),
    # Chemistry
    Analyte("creatinine", "Creatinine", "umol/L", "chemistry", 5, 3000, ("Creatinine increased",)),
    Analyte("sodium", "Sodium", "mmol/L", "chemistry", 90, 200, ("Hyponatremia", "Hypernatremia")),
    Analyte(
        "potassium", "Potassium", "mmol/L", "chemistry", 1, 12, ("Hypokalemia", "Hyperkalemia")
    ),
    Analyte(
        "magnesium",
        "Magnesium",
        "mmol/L",
        "chemistry",
        0.1,
        5,
        ("Hypomagnesemia", "Hypermagnesemia"),
    ),
    Analyte(
        "calcium",
        "Calcium (corrected)",
        "mmol/L",
        "chemistry",
        0.5,
        5,
        ("Hypocalcemia", "Hypercalcemia"),
    ),
    Analyte("glucose", "Glucose", "mmol/L", "chemistry", 0.5, 60, ("Hypoglycemia",)),
    Analyte("albumin", "Albumin", "g/L", "chemistry", 5, 70, ("Hypoalbuminemia",)),
    # Liver tests
    Analyte(
        "bilirubin", "Total bilirubin", "umol/L", "liver", 0, 1500, ("Blood bilirubin increased",)
    ),
    Analyte("ast", "AST", "U/L", "liver", 0, 20000, ("Aspartate aminotransferase increased",)),
    Analyte("alt", "ALT", "U/L", "liver", 0, 20000, ("Alanine aminotransferase increased",)),
    Analyte(
        "alp", "Alkaline phosphatase", "U/L", "liver", 0, 10000, ("Alkaline phosphatase increased",)
    ),
    Analyte("ggt", "GGT", "U/L", "liver", 0, 10000, ("GGT increased",)),
)

_BY_CODE = {item.code: item for item in ANALYTES}


def analyte(code: str) -> Analyte:
    """The analyte with ``code``; an unknown code is an :class:`~inodli.errors.InputError`."""
    from inodli.errors import InputError

    try:
        return _BY_CODE[code]
    except KeyError:
        raise InputError("analyte", f"one of {', '.join(_BY_CODE)}", code) from None
