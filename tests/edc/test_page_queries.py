"""Query budgets of the busiest pages, with subjects as the demo study records them.

The subject page reads each form's records once (25 forms today) and the dashboard reads each
calendar form's record dates once for all subjects: neither grows with the number of records or
subjects. A page that starts reading row by row (an N+1 query) fails here. Speed itself is
measured by ``bench/bench_edc_load.py``, never asserted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from inodli.edc.core.registry import all_forms
from inodli.edc.demo import generator
from inodli.edc.subjects.models import Enrolment, Subject

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)
# Beside one query per registered form, the subject page reads: the session (and saves it on a
# first visit), the user, the roles, the subject, the language profile, the audit stamp of the
# calendar cache and the remission date (first CR/CRi).
SUBJECT_PAGE_OVERHEAD = 9
DASHBOARD_QUERIES = 30  # a cold calendar cache: one query per calendar form, for all subjects


@pytest.fixture
def demo_study(monkeypatch: pytest.MonkeyPatch) -> list[Subject]:
    """Four demo patients with their whole clinical course (treatment, labs, AEs, GVHD, DLI)."""
    monkeypatch.setattr(generator, "N_PATIENTS", 4)
    generator.build_demo_study(seed=20261124, today=TODAY)
    enrolled = Enrolment.objects.values_list("subject_id", flat=True)
    return list(Subject.objects.filter(pk__in=enrolled))


@pytest.fixture
def nurse_client(demo_study: list[Subject]) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="nurse"))
    return client


def _records(subject: Subject) -> int:
    return sum(spec.records(subject).count() for spec in all_forms())


def _with_graded_adverse_events(subject: Subject) -> Subject:
    """Two AEs with a grade change each (grades allowed by CTCAE v5.0 for the term): every
    grade's text names its AE, a parent record."""
    from inodli.edc.safety.services import record_adverse_event, record_grade_change
    from inodli.edc.treatment.models import InoAdministration

    nurse = get_user_model().objects.get(username="nurse")
    day1 = InoAdministration.objects.filter(subject=subject).order_by("administered_on")[0]
    on = day1.administered_on + dt.timedelta(days=1)
    for term, onset, later in (("Febrile neutropenia", 3, 4), ("Nausea", 1, 2)):
        event = record_adverse_event(
            subject, nurse, term=term, started_on=on, grade=onset, relationship_ino="not_related"
        )
        record_grade_change(event, nurse, effective_on=on + dt.timedelta(days=1), grade=later)
    return subject


def test_it_reads_the_busiest_subject_page_in_one_query_per_form(
    demo_study: list[Subject], nurse_client: Client, django_assert_max_num_queries: Any
) -> None:
    subject = _with_graded_adverse_events(max(demo_study, key=_records))
    assert _records(subject) > 40  # a realistic casebook, not an empty one
    with django_assert_max_num_queries(len(all_forms()) + SUBJECT_PAGE_OVERHEAD):
        page = nurse_client.get(reverse("subjects:detail", args=[subject.pk]))
    assert page.status_code == 200
    assert 'id="calendar"' in page.content.decode()


def test_it_reads_the_subject_page_in_the_same_queries_for_every_subject(
    demo_study: list[Subject], nurse_client: Client
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    nurse_client.get(reverse("subjects:list"))  # the session's first save happens here
    counts = {}
    for subject in demo_study:
        with CaptureQueriesContext(connection) as queries:
            nurse_client.get(reverse("subjects:detail", args=[subject.pk]))
        counts[subject.pk] = len(queries)
    assert len({_records(subject) for subject in demo_study}) > 1  # casebooks of different sizes
    # No query per record; a subject without a first dose skips the remission-date lookup.
    assert max(counts.values()) - min(counts.values()) <= 1, counts
    assert max(counts.values()) <= len(all_forms()) + SUBJECT_PAGE_OVERHEAD


def test_it_reads_the_dashboard_in_a_fixed_number_of_queries(
    demo_study: list[Subject], nurse_client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        page = nurse_client.get(reverse("visits:dashboard"))
    assert page.status_code == 200
    assert page.content.decode().count("/subjects/") >= len(demo_study)
