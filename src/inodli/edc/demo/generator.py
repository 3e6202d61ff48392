"""Build the synthetic 23-patient study through the same services the forms use.

Everything is written with :func:`inodli.edc.core.services.save_record` (and the clinical apps'
own services, :mod:`inodli.edc.demo.clinical`), so the demo data carry the same validation and
audit trail as hand-entered data. A seeded :class:`random.Random` makes the study reproducible;
each record is "entered" on the day it happened (``now``), so the audit trail reads like a real one.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from inodli.edc.core.services import save_record
from inodli.edc.demo.users import create_demo_users
from inodli.edc.subjects import models as m
from inodli.edc.subjects.eligibility import CRITERIA

__all__ = ["N_PATIENTS", "DemoPatient", "DemoSummary", "StudyExistsError", "build_demo_study"]

N_PATIENTS = 23
STUDY_SPAN_DAYS = 730  # the first patient consented two years before "today"
ACCRUAL_DAYS = 420  # patients are enrolled over the first 14 months

SURNAME_INITIALS = "CDFGHJLMSTWXYZ"
GIVEN_INITIALS = "ABCDFGHJLMNPQSTWXYZ"


class StudyExistsError(RuntimeError):
    """The database already holds subjects; the demo never mixes with existing data."""


@dataclass
class DemoPatient:
    """What the generator decided for one patient (the clinical step reads it)."""

    subject: Any
    consent_date: dt.date
    enrolled_on: dt.date
    height_cm: Decimal
    weight_kg: Decimal
    diagnosis: str
    donor_type: str
    worst_prior_agvhd: int
    prior_cgvhd: str
    marrow_blasts: Decimal
    extramedullary: bool


@dataclass
class DemoSummary:
    subjects: int
    screen_failures: int
    users: list[str]
    clinical: dict[str, int] = field(default_factory=dict)


def entered_at(day: dt.date, hour: int = 10) -> dt.datetime:
    """The moment a record about ``day`` is entered: that day at ``hour`` on the ward clock."""
    local = dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return local.astimezone(dt.UTC)


def _initials(rng: random.Random) -> str:
    return rng.choice(SURNAME_INITIALS) + "".join(rng.choices(GIVEN_INITIALS, k=rng.choice((1, 2))))


def _answers(eligible: bool, rng: random.Random) -> dict[str, str]:
    answers = {c.code: ("yes" if c.kind == "inclusion" else "no") for c in CRITERIA}
    if not eligible:
        answers["INC03"] = "no"  # CD22-negative blasts: the classic screen failure for InO
    return answers


def _baseline(patient_rng: random.Random, subject: Any, user: Any, consent: dt.date) -> DemoPatient:
    rng = patient_rng
    at = entered_at(consent)
    sex = rng.choice("FM")
    age_years = rng.randint(18, 68)
    height = Decimal(str(round(rng.gauss(172 if sex == "M" else 160, 6), 1)))
    weight = Decimal(str(round(rng.gauss(68 if sex == "M" else 56, 9), 1)))
    save_record(
        m.Demographics(
            subject=subject,
            recorded_on=consent,
            date_of_birth=consent
            - dt.timedelta(days=int(age_years * 365.25) + rng.randint(0, 300)),
            sex=sex,
            ethnicity="Han",
        ),
        user,
        now=at,
    )
    save_record(
        m.BodyMeasurement(subject=subject, measured_on=consent, height_cm=height, weight_kg=weight),
        user,
        now=at,
    )
    diagnosis = "LBL" if rng.random() < 0.15 else "B-ALL"
    transplant_date = consent - dt.timedelta(days=rng.randint(150, 720))
    diagnosed_on = transplant_date - dt.timedelta(days=rng.randint(120, 400))
    save_record(
        m.Disease(
            subject=subject,
            diagnosis=diagnosis,
            diagnosed_on=diagnosed_on,
            philadelphia="positive" if rng.random() < 0.3 else "negative",
            cd22_percent=Decimal(rng.randint(70, 99)),
            cd22_assessed_on=consent - dt.timedelta(days=rng.randint(1, 10)),
        ),
        user,
        now=at,
    )
    donor = rng.choices(["HAPLO", "MSD", "MUD", "MMUD"], weights=[55, 25, 15, 5])[0]
    matched = {"HAPLO": rng.choice((5, 6)), "MMUD": 9}.get(donor, 10)
    worst_agvhd = rng.choices([0, 1, 2, 3, 4], weights=[45, 22, 20, 9, 4])[0]
    prior_cgvhd = rng.choices(["none", "mild", "moderate"], weights=[70, 20, 10])[0]
    save_record(
        m.TransplantHistory(
            subject=subject,
            transplant_date=transplant_date,
            donor_type=donor,
            hla_matched=matched,
            hla_typed=10,
            conditioning_intensity=rng.choices(["MAC", "RIC"], weights=[80, 20])[0],
            conditioning_regimen=rng.choice(["Bu/Cy/ATG", "TBI/Cy", "Bu/Flu", "Flu/Bu/ATG"]),
            worst_prior_acute_gvhd_grade=worst_agvhd,
            prior_chronic_gvhd=prior_cgvhd,
        ),
        user,
        now=at,
    )
    extramedullary = diagnosis == "LBL" or rng.random() < 0.12
    blasts = Decimal(rng.randint(1, 4) if diagnosis == "LBL" else rng.randint(8, 85))
    save_record(
        m.PostTransplantRelapse(
            subject=subject,
            relapse_date=consent - dt.timedelta(days=rng.randint(7, 25)),
            marrow_blasts_percent=blasts,
            extramedullary=extramedullary,
            extramedullary_sites=rng.choice(["mediastinum", "testis", "skin", "lymph nodes"])
            if extramedullary
            else "",
            cns_status=rng.choices(["CNS1", "CNS2", "CNS3"], weights=[88, 8, 4])[0],
            mrd_percent=Decimal("0.8") if blasts < 5 else None,
            mrd_method="8-colour flow, sensitivity 10^-4" if blasts < 5 else "",
        ),
        user,
        now=at,
    )
    start = diagnosed_on + dt.timedelta(days=5)
    for line in range(1, rng.randint(1, 3) + 1):
        end = start + dt.timedelta(days=rng.randint(40, 120))
        if end >= transplant_date:
            break
        save_record(
            m.PriorTherapy(
                subject=subject,
                line_number=line,
                regimen=rng.choice(["VDCLP", "hyper-CVAD", "CAM", "blinatumomab", "VP + TKI"]),
                started_on=start,
                ended_on=end,
                best_response=rng.choices(["CR", "CRi", "PR", "NR"], weights=[60, 15, 15, 10])[0],
            ),
            user,
            now=at,
        )
        start = end + dt.timedelta(days=rng.randint(7, 30))
    return DemoPatient(subject, consent, consent, height, weight, diagnosis, donor, worst_agvhd,
                       prior_cgvhd, blasts, extramedullary)  # fmt: skip


def _screen(
    rng: random.Random, users: dict[str, Any], consent: dt.date, *, eligible: bool
) -> tuple[Any, dt.date]:
    nurse, investigator = users["nurse"], users["investigator"]
    registered = consent - dt.timedelta(days=rng.randint(0, 2))
    subject = m.Subject(
        screening_number=m.next_screening_number(),
        initials=_initials(rng),
        registered_on=registered,
    )
    save_record(subject, nurse, now=entered_at(registered, 9))
    save_record(
        m.Consent(
            subject=subject,
            consent_date=consent,
            consent_version="1.0 (2024-09-01)",
            obtained_by="Dr Chen Wei",
        ),
        investigator,
        now=entered_at(consent, 9),
    )
    assessed = consent + dt.timedelta(days=rng.randint(1, 4))
    save_record(
        m.EligibilityAssessment(
            subject=subject,
            assessed_on=assessed,
            answers=_answers(eligible, rng),
            assessed_by="Dr Chen Wei",
        ),
        investigator,
        now=entered_at(assessed, 11),
    )
    return subject, assessed


def build_demo_study(
    *, seed: int = 20261124, today: dt.date | None = None, clinical: bool = True
) -> DemoSummary:
    """Create the demo users and the synthetic study; refuse if subjects already exist.

    Parameters
    ----------
    seed : int
        Seed of the generator: the same seed gives the same study.
    today : datetime.date, optional
        The study's "today" (default: the local date); the first consent is two years earlier.
    clinical : bool
        Also record treatment, assessments and safety (the clinical apps' services).
    """
    from django.utils import timezone

    today = today or timezone.localdate()
    if m.Subject.objects.exists():
        raise StudyExistsError(
            f"the database already holds a study ({m.Subject.objects.count()} subjects); "
            "the demo only builds into an empty database"
        )
    rng = random.Random(seed)
    with transaction.atomic():
        users = create_demo_users()
        start = today - dt.timedelta(days=STUDY_SPAN_DAYS)
        patients: list[DemoPatient] = []
        failures = 0
        for index in range(N_PATIENTS):
            consent = start + dt.timedelta(days=round(index * ACCRUAL_DAYS / (N_PATIENTS - 1)))
            if index in (4, 15):  # two screen failures along the way
                _screen(
                    random.Random(rng.random()),
                    users,
                    consent - dt.timedelta(days=3),
                    eligible=False,
                )
                failures += 1
            patient_rng = random.Random(rng.random())
            subject, enrolled_on = _screen(patient_rng, users, consent, eligible=True)
            save_record(
                m.Enrolment(subject=subject, study_id=m.next_study_id(), enrolled_on=enrolled_on),
                users["investigator"],
                now=entered_at(enrolled_on, 12),
            )
            patient = _baseline(patient_rng, subject, users["nurse"], consent)
            patient.enrolled_on = enrolled_on
            patients.append(patient)
        summary = DemoSummary(len(patients), failures, sorted(users))
        if clinical:
            from inodli.edc.demo import clinical as clinical_step

            summary.clinical = clinical_step.record_clinical_course(patients, users, rng, today)
    return summary
