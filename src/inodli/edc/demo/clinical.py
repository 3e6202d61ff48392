"""The clinical course of the demo patients, recorded through the clinical apps' services.

Each patient is walked through the protocol in date order, exactly as a ward would enter it:
screening labs and marrow, InO cycle 1 (days 1, 8, 15) with labs before each dose, the
end-of-cycle-1 response, cycle 2, the primary response assessment, the HLA-loss test and DLI
for the eligible, intrathecal courses after remission, adverse events (febrile neutropenia,
infusion reactions, VOD/SOS, GVHD), relapse or progression, survival follow-up and death; then
the AE review of every visit that expects one, answered from the adverse events recorded.

Nothing clinical is decided here: doses, the give/hold decision, response categories, DLI
eligibility and dose, GVHD grades are computed by :mod:`inodli.protocol` inside the services.
The generator only chooses the *observations* (blast counts, blood counts, dates). Outcome
probabilities are set so the study looks like INO-VATE: CR/CRi 80.7% (Kantarjian 2016, NEJM
375:740) and VOD/SOS 14% (Kantarjian 2019, Cancer 125:2474); median remission ~6 months and
high mortality after post-transplant relapse (trial record: OS ~25%).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError

__all__ = ["record_clinical_course"]

DAY = dt.timedelta(days=1)

#: Reference limits printed on the demo lab reports (value, LLN, ULN in the analyte's unit).
LIMITS = {
    "wbc": (3.5, 9.5),
    "anc": (1.8, 6.3),
    "platelets": (125.0, 350.0),
    "hemoglobin": (115.0, 150.0),
    "pb_blasts_pct": (None, None),
    "creatinine": (44.0, 133.0),
    "bilirubin": (None, 21.0),
    "ast": (None, 40.0),
    "alt": (None, 40.0),
}

# Blood counts by disease state: (ANC, platelets, peripheral blasts %).
COUNTS = {
    "active": (0.4, 28.0, 12.0),
    "cr": (2.1, 165.0, 0.0),
    "cri": (0.8, 72.0, 0.0),
    "relapse": (0.5, 30.0, 25.0),
}


@dataclass
class Course:
    """The running state of one patient's course."""

    patient: Any
    rng: random.Random
    users: dict[str, Any]
    cutoff: dt.date
    counts: Counter[str]
    died: bool = False

    @property
    def subject(self) -> Any:
        return self.patient.subject

    def at(self, day: dt.date, hour: int = 10) -> dt.datetime:
        from inodli.edc.demo.generator import entered_at

        return entered_at(day, hour)

    def labs(self, on: dt.date, state: str, *, bilirubin: float = 11.0) -> None:
        from inodli.edc.assessments.services import record_labs

        anc, platelets, blasts = COUNTS[state]
        jitter = self.rng.uniform(0.85, 1.15)
        values = {
            "wbc": round(anc * 1.9 * jitter + 0.6, 2),
            "anc": round(anc * jitter, 2),
            "platelets": round(platelets * jitter),
            "hemoglobin": round(self.rng.uniform(78, 118)),
            "pb_blasts_pct": blasts,
            "creatinine": round(self.rng.uniform(50, 95)),
            "bilirubin": bilirubin,
            "ast": round(self.rng.uniform(15, 38)),
            "alt": round(self.rng.uniform(12, 38)),
        }
        results = {code: (value, *LIMITS[code]) for code, value in values.items()}
        record_labs(
            self.subject, self.users["nurse"], collected_on=on, results=results, now=self.at(on, 8)
        )
        self.counts["lab panels"] += 1

    def marrow(self, on: dt.date, blasts: float, mrd: float | None = None) -> None:
        from inodli.edc.assessments.services import record_marrow

        record_marrow(
            self.subject, self.users["investigator"], sampled_on=on, blast_pct=blasts,
            cellularity_pct=round(self.rng.uniform(20, 60)),
            mrd_method="flow" if mrd is not None else "not_done",
            mrd_level_pct=mrd, mrd_sensitivity_pct=0.01 if mrd is not None else None,
            now=self.at(on, 15),
        )  # fmt: skip
        self.counts["bone marrow assessments"] += 1

    def extramedullary(self, on: dt.date, status: str) -> None:
        if not self.patient.extramedullary:
            return
        from inodli.edc.assessments.services import record_extramedullary

        record_extramedullary(
            self.subject, self.users["investigator"], assessed_on=on, method="pet_ct",
            status=status, deauville_score=2 if status == "none" else 5, sites="mediastinum",
            now=self.at(on, 14),
        )  # fmt: skip

    def response(self, on: dt.date, after_cycle: int) -> str:
        from inodli.edc.assessments.services import record_response

        record = record_response(
            self.subject,
            self.users["investigator"],
            assessed_on=on,
            after_cycle=after_cycle,
            now=self.at(on, 17),
        )
        self.counts["response assessments"] += 1
        return str(record.investigator_category)

    def dose(self, cycle: int, day: int, on: dt.date) -> bool:
        from inodli.edc.treatment.services import record_ino_administration

        try:
            record_ino_administration(
                self.subject,
                self.users["nurse"],
                cycle=cycle,
                day=day,
                administered_on=on,
                now=self.at(on, 11),
            )
        except ValidationError as error:  # the protocol said hold or stop: record the dose as held
            record_ino_administration(
                self.subject, self.users["nurse"], cycle=cycle, day=day, administered_on=on,
                status="held", now=self.at(on, 11),
            )  # fmt: skip
            self.counts["InO doses held"] += 1
            self.counts[f"held because: {next(iter(error.message_dict))}"] += 1
            return False
        self.counts["InO doses given"] += 1
        return True

    def adverse_event(self, term: str, on: dt.date, grade: int, **kwargs: Any) -> None:
        from inodli.edc.safety.services import record_adverse_event

        kwargs.setdefault("relationship_ino", "possible")
        record_adverse_event(
            self.subject,
            self.users["investigator"],
            term=term,
            started_on=on,
            grade=grade,
            now=self.at(on, 16),
            **kwargs,
        )
        self.counts[f"AE: {term}"] += 1

    def gvhd_free(self, on: dt.date) -> None:
        from inodli.edc.safety.services import record_acute_gvhd, record_chronic_gvhd

        user = self.users["investigator"]
        record_acute_gvhd(
            self.subject,
            user,
            assessed_on=on,
            skin_erythema_bsa_pct=0,
            bilirubin=11,
            weight_kg=self.patient.weight_kg,
            stool_ml_per_day=100,
            now=self.at(on, 16),
        )
        record_chronic_gvhd(self.subject, user, assessed_on=on, scores={}, now=self.at(on, 16))
        self.counts["GVHD assessments"] += 2

    def ok(self, day: dt.date) -> bool:
        """Still alive and not past the data cut-off."""
        return not self.died and day <= self.cutoff


