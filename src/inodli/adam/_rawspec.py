"""Column specifications of the raw (SDTM-like) input frames, as data.

Each frame is a tuple of :class:`Column` objects: name, kind, whether it may be missing and,
for coded columns, the values allowed. :mod:`inodli.adam.raw` interprets these specs; the
export dictionary reuses the labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["str", "date", "int", "float", "flag", "code"]

RESPONSE_CODES: tuple[str, ...] = (
    "CR",
    "CRI",
    "MLFS",
    "PR",
    "AD",
    "REFRACTORY",
    "PD",
    "RELAPSE",
    "NE",
)
"""Response category codes of RS.RSSTRESC: CR, CR with incomplete count recovery (CRI),
morphologic leukaemia-free state (MLFS), partial response (PR), active disease (AD, not in
CR/CRi after remission was never reached), refractory at end of induction, progressive disease
(PD), relapse after CR/CRi, not evaluable (NE)."""

DS_CODES: tuple[str, ...] = (
    "DEATH",
    "WITHDRAWAL",
    "LOST TO FOLLOW-UP",
    "LAST KNOWN ALIVE",
    "COMPLETED",
    "OFF STUDY",
)
DEATH_CAUSES: tuple[str, ...] = ("RELAPSE", "NON-RELAPSE", "UNKNOWN")
PR_CODES: tuple[str, ...] = ("DLI", "INTRATHECAL")


@dataclass(frozen=True)
class Column:
    """One column of a raw frame."""

    name: str
    kind: Kind
    label: str
    nullable: bool = False
    allowed: tuple[str, ...] = ()


def _c(
    name: str, kind: Kind, label: str, nullable: bool = False, allowed: tuple[str, ...] = ()
) -> Column:
    return Column(name, kind, label, nullable, allowed)


_KEY = _c("USUBJID", "str", "Unique Subject Identifier")

DM: tuple[Column, ...] = (
    _KEY,
    _c("SUBJID", "str", "Subject Identifier for the Study"),
    _c("SITEID", "str", "Study Site Identifier"),
    _c("RFICDTC", "date", "Date of Informed Consent"),
    _c("RFSTDTC", "date", "Date of First InO Dose", nullable=True),
    _c("RFENDTC", "date", "Date of Last InO Dose", nullable=True),
    _c("AGE", "int", "Age at Consent (years)", nullable=True),
    _c("SEX", "code", "Sex", allowed=("M", "F", "U")),
    _c("DISTYPE", "code", "Disease Type", nullable=True, allowed=("B-ALL", "LBL")),
    _c(
        "PHSTAT",
        "code",
        "Philadelphia Chromosome Status",
        nullable=True,
        allowed=("POSITIVE", "NEGATIVE", "UNKNOWN"),
    ),
    _c("CD22PCT", "float", "CD22-Positive Blasts (%) at Baseline", nullable=True),
    _c("HSCTDTC", "date", "Date of Allogeneic HSCT", nullable=True),
    _c(
        "DONORTYP",
        "code",
        "HSCT Donor Type",
        nullable=True,
        allowed=(
            "MATCHED SIBLING",
            "MATCHED UNRELATED",
            "MISMATCHED UNRELATED",
            "HAPLOIDENTICAL",
            "CORD BLOOD",
            "OTHER",
        ),
    ),
    _c("RELAPDTC", "date", "Date of Post-HSCT Relapse (Qualifying)", nullable=True),
    _c("DTHDTC", "date", "Date of Death", nullable=True),
    _c("DTHFL", "flag", "Subject Death Flag", nullable=True),
)

EX: tuple[Column, ...] = (
    _KEY,
    _c("EXSEQ", "int", "Sequence Number"),
    _c("EXCYCLE", "int", "InO Cycle Number"),
    _c("EXDAY", "int", "Day of Cycle"),
    _c("EXSTDTC", "date", "Date of InO Administration"),
    _c("EXDOSE", "float", "Dose (mg/m2)"),
    _c("EXDOSMG", "float", "Dose Given (mg)"),
    _c("EXBSA", "float", "Body Surface Area (m2)"),
)

PR: tuple[Column, ...] = (
    _KEY,
    _c("PRSEQ", "int", "Sequence Number"),
    _c("PRTRT", "code", "Procedure", allowed=PR_CODES),
    _c("PRSTDTC", "date", "Date of Procedure"),
    _c("PRCD3KG", "float", "CD3+ Cells per kg (DLI)", nullable=True),
)

RS: tuple[Column, ...] = (
    _KEY,
    _c("RSSEQ", "int", "Sequence Number"),
    _c("VISIT", "str", "Visit Name", nullable=True),
    _c("RSDTC", "date", "Date of Response Assessment"),
    _c("RSSTRESC", "code", "Response Category", allowed=RESPONSE_CODES),
    _c("RSOVRFL", "flag", "Investigator Override Flag"),
)

MB: tuple[Column, ...] = (
    _KEY,
    _c("MBSEQ", "int", "Sequence Number"),
    _c("MBDTC", "date", "Date of Marrow Sample"),
    _c("MBBLAST", "float", "Marrow Blasts (%)", nullable=True),
    _c("MBMRD", "float", "MRD Level (%)", nullable=True),
    _c("MBSENS", "float", "MRD Assay Sensitivity (%)", nullable=True),
    _c("MBNEGFL", "flag", "MRD Negative Flag", nullable=True),
)

AE: tuple[Column, ...] = (
    _KEY,
    _c("AESEQ", "int", "Sequence Number"),
    _c("AETERM", "str", "Reported Term (CTCAE v5.0)"),
    _c("AESOC", "str", "System Organ Class"),
    _c("AETOXGR", "int", "CTCAE Grade (worst)", nullable=True),
    _c("AESTDTC", "date", "Start Date of Adverse Event"),
    _c("AEENDTC", "date", "End Date of Adverse Event", nullable=True),
    _c("AESER", "flag", "Serious Event"),
    _c("AEREL", "flag", "Related to InO"),
    _c("AERELDLI", "flag", "Related to DLI"),
    _c("AESI", "flag", "Adverse Event of Special Interest"),
)

DS: tuple[Column, ...] = (
    _KEY,
    _c("DSSEQ", "int", "Sequence Number"),
    _c("DSDECOD", "code", "Disposition Event", allowed=DS_CODES),
    _c("DSSTDTC", "date", "Date of Disposition Event"),
    _c("DSCAUSE", "code", "Cause of Death", nullable=True, allowed=DEATH_CAUSES),
)

LB: tuple[Column, ...] = (
    _KEY,
    _c("LBSEQ", "int", "Sequence Number"),
    _c("LBTESTCD", "str", "Lab Test Short Name"),
    _c("LBDTC", "date", "Date of Specimen Collection"),
    _c("LBSTRESN", "float", "Numeric Result in Standard Units", nullable=True),
    _c("LBSTRESU", "str", "Standard Units", nullable=True),
)

FRAMES: dict[str, tuple[Column, ...]] = {
    "DM": DM,
    "EX": EX,
    "PR": PR,
    "RS": RS,
    "MB": MB,
    "AE": AE,
    "DS": DS,
    "LB": LB,
}
SEQ_COLUMN: dict[str, str] = {name: f"{name}SEQ" for name in FRAMES if name != "DM"}
