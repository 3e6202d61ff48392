"""The EDC database as a :class:`~inodli.adam.raw.RawStudy`: the one bridge from Django to ADaM.

:func:`extract_raw_study` reads the captured records through the ORM and maps them onto the
raw contract documented in :mod:`inodli.adam.raw`. Only enrolled subjects (with a study ID)
are extracted; ``USUBJID`` is the study ID. Records dated after the cut-off are left out
(an AE stopping later is open; a death later is not yet known), so the derivations never see
the future.

Mapping
-------
DM  Enrolment, first Consent, Demographics (age in whole years at consent), Disease,
    TransplantHistory, PostTransplantRelapse (the latest of each), Death.
EX  InoAdministration with status ``given``: EXDOSE = intended mg/m2, EXDOSMG = dispensed mg
    (calculated mg when none was dispensed), EXBSA = BSA.
PR  DliInfusion (PRCD3KG = product CD3+/mL x volume infused (or computed) / weight) and
    IntrathecalCourse.
RS  ResponseAssessment (the investigator's category, else the computed one; RSOVRFL ``Y`` when
    they differ; VISIT ``AFTER CYCLE n``) and RelapseEvent (RELAPSE or PD; VISIT ``RELAPSE``).
MB  BoneMarrowAssessment (MBNEGFL from the computed MRD status: Y negative, N positive).
AE  AdverseEvent with its worst grade row; the SOC from the protocol's CTCAE tables (GVHD:
    Immune system disorders; otherwise ``NOT CODED``); related = possible, probable, definite.
DS  Death, StudyStatusChange (withdrawn, lost to follow-up, completed, off study) and
    SurvivalFollowUp (LAST KNOWN ALIVE).
LB  LabResult with its panel's collection date.

``--SEQ`` numbers records per subject in date order (then source table, then database id),
and every frame is rebuilt the same way from the same data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from typing import Any

import pandas as pd
from django.utils import timezone

from inodli.adam.raw import RawStudy, empty_frame
from inodli.edc.assessments import models as assessments
from inodli.edc.safety import models as safety
from inodli.edc.safety.adverse_events import OTHER
from inodli.edc.safety.aesi import GVHD_TERMS
from inodli.edc.subjects import models as subjects
from inodli.edc.treatment import models as treatment
from inodli.errors import InputError
from inodli.protocol.ctcae import list_ctcae_lab_terms
from inodli.protocol.ctcae_terms import list_ctcae_clinical_terms

__all__ = ["RESPONSE_CODES", "extract_raw_study"]

SITE_ID = "ZJU1"  # The First Affiliated Hospital, Zhejiang University (the only site)
RESPONSE_CODES = {
    "CR": "CR",
    "CRi": "CRI",
    "MLFS": "MLFS",
    "refractory": "REFRACTORY",
    "active disease": "AD",
    "progressive disease": "PD",
    "relapse": "RELAPSE",
    "not evaluable": "NE",
}
DONORS = {
    "MSD": "MATCHED SIBLING",
    "MUD": "MATCHED UNRELATED",
    "MMUD": "MISMATCHED UNRELATED",
    "HAPLO": "HAPLOIDENTICAL",
    "CORD": "CORD BLOOD",
}
STATUS_DS = {
    "consent_withdrawn": "WITHDRAWAL",
    "lost_to_follow_up": "LOST TO FOLLOW-UP",
    "completed": "COMPLETED",
    "off_study": "OFF STUDY",
}
DEATH_CAUSES = {"relapse": "RELAPSE", "non_relapse": "NON-RELAPSE", "unknown": "UNKNOWN"}
RELATED = ("possible", "probable", "definite")


@cache
def _soc_by_term() -> dict[str, str]:
    socs = {t.name.lower(): t.soc for t in list_ctcae_clinical_terms()}
    socs.update({t.name.lower(): t.soc for t in list_ctcae_lab_terms() if getattr(t, "soc", "")})
    socs.update({t.lower(): "Immune system disorders" for t in GVHD_TERMS})
    return socs


def _flag(value: bool) -> str:
    return "Y" if value else "N"


def _latest(
    model: Any, date_field: str, study_ids: dict[int, str], cutoff: dt.date
) -> dict[int, Any]:
    rows = model.objects.filter(subject_id__in=study_ids, **{f"{date_field}__lte": cutoff})
    latest: dict[int, Any] = {}
    for row in rows.order_by(date_field, "id"):
        latest[row.subject_id] = row
    return latest


def _age(born: dt.date | None, on: dt.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _dm(study_ids: dict[int, str], cutoff: dt.date) -> pd.DataFrame:
    consents = _first_consents(study_ids, cutoff)
    demo = _latest(subjects.Demographics, "recorded_on", study_ids, cutoff)
    disease = _latest(subjects.Disease, "cd22_assessed_on", study_ids, cutoff)
    hsct = _latest(subjects.TransplantHistory, "transplant_date", study_ids, cutoff)
    relapse = _latest(subjects.PostTransplantRelapse, "relapse_date", study_ids, cutoff)
    deaths = {
        d.subject_id: d
        for d in assessments.Death.objects.filter(subject_id__in=study_ids, died_on__lte=cutoff)
    }
    rows = []
    for pk, usubjid in study_ids.items():
        if pk not in consents:
            continue  # consented after the cut-off: not yet in the study at that date
        d, dis, h, r, death = (
            demo.get(pk),
            disease.get(pk),
            hsct.get(pk),
            relapse.get(pk),
            deaths.get(pk),
        )
        rows.append(
            {
                "USUBJID": usubjid,
                "SUBJID": usubjid.rsplit("-", 1)[-1],
                "SITEID": SITE_ID,
                "RFICDTC": consents[pk],
                "RFSTDTC": None,
                "RFENDTC": None,
                "AGE": _age(d.date_of_birth if d else None, consents[pk]),
                "SEX": d.sex if d else "U",
                "DISTYPE": dis.diagnosis if dis else None,
                "PHSTAT": dis.philadelphia.upper() if dis else None,
                "CD22PCT": float(dis.cd22_percent)
                if dis and dis.cd22_percent is not None
                else None,
                "HSCTDTC": h.transplant_date if h else None,
                "DONORTYP": DONORS.get(h.donor_type, "OTHER") if h else None,
                "RELAPDTC": r.relapse_date if r else None,
                "DTHDTC": death.died_on if death else None,
                "DTHFL": "Y" if death else None,
            }
        )
    return pd.DataFrame(rows) if rows else empty_frame("DM")


def _first_consents(study_ids: dict[int, str], cutoff: dt.date) -> dict[int, dt.date]:
    first: dict[int, dt.date] = {}
    for consent in subjects.Consent.objects.filter(
        subject_id__in=study_ids, consent_date__lte=cutoff
    ):
        if consent.subject_id not in first or consent.consent_date < first[consent.subject_id]:
            first[consent.subject_id] = consent.consent_date
    return first


def _numbered(
    name: str,
    records: Iterable[tuple[int, dt.date, int, int, dict[str, Any]]],
    study_ids: dict[int, str],
) -> pd.DataFrame:
    """Rows (subject pk, date, table order, db id, values) -> a frame with USUBJID and --SEQ."""
    rows: list[dict[str, Any]] = []
    counters: dict[int, int] = {}
    for pk, _date, _order, _id, values in sorted(records, key=lambda r: r[:4]):
        counters[pk] = counters.get(pk, 0) + 1
        rows.append({"USUBJID": study_ids[pk], f"{name}SEQ": counters[pk], **values})
    return pd.DataFrame(rows) if rows else empty_frame(name)


def _ex(ids: dict[int, str], cutoff: dt.date) -> pd.DataFrame:
    doses = treatment.InoAdministration.objects.filter(
        subject_id__in=ids, status="given", administered_on__lte=cutoff
    )
    return _numbered(
        "EX",
        (
            (
                d.subject_id,
                d.administered_on,
                0,
                d.id,
                {
                    "EXCYCLE": d.cycle,
                    "EXDAY": d.day,
                    "EXSTDTC": d.administered_on,
                    "EXDOSE": float(d.intended_mg_m2),
                    "EXDOSMG": float(
                        d.dispensed_mg if d.dispensed_mg is not None else d.calculated_mg
                    ),
                    "EXBSA": float(d.bsa_m2),
                },
            )
            for d in doses
        ),
        ids,
    )


def _pr(ids: dict[int, str], cutoff: dt.date) -> pd.DataFrame:
    records = []
    for dli in treatment.DliInfusion.objects.filter(subject_id__in=ids, infused_on__lte=cutoff):
        volume = (
            dli.volume_infused_ml if dli.volume_infused_ml is not None else dli.computed_volume_ml
        )
        cells = dli.product_cd3_per_ml * volume / float(dli.weight_kg)
        records.append(
            (
                dli.subject_id,
                dli.infused_on,
                0,
                dli.id,
                {"PRTRT": "DLI", "PRSTDTC": dli.infused_on, "PRCD3KG": cells},
            )
        )
    for it in treatment.IntrathecalCourse.objects.filter(subject_id__in=ids, given_on__lte=cutoff):
        records.append(
            (
                it.subject_id,
                it.given_on,
                1,
                it.id,
                {"PRTRT": "INTRATHECAL", "PRSTDTC": it.given_on, "PRCD3KG": None},
            )
        )
    return _numbered("PR", records, ids)


def _response_code(category: str, record: Any) -> str:
    if category not in RESPONSE_CODES:
        raise InputError(
            "RS.RSSTRESC",
            f"one of {', '.join(RESPONSE_CODES)}",
            category,
            f"Response assessment {record.pk} of {record.subject}.",
        )
    return RESPONSE_CODES[category]


def _rs(ids: dict[int, str], cutoff: dt.date) -> pd.DataFrame:
    records = []
    for r in assessments.ResponseAssessment.objects.filter(
        subject_id__in=ids, assessed_on__lte=cutoff
    ):
        category = r.investigator_category or r.computed_category
        records.append(
            (
                r.subject_id,
                r.assessed_on,
                0,
                r.id,
                {
                    "VISIT": f"AFTER CYCLE {r.after_cycle}",
                    "RSDTC": r.assessed_on,
                    "RSSTRESC": _response_code(category, r),
                    "RSOVRFL": _flag(
                        bool(r.investigator_category)
                        and r.investigator_category != r.computed_category
                    ),
                },
            )
        )
    for e in assessments.RelapseEvent.objects.filter(subject_id__in=ids, occurred_on__lte=cutoff):
        code = "RELAPSE" if e.kind == assessments.RelapseEvent.Kind.RELAPSE else "PD"
        records.append(
            (
                e.subject_id,
                e.occurred_on,
                1,
                e.id,
                {"VISIT": "RELAPSE", "RSDTC": e.occurred_on, "RSSTRESC": code, "RSOVRFL": "N"},
            )
        )
    return _numbered("RS", records, ids)


def _mb(ids: dict[int, str], cutoff: dt.date) -> pd.DataFrame:
    negative = {"negative": "Y", "positive": "N"}
    marrows = assessments.BoneMarrowAssessment.objects.filter(
        subject_id__in=ids, sampled_on__lte=cutoff
    )
    return _numbered(
        "MB",
        (
            (
                m.subject_id,
                m.sampled_on,
                0,
                m.id,
                {
                    "MBDTC": m.sampled_on,
                    "MBBLAST": m.blast_pct,
                    "MBMRD": m.mrd_level_pct,
                    "MBSENS": m.mrd_sensitivity_pct,
                    "MBNEGFL": negative.get(m.mrd_status),
                },
            )
            for m in marrows
        ),
        ids,
    )


def _ae(ids: dict[int, str], cutoff: dt.date) -> pd.DataFrame:
    events = safety.AdverseEvent.objects.filter(subject_id__in=ids, started_on__lte=cutoff)
    records = []
    for e in events.prefetch_related("grades"):
        grades = [g.grade for g in e.grades.all() if g.effective_on <= cutoff]
        term = e.other_specify if e.term == OTHER and e.other_specify else e.term
        records.append(
            (
                e.subject_id,
                e.started_on,
                0,
                e.id,
                {
                    "AETERM": term,
                    "AESOC": _soc_by_term().get(e.term.lower(), "NOT CODED"),
                    "AETOXGR": max(grades) if grades else None,
                    "AESTDTC": e.started_on,
                    "AEENDTC": e.stopped_on if e.stopped_on and e.stopped_on <= cutoff else None,
                    "AESER": _flag(e.serious),
                    "AEREL": _flag(e.relationship_ino in RELATED),
                    "AERELDLI": _flag(e.relationship_dli in RELATED),
                    "AESI": _flag(bool(e.special_interest)),
                },
            )
        )
    return _numbered("AE", records, ids)


def _ds(ids: dict[int, str], cutoff: dt.date) -> pd.DataFrame:
    records = []
    for d in assessments.Death.objects.filter(subject_id__in=ids, died_on__lte=cutoff):
        records.append(
            (
                d.subject_id,
                d.died_on,
                0,
                d.id,
                {"DSDECOD": "DEATH", "DSSTDTC": d.died_on, "DSCAUSE": DEATH_CAUSES[d.cause]},
            )
        )
    changes = subjects.StudyStatusChange.objects.filter(
        subject_id__in=ids, effective_on__lte=cutoff
    )
    for c in changes:
        if c.status in STATUS_DS:
            records.append(
                (
                    c.subject_id,
                    c.effective_on,
                    1,
                    c.id,
                    {"DSDECOD": STATUS_DS[c.status], "DSSTDTC": c.effective_on, "DSCAUSE": None},
                )
            )
    alive = assessments.SurvivalFollowUp.objects.filter(
        subject_id__in=ids, last_known_alive_on__lte=cutoff
    )
    for s in alive:
        records.append(
            (
                s.subject_id,
                s.last_known_alive_on,
                2,
                s.id,
                {"DSDECOD": "LAST KNOWN ALIVE", "DSSTDTC": s.last_known_alive_on, "DSCAUSE": None},
            )
        )
    return _numbered("DS", records, ids)


def _lb(ids: dict[int, str], cutoff: dt.date) -> pd.DataFrame:
    results = assessments.LabResult.objects.filter(
        panel__subject_id__in=ids, panel__collected_on__lte=cutoff
    ).select_related("panel")
    return _numbered(
        "LB",
        (
            (
                r.panel.subject_id,
                r.panel.collected_on,
                0,
                r.id,
                {
                    "LBTESTCD": r.analyte,
                    "LBDTC": r.panel.collected_on,
                    "LBSTRESN": r.value,
                    "LBSTRESU": r.unit,
                },
            )
            for r in results
        ),
        ids,
    )


def extract_raw_study(cutoff: dt.date | None = None) -> RawStudy:
    """The captured data of enrolled subjects up to ``cutoff`` (default: today, UTC).

    Raises :class:`~inodli.errors.InputError` when a record cannot be mapped onto the raw
    contract (the message names the record) or the contract's checks fail.
    """
    day = cutoff if cutoff is not None else timezone.now().date()
    if not isinstance(day, dt.date):
        raise InputError("cutoff", "a date", cutoff)
    enrolments = subjects.Enrolment.objects.filter(enrolled_on__lte=day)
    study_ids = {e.subject_id: e.study_id for e in enrolments}
    dm = _dm(study_ids, day)
    study_ids = {pk: usubjid for pk, usubjid in study_ids.items() if usubjid in set(dm["USUBJID"])}
    ex = _ex(study_ids, day)
    if not ex.empty:
        first = ex.groupby("USUBJID")["EXSTDTC"].agg(["min", "max"])
        dm["RFSTDTC"] = dm["USUBJID"].map(first["min"])
        dm["RFENDTC"] = dm["USUBJID"].map(first["max"])
    return RawStudy(
        dm=dm,
        ex=ex,
        rs=_rs(study_ids, day),
        ae=_ae(study_ids, day),
        ds=_ds(study_ids, day),
        pr=_pr(study_ids, day),
        mb=_mb(study_ids, day),
        lb=_lb(study_ids, day),
        cutoff=day,
    )