def _treat(
    course: Course, day1: dt.date, responder_c1: str | None, late_responder: bool, vod: bool
) -> str | None:
    """Cycles 1 and 2 and the primary assessment; returns the remission category or None."""
    rng, patient = course.rng, course.patient
    course.labs(patient.enrolled_on, "active")
    course.marrow(patient.enrolled_on, float(patient.marrow_blasts))
    course.extramedullary(patient.enrolled_on, "present")
    course.gvhd_free(patient.enrolled_on)
    for day in (1, 8, 15):
        on = day1 + (day - 1) * DAY
        course.labs(on, "active")
        course.dose(1, day, on)
        if day == 1 and rng.random() < 0.06:
            course.adverse_event(
                "Infusion related reaction",
                on,
                2,
                outcome="recovered",
                stopped_on=on,
                relationship_ino="probable",
            )
    if rng.random() < 0.35:
        onset = day1 + rng.randint(9, 14) * DAY
        course.adverse_event(
            "Febrile neutropenia",
            onset,
            3,
            outcome="recovered",
            stopped_on=onset + rng.randint(3, 7) * DAY,
            serious=("hospitalisation",),
        )
    eoc1 = day1 + 18 * DAY
    state = {"CR": "cr", "CRi": "cri"}.get(responder_c1 or "", "active")
    course.labs(eoc1, state)
    course.marrow(
        eoc1,
        rng.uniform(0.5, 3.5) if responder_c1 else rng.uniform(15, 60),
        mrd=rng.choice((0.005, 0.02, None)) if responder_c1 else None,
    )
    course.extramedullary(eoc1, "none" if responder_c1 else "present")
    category = course.response(eoc1, after_cycle=1)
    remission = category if category in {"CR", "CRi"} else None
    c2d1 = day1 + 21 * DAY
    for day in (1, 8, 15):
        on = c2d1 + (day - 1) * DAY
        if not course.ok(on):
            return remission
        course.labs(
            on, state if remission else ("cri" if late_responder and day == 15 else "active")
        )
        course.dose(2, day, on)
    if vod:
        onset = c2d1 + rng.randint(16, 24) * DAY
        if course.ok(onset):
            course.labs(onset, state or "active", bilirubin=round(rng.uniform(45, 90), 1))
            fatal = rng.random() < 0.4
            course.adverse_event(
                "Sinusoidal obstruction syndrome", onset, 5 if fatal else rng.choice((3, 4)),
                relationship_ino="probable", outcome="fatal" if fatal else "recovered",
                stopped_on=None if fatal else onset + rng.randint(14, 30) * DAY,
                serious=("hospitalisation", "life_threatening", *(("results_in_death",) if fatal else ())),
            )  # fmt: skip
            if fatal:
                _death(course, onset + rng.randint(3, 15) * DAY, "non_relapse", "Hepatic VOD/SOS")
                return remission
    primary = c2d1 + (14 + 30) * DAY
    if not course.ok(primary):
        return remission
    responded = bool(remission) or late_responder
    final_state = state if remission else ("cri" if late_responder else "active")
    course.labs(primary, final_state)
    course.marrow(
        primary,
        rng.uniform(0.2, 3.0) if responded else rng.uniform(20, 70),
        mrd=0.005 if responded and rng.random() < 0.7 else None,
    )
    course.extramedullary(primary, "none" if responded else "present")
    category = course.response(primary, after_cycle=2)
    if remission is None and category in {"CR", "CRi"}:
        remission = category
    return remission


