"""A synthetic :class:`~inodli.adam.raw.RawStudy` for tests and the report, without a database.

The EDC demo builds its study through forms; this generator exists so that the analyses can be
exercised on a plausible trial in plain pandas. Rates follow INO-VATE (Kantarjian et al., N Engl
J Med 2016;375:740-753): CR/CRi in about 70-80% (80.7% in the InO arm, Table 2; 73% in the
first cycle as quoted by the trial record), median overall survival 7.7 months, and
veno-occlusive disease in 11-14% (13% in the InO arm, Table 3). Relapse, non-relapse mortality
and survival after relapse are drawn from exponential distributions whose medians are the
parameters below; they are illustrations, not estimates. Every dosed subject has a screening
marrow (MB before Day 1: the baseline of a blast waterfall). Every call with the same ``seed``
returns the same study.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from inodli.adam.raw import RawStudy, empty_frame
from inodli.errors import InputError
from inodli.protocol import dli_dose, ino_cycle_plan

__all__ = ["SyntheticRates", "synthetic_raw_study"]


@dataclass(frozen=True)
class SyntheticRates:
    """Probabilities and median times (days) of the synthetic clinical course."""

    p_never_dosed: float = 0.04
    p_cr_cri: float = 0.72
    p_cr_given_response: float = 0.45
    p_late_response: float = 0.15
    p_mrd_negative: float = 0.7
    p_dli_given_response: float = 0.5
    p_vod: float = 0.14
    p_lost: float = 0.05
    median_relapse_responder: float = 240.0
    median_progression_refractory: float = 45.0
    median_survival_after_relapse: float = 75.0
    nrm_two_year: float = 0.2


_AES: tuple[tuple[str, str, float, tuple[int, ...], str], ...] = (
    # term, SOC, probability, grades, related to InO
    ("Febrile neutropenia", "Blood and lymphatic system disorders", 0.4, (3, 3, 4), "Y"),
    ("Platelet count decreased", "Investigations", 0.5, (2, 3, 4), "Y"),
    ("Nausea", "Gastrointestinal disorders", 0.3, (1, 1, 2), "Y"),
    (
        "Infusion related reaction",
        "General disorders and administration site conditions",
        0.1,
        (1, 2),
        "Y",
    ),
    ("Aspartate aminotransferase increased", "Investigations", 0.2, (1, 2, 3), "Y"),
    ("Sepsis", "Infections and infestations", 0.12, (3, 4), "N"),
)
_DONORS = ("MATCHED SIBLING", "MATCHED UNRELATED", "HAPLOIDENTICAL")


def _regimen(
    cycle: int, *, in_remission: bool, start_offset: int
) -> list[tuple[int, int, int, float]]:
    """(cycle, day, days after the first dose, mg/m2) from the protocol's own cycle plan, so the
    synthetic doses never restate the regimen (the BSA here only sizes the plan)."""
    plan = ino_cycle_plan(cycle, 1.0, in_remission)
    return [
        (cycle, dose.day, start_offset + dose.day - 1, float(dose.mg_per_m2)) for dose in plan.doses
    ]


# The protocol's DLI dose (CD3+ cells per kg), read from the DLI rule rather than restated.
_DLI_CD3_PER_KG = float(dli_dose(60.0, 1e8).protocol_cd3_per_kg)


def _day(first: pd.Timestamp, days: Any) -> pd.Timestamp:
    return first + pd.Timedelta(days=round(float(days)))


class _Builder:
    def __init__(
        self, rng: np.random.Generator, rates: SyntheticRates, baseline_rng: np.random.Generator
    ) -> None:
        self.rng, self.rates, self.baseline_rng = rng, rates, baseline_rng
        self.rows: dict[str, list[dict[str, Any]]] = {
            k: [] for k in ("dm", "ex", "pr", "rs", "mb", "ae", "ds")
        }

    def exp(self, median: float) -> float:
        return float(self.rng.exponential(median / np.log(2)))

    def add(self, frame: str, usubjid: str, **values: Any) -> None:
        seq_name = f"{frame.upper()}SEQ"
        seq = 1 + sum(1 for r in self.rows[frame] if r["USUBJID"] == usubjid)
        self.rows[frame].append({"USUBJID": usubjid, seq_name: seq, **values})

    def subject(self, number: int, first: pd.Timestamp) -> None:
        rng, rates = self.rng, self.rates
        usubjid = f"INODLI-{number:03d}"
        consent = _day(first, -rng.integers(3, 15))
        relapse0 = _day(consent, -rng.integers(7, 40))
        hsct = _day(relapse0, -rng.integers(120, 900))
        dosed = rng.random() >= rates.p_never_dosed
        dm = {
            "SUBJID": f"{number:03d}",
            "SITEID": "ZJU1",
            "RFICDTC": consent,
            "RFSTDTC": first if dosed else None,
            "RFENDTC": None,
            "AGE": int(rng.integers(18, 70)),
            "SEX": str(rng.choice(["M", "F"])),
            "DISTYPE": "LBL" if rng.random() < 0.1 else "B-ALL",
            "PHSTAT": "POSITIVE" if rng.random() < 0.25 else "NEGATIVE",
            "CD22PCT": round(float(rng.uniform(70, 100)), 1),
            "HSCTDTC": hsct,
            "DONORTYP": str(rng.choice(_DONORS)),
            "RELAPDTC": relapse0,
            "DTHDTC": None,
            "DTHFL": None,
        }
        if not dosed:
            self.rows["dm"].append({"USUBJID": usubjid, **dm})
            self.add("ds", usubjid, DSDECOD="WITHDRAWAL", DSSTDTC=_day(consent, 5), DSCAUSE=None)
            return
        # The screening marrow (Day -2 or -1) is drawn from its own generator, so that adding
        # it left every other value of a seed unchanged.
        base = self.baseline_rng
        blasts = base.uniform(0.5, 4.5) if dm["DISTYPE"] == "LBL" else base.uniform(10, 90)
        self.add(
            "mb",
            usubjid,
            MBDTC=_day(first, -int(base.integers(1, 3))),
            MBBLAST=round(float(blasts), 1),
            MBMRD=None,
            MBSENS=None,
            MBNEGFL=None,
        )
        responder = rng.random() < rates.p_cr_cri
        late = not responder and rng.random() < rates.p_late_response
        code = (
            ("CR" if rng.random() < rates.p_cr_given_response else "CRI")
            if responder
            else "REFRACTORY"
        )
        if responder or late:
            relapse = (21 if responder else 66) + self.exp(rates.median_relapse_responder)
        else:
            relapse = 21 + self.exp(rates.median_progression_refractory)
        nrm = self.exp(730 * np.log(2) / -np.log(1 - rates.nrm_two_year))
        death = nrm if nrm < relapse else relapse + self.exp(rates.median_survival_after_relapse)
        death_cause = "NON-RELAPSE" if nrm < relapse else "RELAPSE"
        lost = float(rng.uniform(60, 700)) if rng.random() < rates.p_lost else np.inf
        end = min(death, lost, 760.0)
        bsa = round(float(np.clip(rng.normal(1.7, 0.15), 1.3, 2.2)), 2)
        doses = _regimen(1, in_remission=False, start_offset=0)
        if end > 30 and relapse > 30:
            doses += _regimen(2, in_remission=responder, start_offset=21)
        for cycle, day, dose_day, dose in doses:
            if dose_day < end:
                self.add(
                    "ex",
                    usubjid,
                    EXCYCLE=cycle,
                    EXDAY=day,
                    EXSTDTC=_day(first, dose_day),
                    EXDOSE=dose,
                    EXDOSMG=round(dose * bsa, 2),
                    EXBSA=bsa,
                )
        last_dose = max(o for _, _, o, _ in doses if o < end)
        visits: list[tuple[str, float]] = [("EOC1", 20.0), ("PRIMARY", 65.0)] + [
            (f"FU-M{m:02d}", 30.4 * m) for m in range(3, 13)
        ]
        visits += [(f"FU-M{m:02d}", 30.4 * m) for m in range(15, 25, 3)]
        remission = None
        for visit, offset in visits:
            if offset >= min(end, relapse):
                break
            in_cr = responder or (late and offset >= 60)
            status = (
                (code if code != "REFRACTORY" else "CRI")
                if in_cr
                else ("REFRACTORY" if visit == "EOC1" else "AD")
            )
            self.add(
                "rs", usubjid, VISIT=visit, RSDTC=_day(first, offset), RSSTRESC=status, RSOVRFL="N"
            )
            if visit in ("EOC1", "PRIMARY"):
                negative = in_cr and rng.random() < rates.p_mrd_negative
                self.add(
                    "mb",
                    usubjid,
                    MBDTC=_day(first, offset),
                    MBBLAST=round(float(rng.uniform(0.2, 4.5) if in_cr else rng.uniform(6, 80)), 1),
                    MBMRD=0.0 if negative else round(float(rng.uniform(0.02, 5)), 2),
                    MBSENS=0.01,
                    MBNEGFL="Y" if negative else "N",
                )
            if in_cr and remission is None:
                remission = offset
        if relapse < end:
            self.add(
                "rs",
                usubjid,
                VISIT="UNSCHED",
                RSDTC=_day(first, relapse),
                RSSTRESC="RELAPSE" if remission is not None else "PD",
                RSOVRFL="N",
            )
        if remission is not None:
            if rng.random() < rates.p_dli_given_response and min(end, relapse) > 75:
                self.add(
                    "pr", usubjid, PRTRT="DLI", PRSTDTC=_day(first, 75), PRCD3KG=_DLI_CD3_PER_KG
                )
                if rng.random() < 0.3 and end > 95:
                    self.add(
                        "ae",
                        usubjid,
                        **self.ae(
                            "Graft versus host disease",
                            "Immune system disorders",
                            _day(first, 95),
                            2,
                            inorel="N",
                            dlirel="Y",
                        ),
                    )
            for course in range(4):
                offset = remission + 7 + 30 * course
                if offset < min(end, relapse):
                    self.add(
                        "pr",
                        usubjid,
                        PRTRT="INTRATHECAL",
                        PRSTDTC=_day(first, offset),
                        PRCD3KG=None,
                    )
        if rng.random() < rates.p_vod:
            onset = min(last_dose + rng.integers(3, 25), end - 1)
            grade = int(rng.choice([2, 3, 3, 4]))
            self.add(
                "ae",
                usubjid,
                **self.ae(
                    "Sinusoidal obstruction syndrome",
                    "Hepatobiliary disorders",
                    _day(first, onset),
                    grade,
                    aesi="Y",
                ),
            )
        for term, soc, p, grades, related in _AES:
            if rng.random() < p:
                onset = min(float(rng.integers(1, last_dose + 25)), end - 1)
                self.add(
                    "ae",
                    usubjid,
                    **self.ae(
                        term, soc, _day(first, onset), int(rng.choice(grades)), inorel=related
                    ),
                )
        if death <= end:
            date = _day(first, death)
            dm.update(DTHDTC=date, DTHFL="Y")
            self.add("ds", usubjid, DSDECOD="DEATH", DSSTDTC=date, DSCAUSE=death_cause)
            if death_cause == "NON-RELAPSE":
                self.add(
                    "ae",
                    usubjid,
                    **self.ae("Sepsis", "Infections and infestations", date, 5, inorel="N"),
                )
        elif lost <= end:
            self.add(
                "ds", usubjid, DSDECOD="LOST TO FOLLOW-UP", DSSTDTC=_day(first, lost), DSCAUSE=None
            )
        else:
            self.add(
                "ds", usubjid, DSDECOD="LAST KNOWN ALIVE", DSSTDTC=_day(first, end), DSCAUSE=None
            )
        self.rows["dm"].append({"USUBJID": usubjid, **dm, "RFENDTC": _day(first, last_dose)})

    @staticmethod
    def ae(
        term: str,
        soc: str,
        start: pd.Timestamp,
        grade: int,
        *,
        inorel: str = "Y",
        dlirel: str = "N",
        aesi: str = "N",
    ) -> dict[str, Any]:
        return {
            "AETERM": term,
            "AESOC": soc,
            "AETOXGR": grade,
            "AESTDTC": start,
            "AEENDTC": None,
            "AESER": "Y" if grade >= 3 else "N",
            "AEREL": inorel,
            "AERELDLI": dlirel,
            "AESI": aesi,
        }


def _cut(frame: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    # Records dated after the cut-off are not yet captured; a later death is not yet known.
    dates = [c for c in frame.columns if c.endswith("DTC") and c not in ("DTHDTC",)]
    keep = pd.Series(True, index=frame.index)
    for column in dates:
        if column in ("RFSTDTC", "RFENDTC", "AEENDTC"):
            frame.loc[frame[column] > cutoff, column] = pd.NaT
        else:
            keep &= ~(frame[column] > cutoff)
    return frame[keep].reset_index(drop=True)


def synthetic_raw_study(
    n: int = 23,
    seed: int = 20260101,
    *,
    first_enrolment: dt.date = dt.date(2025, 1, 6),
    accrual_days: int = 540,
    cutoff: dt.date | None = None,
    rates: SyntheticRates | None = None,
) -> RawStudy:
    """A reproducible synthetic study of ``n`` enrolled subjects.

    First doses are spread uniformly over ``accrual_days`` from ``first_enrolment``; the
    cut-off defaults to two years after the last first dose (complete 2-year follow-up).

    Examples
    --------
    >>> raw = synthetic_raw_study(n=23, seed=1)
    >>> len(raw.dm)
    23
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 2000:
        raise InputError("n", "a whole number of subjects from 1 to 2000", n)
    rng = np.random.default_rng(seed)
    builder = _Builder(rng, rates or SyntheticRates(), np.random.default_rng([seed, 1]))
    start = pd.Timestamp(first_enrolment)
    offsets = np.sort(rng.integers(0, accrual_days + 1, size=n))
    for number, offset in enumerate(offsets, start=1):
        builder.subject(number, start + pd.Timedelta(days=int(offset)))
    last_first = start + pd.Timedelta(days=int(offsets[-1]))
    limit = pd.Timestamp(cutoff) if cutoff is not None else last_first + pd.Timedelta(days=730)
    frames = {k: pd.DataFrame(v) for k, v in builder.rows.items()}
    dm = frames["dm"]
    died_late = dm["DTHDTC"].notna() & (dm["DTHDTC"] > limit)
    dm.loc[died_late, ["DTHDTC", "DTHFL"]] = [pd.NaT, None]
    frames = {k: _cut(v, limit) if len(v) else empty_frame(k.upper()) for k, v in frames.items()}
    frames["ds"] = _alive_at_cutoff(frames["dm"], frames["ds"], limit)
    return RawStudy(
        dm=frames["dm"],
        ex=frames["ex"],
        rs=frames["rs"],
        ae=frames["ae"],
        ds=frames["ds"],
        pr=frames["pr"],
        mb=frames["mb"],
        cutoff=limit.date(),
    )


def _alive_at_cutoff(dm: pd.DataFrame, ds: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    # A subject still followed at the cut-off (no death, no exit) is confirmed alive that day.
    ended = set(ds.loc[ds["DSDECOD"] != "LAST KNOWN ALIVE", "USUBJID"])
    followed = dm[dm["RFSTDTC"].notna() & dm["DTHDTC"].isna() & ~dm["USUBJID"].isin(ended)]
    ds = ds[~(ds["USUBJID"].isin(followed["USUBJID"]) & (ds["DSDECOD"] == "LAST KNOWN ALIVE"))]
    seq = ds.groupby("USUBJID")["DSSEQ"].max()
    added = pd.DataFrame(
        {
            "USUBJID": followed["USUBJID"],
            "DSSEQ": [int(seq.get(u, 0)) + 1 for u in followed["USUBJID"]],
            "DSDECOD": "LAST KNOWN ALIVE",
            "DSSTDTC": cutoff,
            "DSCAUSE": None,
        }
    )
    return pd.concat([ds, added], ignore_index=True)
