"""The data dictionary (a define-like table): label, type, length and origin of every variable.

Labels are at most 40 ASCII characters (XPORT v5). Origins follow define.xml's vocabulary:
``Collected`` (from the raw frames), ``Assigned``, ``Derived`` (with the rule) or
``Predecessor`` (copied from another dataset's variable).
"""

from __future__ import annotations

import pandas as pd

from inodli.adam import _rawspec

__all__ = ["VARIABLES", "data_dictionary", "labels_for"]

_S = "Predecessor: ADSL."
VARIABLES: dict[str, tuple[str, str]] = {
    # name: (label, origin)
    "STUDYID": ("Study Identifier", "Assigned: RawStudy.study_id"),
    "DOMAIN": ("Domain Abbreviation", "Assigned"),
    "USUBJID": ("Unique Subject Identifier", "Predecessor: DM.USUBJID"),
    "SUBJID": ("Subject Identifier for the Study", "Predecessor: DM.SUBJID"),
    "SITEID": ("Study Site Identifier", "Predecessor: DM.SITEID"),
    "ENRLFL": ("Enrolled Population Flag", "Derived: Y for every DM subject"),
    "SAFFL": ("Safety Population Flag", "Derived: Y if any EX record"),
    "EFFFL": (
        "Efficacy Evaluable Population Flag",
        "Derived: SAFFL=Y and a post-dose RS record or death",
    ),
    "DLIFL": ("DLI Given Flag", "Derived: Y if PR DLI on/after TRTSDT"),
    "AGE": ("Age (years)", "Predecessor: DM.AGE"),
    "AGEGR1": ("Age Group 1", "Derived: <55 or >=55 (INO-VATE strata)"),
    "SEX": ("Sex", "Predecessor: DM.SEX"),
    "DISTYPE": ("Disease Type", "Predecessor: DM.DISTYPE"),
    "PHSTAT": ("Philadelphia Chromosome Status", "Predecessor: DM.PHSTAT"),
    "CD22PCT": ("CD22-Positive Blasts (%)", "Predecessor: DM.CD22PCT"),
    "DONORTYP": ("HSCT Donor Type", "Predecessor: DM.DONORTYP"),
    "RFICDT": ("Date of Informed Consent", "Derived: DM.RFICDTC as a date"),
    "HSCTDT": ("Date of Allogeneic HSCT", "Derived: DM.HSCTDTC as a date"),
    "HSCTRLDT": ("Date of Post-HSCT Relapse", "Derived: DM.RELAPDTC as a date"),
    "HSCTRLD": ("Days from HSCT to Relapse", "Derived: HSCTRLDT - HSCTDT"),
    "TRTSDT": ("Date of First InO Dose", "Derived: min EX.EXSTDTC"),
    "TRTEDT": ("Date of Last InO Dose", "Derived: max EX.EXSTDTC"),
    "TRTDURD": ("Treatment Duration (days)", "Derived: TRTEDT - TRTSDT + 1"),
    "NCYCLES": ("Number of InO Cycles Started", "Derived: max EX.EXCYCLE"),
    "NDOSES": ("Number of InO Doses", "Derived: count of EX records"),
    "CUMDOSE": ("Cumulative InO Dose (mg/m2)", "Derived: sum EX.EXDOSE"),
    "DLIDT": ("Date of First DLI", "Derived: first PR.PRSTDTC with PRTRT=DLI"),
    "DLICD3": ("First DLI CD3+ Cells per kg", "Predecessor: PR.PRCD3KG"),
    "ITN": ("Number of Intrathecal Courses", "Derived: count of PR INTRATHECAL"),
    "PROGDT": ("Date of First Relapse/Progression", "Derived: first RS PD/RELAPSE"),
    "PROGSEQ": ("RSSEQ of First Relapse/Progression", "Predecessor: RS.RSSEQ"),
    "DTHDT": ("Date of Death", "Derived: DM.DTHDTC as a date"),
    "DTHFL": ("Subject Death Flag", "Derived: Y if DTHDT present"),
    "DTHCAUS": ("Cause of Death Category", "Predecessor: DS.DSCAUSE of DEATH"),
    "LSTALVDT": ("Date Last Known Alive", "Derived: latest dated record or DTHDT"),
    "LALVDOM": ("Last Known Alive Source Domain", "Derived"),
    "LALVVAR": ("Last Known Alive Source Variable", "Derived"),
    "LALVSEQ": ("Last Known Alive Source Sequence", "Derived"),
    "EOSSTT": ("End of Study Status", "Derived: from DS"),
    "DCSREAS": ("Reason for Discontinuation from Study", "Derived: DS.DSDECOD"),
    "EOSDT": ("End of Study Date", "Derived: DS.DSSTDTC"),
    "PARAMCD": ("Parameter Code", "Assigned"),
    "PARAM": ("Parameter", "Assigned"),
    "AVALC": ("Analysis Value (C)", "Derived: see PARAMCD"),
    "AVAL": ("Analysis Value", "Derived: see PARAMCD"),
    "ADT": ("Analysis Date", "Derived: date of the source record"),
    "ADY": ("Analysis Relative Day", "Derived: ADT - TRTSDT + 1 (no Day 0)"),
    "VISIT": ("Visit Name", "Predecessor: RS.VISIT"),
    "RSOVRFL": ("Investigator Override Flag", "Predecessor: RS.RSOVRFL"),
    "SRCDOM": ("Source Data", "Derived"),
    "SRCVAR": ("Source Variable", "Derived"),
    "SRCSEQ": ("Source Sequence Number", "Derived"),
    "STARTDT": ("Time to Event Origin Date", "Derived: TRTSDT; DOR: first CR/CRi"),
    "CNSR": ("Censor", "Derived: 0 event, >0 censoring reason"),
    "CRSTAT": ("Competing Risk Status (0/1/2)", "Derived: 1 relapse, 2 NRM"),
    "EVNTDESC": ("Event or Censoring Description", "Derived"),
    "AESEQ": ("Sequence Number", "Predecessor: AE.AESEQ"),
    "AETERM": ("Reported Term (CTCAE v5.0)", "Predecessor: AE.AETERM"),
    "AESOC": ("System Organ Class", "Predecessor: AE.AESOC"),
    "ASTDT": ("Analysis Start Date", "Derived: AE.AESTDTC as a date"),
    "AENDT": ("Analysis End Date", "Derived: AE.AEENDTC as a date"),
    "ASTDY": ("Analysis Start Relative Day", "Derived: ASTDT - TRTSDT + 1 (no Day 0)"),
    "ATOXGR": ("Analysis Toxicity Grade", "Predecessor: AE.AETOXGR"),
    "TRTEMFL": ("Treatment Emergent Analysis Flag", "Derived: see ADAE"),
    "AESER": ("Serious Event", "Predecessor: AE.AESER"),
    "AESIFL": ("Adverse Event of Special Interest Flag", "Predecessor: AE.AESI"),
    "ARELINO": ("Analysis Causality to InO", "Predecessor: AE.AEREL"),
    "ARELDLI": ("Analysis Causality to DLI", "Predecessor: AE.AERELDLI"),
    "ARELFL": ("Related to InO or DLI Flag", "Derived: ARELINO or ARELDLI"),
    "AWTERMFL": ("Worst Grade per Subject and Term Flag", "Derived"),
    "AWSOCFL": ("Worst Grade per Subject and SOC Flag", "Derived"),
    "AWSUBJFL": ("Worst Grade per Subject Flag", "Derived"),
}
_SDTM_EXTRA = {"STUDYID": "Study Identifier", "DOMAIN": "Domain Abbreviation"}


