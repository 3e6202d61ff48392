"""ADAE: adverse events with the treatment-emergent flag, worst-grade flags and relationship.

One row per AE record of a subject in the safety population; SRCDOM/SRCVAR/SRCSEQ name the AE
record. Variables added to the AE columns:

ASTDT/AENDT  start and end dates; ASTDY study day of onset (Day 1 = first InO dose, no Day 0).
TRTEMFL      ``Y`` when the AE started on or after TRTSDT and no later than TRTEDT +
             ``window_days``, or no later than the last DLI + ``window_days`` for a subject
             given DLI (DLI toxicity such as GVHD starts weeks after the infusion). The default
             window is 30 days, a team convention to be replaced by the protocol's when known;
             the trial record asks for AEs over 2 years, which ``window_days=730`` reproduces.
ATOXGR       CTCAE v5.0 grade (AETOXGR); AESIFL, AESER; ARELINO/ARELDLI relationship to InO
             and DLI; ARELFL related to either.
AWTERMFL     ``Y`` on the one treatment-emergent record per subject and AETERM with the worst
             grade (earliest start, then lowest AESEQ, on ties); AWSOCFL per subject and
             AESOC; AWSUBJFL per subject (the worst AE overall).
"""

from __future__ import annotations

import pandas as pd

from inodli.adam._dates import study_day
from inodli.adam.raw import RawStudy
from inodli.errors import InputError

__all__ = ["TEAE_WINDOW_DAYS", "derive_adae", "derive_var_trtemfl", "derive_var_worst_flags"]

TEAE_WINDOW_DAYS = 30


def derive_var_trtemfl(
    adsl: pd.DataFrame, raw: RawStudy, *, window_days: int = TEAE_WINDOW_DAYS
) -> pd.DataFrame:
    """AE records of treated subjects with ASTDT, AENDT, ASTDY and TRTEMFL (see module doc)."""
    if isinstance(window_days, bool) or not isinstance(window_days, int) or window_days < 0:
        raise InputError("window_days", "a whole number of days >= 0", window_days)
    dli = raw.pr[raw.pr["PRTRT"] == "DLI"].groupby("USUBJID")["PRSTDTC"].max().rename("LDLIDT")
    keep = ["STUDYID", "USUBJID", "TRTSDT", "TRTEDT", "DLIFL", "SAFFL"]
    ae = raw.ae.merge(adsl.loc[adsl["SAFFL"] == "Y", keep], on="USUBJID")
    ae = ae.merge(dli, left_on="USUBJID", right_index=True, how="left")
    window = pd.Timedelta(days=window_days)
    ae["ASTDT"], ae["AENDT"] = ae["AESTDTC"], ae["AEENDTC"]
    ae["ASTDY"] = study_day(ae["ASTDT"], ae["TRTSDT"])
    after_first = ae["ASTDT"] >= ae["TRTSDT"]
    in_ino = ae["ASTDT"] <= ae["TRTEDT"] + window
    in_dli = ae["LDLIDT"].notna() & (ae["ASTDT"] <= ae["LDLIDT"] + window)
    ae["TRTEMFL"] = (after_first & (in_ino | in_dli)).map({True: "Y", False: "N"})
    return ae.drop(columns=["LDLIDT"])


def derive_var_worst_flags(adae: pd.DataFrame) -> pd.DataFrame:
    """Add AWTERMFL, AWSOCFL and AWSUBJFL (worst treatment-emergent grade per subject and term,
    per subject and SOC, per subject)."""
    out = adae.copy()
    te = out[out["TRTEMFL"] == "Y"].sort_values(
        ["ATOXGR", "ASTDT", "AESEQ"], ascending=[False, True, True]
    )
    for flag, keys in (
        ("AWTERMFL", ["USUBJID", "AETERM"]),
        ("AWSOCFL", ["USUBJID", "AESOC"]),
        ("AWSUBJFL", ["USUBJID"]),
    ):
        worst = te.drop_duplicates(keys).index
        out[flag] = "N"
        out.loc[worst, flag] = "Y"
    return out


ADAE_ORDER = [
    "STUDYID",
    "USUBJID",
    "AESEQ",
    "AETERM",
    "AESOC",
    "ASTDT",
    "AENDT",
    "ASTDY",
    "ATOXGR",
    "TRTEMFL",
    "AESER",
    "AESIFL",
    "ARELINO",
    "ARELDLI",
    "ARELFL",
    "AWTERMFL",
    "AWSOCFL",
    "AWSUBJFL",
    "TRTSDT",
    "TRTEDT",
    "SAFFL",
    "DLIFL",
    "SRCDOM",
    "SRCVAR",
    "SRCSEQ",
]


def derive_adae(
    adsl: pd.DataFrame, raw: RawStudy, *, window_days: int = TEAE_WINDOW_DAYS
) -> pd.DataFrame:
    """ADAE for the safety population, sorted by USUBJID and AESEQ."""
    ae = derive_var_trtemfl(adsl, raw, window_days=window_days)
    ae["ATOXGR"] = ae["AETOXGR"].astype("float64")
    ae["AESIFL"], ae["ARELINO"], ae["ARELDLI"] = ae["AESI"], ae["AEREL"], ae["AERELDLI"]
    ae["ARELFL"] = ((ae["AEREL"] == "Y") | (ae["AERELDLI"] == "Y")).map({True: "Y", False: "N"})
    ae = derive_var_worst_flags(ae)
    ae["SRCDOM"], ae["SRCVAR"] = "AE", "AETERM"
    ae["SRCSEQ"] = ae["AESEQ"].astype("float64")
    ae["AESEQ"] = ae["AESEQ"].astype("float64")
    return ae[ADAE_ORDER].sort_values(["USUBJID", "AESEQ"]).reset_index(drop=True)
