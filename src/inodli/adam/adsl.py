"""ADSL: one row per enrolled subject, with populations, key dates and baseline characteristics.

Build it with :func:`derive_adsl`, which chains the single derivations below in order. Every
date variable names the raw record it came from in the data dictionary
(:mod:`inodli.adam.dictionary`); the last-known-alive date also carries its source record in
LALVDOM/LALVVAR/LALVSEQ.

Populations
-----------
ENRLFL  ``Y`` for every subject in DM (informed consent signed).
SAFFL   ``Y`` when at least one InO administration is recorded in EX (safety population).
EFFFL   efficacy-evaluable: ``Y`` when SAFFL is ``Y`` and the subject either has a response
        assessment on or after the first dose or died before any assessment. Treated subjects
        who left the study before any assessment, alive, are not evaluable. Evaluable subjects
        without a CR/CRi at the primary assessment count as non-responders.
"""

from __future__ import annotations

import pandas as pd

from inodli.adam._dates import lookup
from inodli.adam.raw import RawStudy

__all__ = [
    "derive_adsl",
    "derive_var_dthdt",
    "derive_var_lstalvdt",
    "derive_var_progdt",
    "derive_vars_disposition",
    "derive_vars_dli",
    "derive_vars_dm",
    "derive_vars_populations",
    "derive_vars_trt",
]

PROGRESSION_CODES = ("PD", "RELAPSE")
AGE_GROUP_LIMIT = 55
"""Age groups <55 and >=55 years: the stratification of INO-VATE (Kantarjian et al., N Engl J
Med 2016;375:740-753, Methods)."""


def _age_group(age: object) -> str:
    if age is None or age is pd.NA or pd.isna(age):  # type: ignore[call-overload]
        return ""
    return f"<{AGE_GROUP_LIMIT}" if age < AGE_GROUP_LIMIT else f">={AGE_GROUP_LIMIT}"  # type: ignore[operator]


def derive_vars_dm(raw: RawStudy) -> pd.DataFrame:
    """Start ADSL from DM: identifiers, demographics and the transplant history.

    Creates STUDYID, USUBJID, SUBJID, SITEID, AGE, AGEGR1 (``<55``/``>=55``), SEX, DISTYPE,
    PHSTAT, CD22PCT, DONORTYP, RFICDT (consent), HSCTDT, HSCTRLDT (qualifying post-HSCT relapse)
    and HSCTRLD (days from HSCT to that relapse).
    """
    dm = raw.dm
    out = pd.DataFrame(
        {
            "STUDYID": raw.study_id,
            "USUBJID": dm["USUBJID"],
            "SUBJID": dm["SUBJID"],
            "SITEID": dm["SITEID"],
            "AGE": dm["AGE"].astype("float64"),
            "AGEGR1": [_age_group(a) for a in dm["AGE"]],
            "SEX": dm["SEX"],
            "DISTYPE": dm["DISTYPE"],
            "PHSTAT": dm["PHSTAT"],
            "CD22PCT": dm["CD22PCT"],
            "DONORTYP": dm["DONORTYP"],
            "RFICDT": dm["RFICDTC"],
            "HSCTDT": dm["HSCTDTC"],
            "HSCTRLDT": dm["RELAPDTC"],
        }
    )
    out["HSCTRLD"] = (out["HSCTRLDT"] - out["HSCTDT"]).dt.days.astype("float64")
    return out.reset_index(drop=True)


def derive_vars_trt(adsl: pd.DataFrame, raw: RawStudy) -> pd.DataFrame:
    """Add treatment exposure from EX.

    Creates TRTSDT (first InO administration, min EX.EXSTDTC), TRTEDT (last, max EX.EXSTDTC),
    TRTDURD (TRTEDT - TRTSDT + 1 days), NCYCLES (highest EX.EXCYCLE), NDOSES (number of
    administrations) and CUMDOSE (sum of EX.EXDOSE, mg/m2). All missing when EX has no record.
    """
    ex = raw.ex.groupby("USUBJID").agg(
        TRTSDT=("EXSTDTC", "min"),
        TRTEDT=("EXSTDTC", "max"),
        NCYCLES=("EXCYCLE", "max"),
        NDOSES=("EXSEQ", "size"),
        CUMDOSE=("EXDOSE", "sum"),
    )
    out = adsl.drop(columns=[c for c in ex.columns if c in adsl], errors="ignore")
    out = out.merge(ex.reset_index(), on="USUBJID", how="left")
    out["TRTDURD"] = ((out["TRTEDT"] - out["TRTSDT"]).dt.days + 1).astype("float64")
    out["NCYCLES"] = out["NCYCLES"].astype("float64")
    out["NDOSES"] = out["NDOSES"].astype("float64")
    return out