def labels_for(dataset: str, frame: pd.DataFrame) -> dict[str, str]:
    """Variable labels of ``frame``: raw (SDTM) labels for raw domains, else ADaM labels.
    Variables without a known label are left out (so XPORT validation names them)."""
    known = {
        **{k: v[0] for k, v in VARIABLES.items()},
        **_SDTM_EXTRA,
        **{c.name: c.label for c in _rawspec.FRAMES.get(dataset, ())},
    }
    return {str(c): known[str(c)] for c in frame.columns if str(c) in known}


def _type(series: pd.Series) -> tuple[str, int]:
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date", 8
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return "float" if pd.api.types.is_float_dtype(series) else "integer", 8
    width = max((len(str(v)) for v in series if isinstance(v, str)), default=1)
    return "text", max(width, 1)


def data_dictionary(datasets: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per dataset and variable: DATASET, VARIABLE, LABEL, TYPE, LENGTH, ORIGIN."""
    rows = []
    for name, frame in datasets.items():
        labels = labels_for(name, frame)
        for column in frame.columns:
            kind, length = _type(frame[column])
            if name in _rawspec.FRAMES or column == "DOMAIN":
                origin = "Collected" if column not in _SDTM_EXTRA else "Assigned"
            else:
                origin = VARIABLES.get(str(column), ("", "Derived"))[1]
            rows.append(
                {
                    "DATASET": name,
                    "VARIABLE": str(column),
                    "LABEL": labels.get(str(column), ""),
                    "TYPE": kind,
                    "LENGTH": length,
                    "ORIGIN": origin,
                }
            )
    return pd.DataFrame(rows, columns=["DATASET", "VARIABLE", "LABEL", "TYPE", "LENGTH", "ORIGIN"])
