"""The treatment form pages over HTTP: the computed dose, preparation sheet and decision on the
page, messages beside the fields, nothing saved on a refusal, roles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from inodli.edc.treatment.models import InoAdministration
from tests.edc.factories import enrolled_subject
from tests.edc.treatment.builders import liver_tests

DAY1 = dt.date(2026, 1, 6)


@pytest.fixture
def subject(nurse):
    subject = enrolled_subject(nurse, height_cm="170.0", weight_kg="61.2")
    liver_tests(subject, nurse, DAY1)
    return subject


def url(subject, code="INO_ADMIN"):
    return reverse("subjects:form-new", args=[subject.pk, code])


def ino_post(**changes):
    data = {
        "cycle": "1", "day": "1", "administered_on": DAY1.isoformat(), "status": "given",
        "height_cm": "170.0", "weight_kg": "61.2", "bsa_formula": "mosteller",
        "dispensed_mg": "", "volume_ml": "", "dose_difference_reason": "", "decision_override_reason": "",
        "save": "1",
    }  # fmt: skip
    data.update(changes)
    return data


def test_it_shows_the_computed_dose_and_preparation_sheet(client, subject, nurse):
    client.force_login(nurse)
    page = client.get(url(subject)).content.decode()
    assert 'id="computed-dose">1.36 mg<' in page
    assert "1.70 m²" in page
    assert 'id="preparation-sheet"' in page
    assert "5.4 mL" in page  # 1.36 mg at 0.25 mg/mL = 5.44 mL, to the 0.1 mL mark
    assert "give" in page


def test_it_calculates_without_saving(client, subject, nurse):
    client.force_login(nurse)
    data = ino_post(weight_kg="72.3")
    del data["save"]
    data["preview"] = "1"
    response = client.post(url(subject), data)
    assert response.status_code == 200
    assert 'id="computed-dose">1.48 mg<' in response.content.decode()  # BSA 1.85 x 0.8
    assert not InoAdministration.objects.exists()


def test_it_saves_an_administration(client, subject, nurse):
    client.force_login(nurse)
    response = client.post(url(subject), ino_post())
    assert response.status_code == 302
    dose = InoAdministration.objects.get()
    assert dose.calculated_mg == Decimal("1.360")
    assert dose.created_by == nurse


def test_it_puts_the_missing_reason_beside_the_field_and_keeps_the_input(client, subject, nurse):
    client.force_login(nurse)
    response = client.post(url(subject), ino_post(dispensed_mg="1.80"))
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="errors-dose_difference_reason"' in page
    assert 'value="1.80"' in page
    assert not InoAdministration.objects.exists()


def test_it_refuses_an_administration_before_consent_beside_the_date(client, subject, nurse):
    client.force_login(nurse)
    response = client.post(url(subject), ino_post(administered_on="2025-12-30"))
    assert response.status_code == 422
    assert 'id="errors-administered_on"' in response.content.decode()


def test_it_asks_a_reason_when_a_saved_dose_changes(client, subject, nurse):
    client.force_login(nurse)
    client.post(url(subject), ino_post())
    dose = InoAdministration.objects.get()
    edit = reverse("subjects:form-edit", args=[subject.pk, "INO_ADMIN", dose.pk])
    response = client.post(edit, ino_post(weight_kg="72.3", version="1"))
    assert response.status_code == 422
    assert 'id="errors-reason"' in response.content.decode()
    response = client.post(edit, ino_post(weight_kg="72.3", version="1", reason="re-weighed"))
    assert response.status_code == 302
    dose.refresh_from_db()
    assert (dose.version, dose.calculated_mg) == (2, Decimal("1.480"))


def test_it_lets_the_monitor_read_but_not_save(client, subject, personas):
    client.force_login(personas.monitor)
    assert client.get(url(subject)).status_code == 200
    assert client.post(url(subject), ino_post()).status_code == 403
    assert not InoAdministration.objects.exists()


def test_it_shows_dli_eligibility_with_every_failed_criterion(client, subject, nurse):
    client.force_login(nurse)
    page = client.get(url(subject, "DLI")).content.decode()
    assert "Not eligible" in page
    assert "HLA-loss test missing" in page
    response = client.post(
        url(subject, "DLI"),
        {
            "infused_on": "2026-03-02",
            "weight_kg": "60.0",
            "product_cd3_per_ml": "5e7",
            "preview": "1",
        },
    )
    assert 'id="dli-volume">12.0 mL<' in response.content.decode()


def test_it_shows_no_intrathecal_schedule_before_remission(client, subject, nurse):
    client.force_login(nurse)
    page = client.get(url(subject, "IT")).content.decode()
    assert "No CR/CRi recorded yet" in page


def test_it_speaks_simplified_chinese_to_a_user_who_chose_it(client, subject):
    from inodli.edc.core.roles import Role
    from tests.edc.personas import make_user

    client.force_login(make_user("nurse_zh", Role.NURSE, language="zh-hans"))
    try:
        page = client.get(url(subject)).content.decode()
    finally:
        translation.activate("en")  # the request activated Chinese in this thread
    assert "计算剂量" in page  # "Calculated dose"
    assert "配制单" in page  # "Preparation sheet"
    assert 'id="computed-dose">1.36 mg<' in page


def test_it_shows_the_whole_cycle_plan(client, subject, nurse):
    client.force_login(nurse)
    page = client.get(url(subject)).content.decode()
    plan = page[page.index('id="cycle-plan"') :]
    # cycle 1 at BSA 1.70: 0.8/0.5/0.5 mg/m2 -> 1.36/0.85/0.85 mg; days 8 and 15 +-2 days, and
    # "a minimum of 6 days between doses" makes day 7 the earliest day 8 after day 1
    assert "<td>8</td><td>7–10</td><td>0.5</td><td>0.85</td>" in plan
    assert "<td>15</td><td>13–17</td><td>0.5</td><td>0.85</td>" in plan


def test_it_refuses_the_later_of_two_simultaneous_edits(client, subject, nurse, personas):
    client.force_login(nurse)
    client.post(url(subject), ino_post())
    dose = InoAdministration.objects.get()
    edit = reverse("subjects:form-edit", args=[subject.pk, "INO_ADMIN", dose.pk])
    # the pharmacist saves first, from a form opened at version 1
    client.force_login(personas.pharmacist)
    first = client.post(
        edit, ino_post(version="1", dispensed_mg="1.36", reason="pharmacy dispensed 1.36 mg")
    )
    assert first.status_code == 302
    # the nurse's form, also opened at version 1, is refused: no lost update
    client.force_login(nurse)
    late = client.post(edit, ino_post(version="1", dispensed_mg="1.30", reason="typo"))
    assert late.status_code == 422
    assert "after you opened it" in late.content.decode()
    dose.refresh_from_db()
    assert (dose.version, dose.dispensed_mg) == (2, Decimal("1.360"))