def derive_vars_dli(adsl: pd.DataFrame, raw: RawStudy) -> pd.DataFrame:
    """Add DLI and intrathecal exposure from PR.

    Creates DLIFL (``Y`` if a DLI is recorded on or after TRTSDT, else ``N``), DLIDT (first such
    DLI), DLICD3 (its CD3+ cells/kg) and ITN (number of intrathecal courses on or after TRTSDT).
    Requires TRTSDT (:func:`derive_vars_trt`).
    """
    pr = raw.pr.merge(adsl[["USUBJID", "TRTSDT"]], on="USUBJID")
    pr = pr[pr["PRSTDTC"] >= pr["TRTSDT"]].sort_values(["USUBJID", "PRSTDTC", "PRSEQ"])
    dli = pr[pr["PRTRT"] == "DLI"].groupby("USUBJID").first()
    it = pr[pr["PRTRT"] == "INTRATHECAL"].groupby("USUBJID").size()
    out = adsl.copy()
    out["DLIDT"] = lookup(out["USUBJID"], dli["PRSTDTC"]).astype("datetime64[ns]")
    out["DLICD3"] = lookup(out["USUBJID"], dli["PRCD3KG"]).astype("float64")
    out["DLIFL"] = out["DLIDT"].notna().map({True: "Y", False: "N"})
    out["ITN"] = lookup(out["USUBJID"], it).fillna(0).astype("float64")
    return out


def derive_var_progdt(adsl: pd.DataFrame, raw: RawStudy) -> pd.DataFrame:
    """Add PROGDT: the first on-study relapse or progression (RS.RSSTRESC PD or RELAPSE on or
    after TRTSDT), and PROGSEQ, its RS.RSSEQ. Requires TRTSDT."""
    rs = raw.rs.merge(adsl[["USUBJID", "TRTSDT"]], on="USUBJID")
    rs = rs[rs["RSSTRESC"].isin(PROGRESSION_CODES) & (rs["RSDTC"] >= rs["TRTSDT"])]
    first = rs.sort_values(["USUBJID", "RSDTC", "RSSEQ"]).groupby("USUBJID").first()
    out = adsl.copy()
    out["PROGDT"] = lookup(out["USUBJID"], first["RSDTC"]).astype("datetime64[ns]")
    out["PROGSEQ"] = lookup(out["USUBJID"], first["RSSEQ"]).astype("float64")
    return out


def derive_var_dthdt(adsl: pd.DataFrame, raw: RawStudy) -> pd.DataFrame:
    """Add DTHDT (DM.DTHDTC), DTHFL (``Y``/``N``) and DTHCAUS (DS.DSCAUSE of the DEATH record;
    ``UNKNOWN`` when DM records a death without a DS DEATH record)."""
    deaths = raw.ds[raw.ds["DSDECOD"] == "DEATH"].set_index("USUBJID")
    dates = raw.dm.set_index("USUBJID")["DTHDTC"]
    out = adsl.copy()
    out["DTHDT"] = lookup(out["USUBJID"], dates).astype("datetime64[ns]")
    out["DTHFL"] = out["DTHDT"].notna().map({True: "Y", False: "N"})
    cause = lookup(out["USUBJID"], deaths["DSCAUSE"]).fillna("UNKNOWN")
    out["DTHCAUS"] = cause.where(out["DTHFL"] == "Y", "")
    return out


_NOT_ALIVE = ("DEATH", "LOST TO FOLLOW-UP")


def _alive_records(raw: RawStudy) -> pd.DataFrame:
    # Every dated record shows the subject alive that day, except a death and the date a
    # subject was declared lost to follow-up (not a contact).
    parts = [
        (raw.dm, "DM", "RFICDTC", None),
        (raw.ex, "EX", "EXSTDTC", "EXSEQ"),
        (raw.pr, "PR", "PRSTDTC", "PRSEQ"),
        (raw.rs, "RS", "RSDTC", "RSSEQ"),
        (raw.mb, "MB", "MBDTC", "MBSEQ"),
        (raw.ae, "AE", "AESTDTC", "AESEQ"),
        (raw.ae, "AE", "AEENDTC", "AESEQ"),
        (raw.ds[~raw.ds["DSDECOD"].isin(_NOT_ALIVE)], "DS", "DSSTDTC", "DSSEQ"),
        (raw.lb, "LB", "LBDTC", "LBSEQ"),
    ]
    frames = []
    for frame, domain, variable, seq in parts:
        frames.append(
            pd.DataFrame(
                {
                    "USUBJID": frame["USUBJID"],
                    "ADT": frame[variable],
                    "SRCDOM": domain,
                    "SRCVAR": variable,
                    "SRCSEQ": frame[seq].astype("float64") if seq else float("nan"),
                }
            )
        )
    return pd.concat(frames, ignore_index=True).dropna(subset=["ADT"])