def _dli(course: Course, on: dt.date) -> bool:
    from inodli.edc.treatment.dli import eligibility_on
    from inodli.edc.treatment.services import record_dli_infusion, record_hla_loss_test

    rng, patient = course.rng, course.patient
    mismatched = patient.donor_type in {"HAPLO", "MMUD"}
    result = "loss" if mismatched and rng.random() < 0.2 else "no_loss"
    record_hla_loss_test(
        course.subject,
        course.users["investigator"],
        sampled_on=on,
        result=result,
        now=course.at(on, 15),
    )
    infusion = on + 7 * DAY
    if not course.ok(infusion):
        return False
    _inputs, eligibility = eligibility_on(course.subject, infusion)
    if not eligibility.eligible:
        course.counts["DLI not eligible"] += 1
        return False
    record_dli_infusion(
        course.subject,
        course.users["pharmacist"],
        infused_on=infusion,
        product_cd3_per_ml=rng.choice((5e7, 8e7, 1.2e8)),
        now=course.at(infusion, 13),
    )
    course.counts["DLI infusions"] += 1
    return True


def _death(course: Course, on: dt.date, cause: str, primary: str) -> None:
    if not course.ok(on):
        return
    from inodli.edc.assessments.services import record_death

    record_death(
        course.subject,
        course.users["investigator"],
        died_on=on,
        cause=cause,
        primary_cause=primary,
        now=course.at(on, 18),
    )
    course.counts["deaths"] += 1
    course.died = True


def _follow_up(
    course: Course, day1: dt.date, remission: str | None, after: dt.date, dli_on: dt.date | None
) -> None:
    """IT courses, GVHD after DLI, relapse or progression, survival contacts and death."""
    from inodli.edc.assessments.services import record_relapse, record_survival
    from inodli.edc.treatment.services import record_intrathecal_course

    rng = course.rng
    end = min(course.cutoff, day1 + 730 * DAY)
    if remission:
        relapse_on = after + int(rng.expovariate(1 / 260)) * DAY
        nrm = rng.random() < 0.12
        death_on = (
            (after + rng.randint(60, 400) * DAY)
            if nrm
            else relapse_on + int(rng.expovariate(1 / 120) + 20) * DAY
        )
        if not nrm and rng.random() < 0.2:
            death_on = end + DAY  # alive at the cut-off after relapse
    else:
        relapse_on = after + rng.randint(10, 40) * DAY
        death_on = relapse_on + int(rng.expovariate(1 / 80) + 15) * DAY
        nrm = False
    if dli_on is not None and rng.random() < 0.3:
        onset = dli_on + rng.randint(14, 35) * DAY
        if course.ok(onset) and onset < min(relapse_on, death_on):
            course.adverse_event(
                "Acute graft versus host disease",
                onset,
                rng.choice((2, 3)),
                relationship_ino="not_related",
                relationship_dli="probable",
                outcome="recovered",
                stopped_on=onset + 40 * DAY,
            )
            from inodli.edc.safety.services import record_acute_gvhd

            record_acute_gvhd(
                course.subject,
                course.users["investigator"],
                assessed_on=onset,
                skin_erythema_bsa_pct=rng.choice((30, 60)),
                bilirubin=15,
                weight_kg=course.patient.weight_kg,
                stool_ml_per_day=rng.choice((300, 800)),
                now=course.at(onset, 16),
            )
            course.counts["GVHD assessments"] += 1
    it_day = after + 28 * DAY
    courses = 0
    month = after + 30 * DAY
    relapsed = False
    while month <= end and not course.died:
        if not relapsed and relapse_on <= month and relapse_on <= end:
            kind = "relapse" if remission else "progression"
            record_relapse(
                course.subject,
                course.users["investigator"],
                occurred_on=relapse_on,
                kind=kind,
                marrow_blast_pct=round(rng.uniform(20, 70)),
                now=course.at(relapse_on, 17),
            )
            course.counts[kind] += 1
            relapsed = True
            _off_treatment(course, relapse_on)
        if death_on <= month:
            cause = "non_relapse" if nrm and not relapsed else "relapse"
            _death(
                course,
                death_on,
                cause,
                "Infection" if cause == "non_relapse" else "Progressive leukaemia",
            )
            break
        if remission and not relapsed and courses < 6 and it_day <= month:
            record_intrathecal_course(
                course.subject,
                course.users["investigator"],
                given_on=it_day,
                now=course.at(it_day, 11),
            )
            course.counts["intrathecal courses"] += 1
            courses += 1
            it_day += 30 * DAY
        record_survival(
            course.subject,
            course.users["nurse"],
            last_known_alive_on=month,
            method=rng.choice(("visit", "phone")),
            disease_status="relapsed"
            if relapsed
            else ("in remission" if remission else "active disease"),
            now=course.at(month, 10),
        )
        course.counts["survival contacts"] += 1
        if (month - after).days % 90 < 30:
            course.labs(month, "relapse" if relapsed else ("cr" if remission else "active"))
        month += (30 if (month - day1).days < 365 else 91) * DAY


def _ae_reviews(course: Course) -> None:
    """The AE review of each visit the calendar expects one at, on the visit's target day (the
    day of death when the patient died inside the window), once the course is known.

    The answer is the one the recorded adverse events support (Yes when one started or
    worsened since the previous review), so the demo raises no AE review query; visits still
    ahead of the cut-off, after death or after leaving the study get none.
    """
    from inodli.edc.safety.ae_review import answer_from_records
    from inodli.edc.safety.models import AdverseEventReview
    from inodli.edc.safety.services import record_ae_review
    from inodli.edc.visits.calendar import subject_calendar

    death = apps.get_model("assessments", "Death")
    died_on = death.objects.filter(subject=course.subject).values_list("died_on", flat=True).first()
    reviewed: list[dt.date] = []
    for row in subject_calendar(course.subject, today=course.cutoff).rows:
        expected = any(
            AdverseEventReview.form_code in form.codes and form.status in {"required", "missed"}
            for form in row.forms
        )
        visit = row.visit
        on = min(visit.target_date, died_on or visit.target_date)
        if (
            not expected
            or visit.target_date > course.cutoff
            or on < visit.window_start
            or any(visit.window_start <= day <= visit.window_end for day in reviewed)
        ):
            continue  # not expected, still ahead, or already reviewed in an overlapping window
        record_ae_review(
            course.subject,
            course.users["investigator"],
            reviewed_on=on,
            any_events=answer_from_records(course.subject, on),
            reviewed_by="Dr Chen Wei",
            now=course.at(on, 17),
        )
        reviewed.append(on)
        course.counts["AE reviews"] += 1


def _off_treatment(course: Course, on: dt.date) -> None:
    from inodli.edc.core.services import save_record
    from inodli.edc.subjects.models import StudyStatusChange

    save_record(
        StudyStatusChange(
            subject=course.subject,
            effective_on=on,
            status="off_treatment",
            explanation="Relapse or progression",
        ),
        course.users["investigator"],
        now=course.at(on, 18),
    )


def record_clinical_course(
    patients: list[Any], users: dict[str, Any], rng: random.Random, today: dt.date
) -> dict[str, int]:
    """Record treatment, assessments and safety for ``patients``; returns counts per record type."""
    needed = ("inodli.edc.treatment", "inodli.edc.assessments", "inodli.edc.safety")
    if not all(apps.is_installed(name) for name in needed):
        return {}
    counts: Counter[str] = Counter()
    for patient in patients:
        course = Course(patient, random.Random(rng.random()), users, today, counts)
        day1 = patient.enrolled_on + course.rng.randint(2, 5) * DAY
        if not course.ok(day1):
            continue
        draw = course.rng.random()
        # INO-VATE: CR/CRi 80.7%, mostly after cycle 1; a few respond only after cycle 2
        responder_c1 = "CR" if draw < 0.42 else ("CRi" if draw < 0.72 else None)
        late = responder_c1 is None and course.rng.random() < 0.3
        vod = course.rng.random() < 0.14
        remission = _treat(course, day1, responder_c1, late, vod)
        primary = day1 + (21 + 14 + 30) * DAY
        dli_on = None
        if remission and course.ok(primary + 2 * DAY) and _dli(course, primary + 2 * DAY):
            dli_on = primary + 9 * DAY
        if not course.died:
            _follow_up(course, day1, remission, primary, dli_on)
        _ae_reviews(course)
        counts["patients in CR/CRi"] += bool(remission)
    return dict(counts)