def derive_var_lstalvdt(adsl: pd.DataFrame, raw: RawStudy) -> pd.DataFrame:
    """Add LSTALVDT, the last date the subject is known alive, with its source record.

    Cases in order: (1) a subject who died is last known alive on DTHDT (source DM.DTHDTC);
    (2) otherwise the latest date of any record in DM (consent), EX, PR, RS, MB, AE (start and
    end), DS (except DEATH and LOST TO FOLLOW-UP, which are not contacts) and LB; on ties the earlier domain in that list is kept. Creates
    LSTALVDT, LALVDOM, LALVVAR, LALVSEQ. Requires DTHDT (:func:`derive_var_dthdt`).
    """
    records = _alive_records(raw).sort_values("ADT", kind="stable")
    last = records.groupby("USUBJID").last()
    out = adsl.copy()
    for target, source in (
        ("LSTALVDT", "ADT"),
        ("LALVDOM", "SRCDOM"),
        ("LALVVAR", "SRCVAR"),
        ("LALVSEQ", "SRCSEQ"),
    ):
        out[target] = lookup(out["USUBJID"], last[source])
    dead = out["DTHDT"].notna()
    out.loc[dead, "LSTALVDT"] = out.loc[dead, "DTHDT"]
    out.loc[dead, ["LALVDOM", "LALVVAR"]] = ["DM", "DTHDTC"]
    out.loc[dead, "LALVSEQ"] = float("nan")
    out["LSTALVDT"] = out["LSTALVDT"].astype("datetime64[ns]")
    out["LALVSEQ"] = out["LALVSEQ"].astype("float64")
    return out


def derive_vars_disposition(adsl: pd.DataFrame, raw: RawStudy) -> pd.DataFrame:
    """Add end-of-study status from DS.

    Cases in order: DEATH -> EOSSTT ``DISCONTINUED``, DCSREAS ``DEATH``; WITHDRAWAL, LOST TO
    FOLLOW-UP or OFF STUDY (the earliest such record) -> ``DISCONTINUED`` with that reason; COMPLETED ->
    ``COMPLETED``; otherwise ``ONGOING``. Creates EOSSTT, DCSREAS and EOSDT.
    """
    ds = raw.ds.sort_values(["USUBJID", "DSSTDTC", "DSSEQ"])
    out = adsl.copy()
    out["EOSSTT"], out["DCSREAS"], out["EOSDT"] = "ONGOING", "", pd.NaT
    # Later steps win: an exit overrides completion, and death overrides everything.
    steps = (("COMPLETED",), ("OFF STUDY", "LOST TO FOLLOW-UP", "WITHDRAWAL"), ("DEATH",))
    for codes in steps:
        first = ds[ds["DSDECOD"].isin(codes)].groupby("USUBJID").first()
        if first.empty:
            continue
        hit = out["USUBJID"].isin(first.index)
        reason = lookup(out.loc[hit, "USUBJID"], first["DSDECOD"])
        out.loc[hit, "EOSSTT"] = "COMPLETED" if codes == ("COMPLETED",) else "DISCONTINUED"
        out.loc[hit, "DCSREAS"] = "" if codes == ("COMPLETED",) else reason
        out.loc[hit, "EOSDT"] = lookup(out.loc[hit, "USUBJID"], first["DSSTDTC"])
    out["EOSDT"] = out["EOSDT"].astype("datetime64[ns]")
    return out


def derive_vars_populations(adsl: pd.DataFrame, raw: RawStudy) -> pd.DataFrame:
    """Add ENRLFL, SAFFL and EFFFL as defined in the module docstring. Requires TRTSDT and DTHDT."""
    rs = raw.rs.merge(adsl[["USUBJID", "TRTSDT"]], on="USUBJID")
    assessed = set(rs.loc[rs["RSDTC"] >= rs["TRTSDT"], "USUBJID"])
    out = adsl.copy()
    out["ENRLFL"] = "Y"
    treated = out["TRTSDT"].notna()
    out["SAFFL"] = treated.map({True: "Y", False: "N"})
    evaluable = treated & (out["USUBJID"].isin(assessed) | out["DTHDT"].notna())
    out["EFFFL"] = evaluable.map({True: "Y", False: "N"})
    return out


ADSL_ORDER = [
    "STUDYID",
    "USUBJID",
    "SUBJID",
    "SITEID",
    "ENRLFL",
    "SAFFL",
    "EFFFL",
    "DLIFL",
    "AGE",
    "AGEGR1",
    "SEX",
    "DISTYPE",
    "PHSTAT",
    "CD22PCT",
    "DONORTYP",
    "RFICDT",
    "HSCTDT",
    "HSCTRLDT",
    "HSCTRLD",
    "TRTSDT",
    "TRTEDT",
    "TRTDURD",
    "NCYCLES",
    "NDOSES",
    "CUMDOSE",
    "DLIDT",
    "DLICD3",
    "ITN",
    "PROGDT",
    "PROGSEQ",
    "DTHDT",
    "DTHFL",
    "DTHCAUS",
    "LSTALVDT",
    "LALVDOM",
    "LALVVAR",
    "LALVSEQ",
    "EOSSTT",
    "DCSREAS",
    "EOSDT",
]


def derive_adsl(raw: RawStudy) -> pd.DataFrame:
    """ADSL for ``raw``: :func:`derive_vars_dm`, then treatment, DLI, progression, death,
    last known alive, disposition and populations, sorted by USUBJID."""
    adsl = derive_vars_dm(raw)
    for step in (
        derive_vars_trt,
        derive_vars_dli,
        derive_var_progdt,
        derive_var_dthdt,
        derive_var_lstalvdt,
        derive_vars_disposition,
        derive_vars_populations,
    ):
        adsl = step(adsl, raw)
    return adsl[ADSL_ORDER].sort_values("USUBJID").reset_index(drop=True)
