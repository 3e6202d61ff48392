"""The EDC extract: records created through the EDC services come out as the raw contract.

Expected values follow from the records entered below: BSA by Mosteller for 170 cm and 61.2 kg
is 1.70 m2, the day-1 dose 0.8 x 1.70 = 1.36 mg, dispensed as 5.4 mL of 0.25 mg/mL = 1.35 mg
(tests/edc/treatment/test_ino_administration.py); age at consent 2026-01-05 for a birth date
of 1990-03-01 is 35 years.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from tests.edc.factories import consented_subject, enrolled_subject
from tests.edc.personas import make_personas
from tests.edc.treatment.builders import blood_count, liver_tests, remission_after_cycle_1

from inodli.adam.adsl import derive_adsl
from inodli.adam.adtte import derive_adtte
from inodli.edc.assessments.services import record_death, record_relapse, record_survival
from inodli.edc.core.services import save_record
from inodli.edc.extract import extract_raw_study
from inodli.edc.safety.services import record_adverse_event, record_grade_change
from inodli.edc.subjects import models as m
from inodli.edc.treatment.services import record_ino_administration

pytestmark = pytest.mark.django_db
CONSENT = dt.date(2026, 1, 5)
DAY1 = dt.date(2026, 1, 6)


def _baseline(subject: Any, user: Any) -> None:
    save_record(
        m.Demographics(
            subject=subject,
            recorded_on=CONSENT,
            date_of_birth=dt.date(1990, 3, 1),
            sex="F",
            ethnicity="Han",
        ),
        user,
    )
    save_record(
        m.Disease(
            subject=subject,
            diagnosis="B-ALL",
            diagnosed_on=dt.date(2023, 5, 1),
            philadelphia="negative",
            cd22_percent=Decimal("92"),
            cd22_assessed_on=dt.date(2026, 1, 2),
        ),
        user,
    )
    save_record(
        m.TransplantHistory(
            subject=subject,
            transplant_date=dt.date(2024, 6, 1),
            donor_type="MSD",
            hla_matched=10,
            hla_typed=10,
            conditioning_intensity="MAC",
            conditioning_regimen="Bu/Cy",
            worst_prior_acute_gvhd_grade=1,
            prior_chronic_gvhd="none",
        ),
        user,
    )
    save_record(
        m.PostTransplantRelapse(
            subject=subject,
            relapse_date=dt.date(2025, 12, 20),
            marrow_blasts_percent=Decimal("40"),
            extramedullary=False,
            cns_status="CNS1",
        ),
        user,
    )


@pytest.fixture
def study(db: None) -> dict[str, Any]:
    nurse = make_personas().nurse
    first = enrolled_subject(nurse, on=CONSENT, height_cm="170.0", weight_kg="61.2")
    _baseline(first, nurse)
    liver_tests(first, nurse, DAY1)
    blood_count(first, nurse, DAY1, anc=1.2, platelets=60.0)
    record_ino_administration(first, nurse, cycle=1, day=1, administered_on=DAY1)
    record_ino_administration(
        first, nurse, cycle=1, day=8, administered_on=DAY1 + dt.timedelta(days=7)
    )
    remission_after_cycle_1(first, nurse, dt.date(2026, 1, 26), in_remission=True)
    vod = record_adverse_event(
        first,
        nurse,
        term="Sinusoidal obstruction syndrome",
        started_on=dt.date(2026, 1, 20),
        grade=2,
        relationship_ino="probable",
        serious=("hospitalisation",),
    )
    record_grade_change(vod, nurse, effective_on=dt.date(2026, 1, 22), grade=3)
    record_relapse(first, nurse, occurred_on=dt.date(2026, 3, 1), marrow_blast_pct=30.0)
    record_death(
        first, nurse, died_on=dt.date(2026, 3, 20), cause="relapse", primary_cause="Leukaemia"
    )
    second = enrolled_subject(nurse, on=CONSENT)
    record_survival(second, nurse, last_known_alive_on=dt.date(2026, 2, 1))
    save_record(
        m.StudyStatusChange(
            subject=second, effective_on=dt.date(2026, 2, 10), status="lost_to_follow_up"
        ),
        nurse,
    )
    consented_subject(nurse, on=CONSENT)  # screened, never enrolled: not in the extract
    # Subject.study_id is cached on the instance (possibly before enrolment): ask the table.
    ids = dict(m.Enrolment.objects.values_list("subject_id", "study_id"))
    return {"first": ids[first.pk], "second": ids[second.pk]}


def test_it_extracts_demographics_and_exposure(study: dict[str, Any]) -> None:
    raw = extract_raw_study(cutoff=dt.date(2026, 6, 30))
    assert sorted(raw.dm["USUBJID"]) == sorted(study.values())
    dm = raw.dm.set_index("USUBJID").loc[study["first"]]
    assert (dm["AGE"], dm["SEX"], dm["DISTYPE"], dm["PHSTAT"]) == (35, "F", "B-ALL", "NEGATIVE")
    assert (dm["DONORTYP"], dm["CD22PCT"]) == ("MATCHED SIBLING", 92.0)
    assert dm["RFSTDTC"] == pd.Timestamp(DAY1)
    assert (dm["DTHDTC"], dm["DTHFL"]) == (pd.Timestamp("2026-03-20"), "Y")
    second = raw.dm.set_index("USUBJID").loc[study["second"]]
    assert (pd.isna(second["AGE"]), second["SEX"], second["DONORTYP"]) == (True, "U", "")
    ex = raw.ex.sort_values("EXSEQ")
    assert list(ex["EXDOSE"]) == [0.8, 0.5]
    assert list(ex["EXBSA"]) == [1.7, 1.7]
    assert ex["EXDOSMG"].iloc[0] == pytest.approx(1.35)


def test_it_extracts_responses_safety_and_disposition(study: dict[str, Any]) -> None:
    raw = extract_raw_study(cutoff=dt.date(2026, 6, 30))
    rs = raw.rs.sort_values("RSSEQ")
    assert list(rs["RSSTRESC"]) == ["CR", "RELAPSE"]
    assert list(rs["RSSEQ"]) == [1, 2]
    assert raw.mb["MBNEGFL"].tolist() == ["Y"]  # MRD 0% with a 0.01% assay
    ae = raw.ae.iloc[0]
    assert (ae["AETOXGR"], ae["AESER"], ae["AEREL"], ae["AESI"]) == (3, "Y", "Y", "Y")
    assert ae["AESOC"] == "Hepatobiliary disorders"
    ds = raw.ds.set_index(["USUBJID", "DSDECOD"])
    assert ds.loc[(study["first"], "DEATH"), "DSCAUSE"] == "RELAPSE"
    assert ds.loc[(study["second"], "LOST TO FOLLOW-UP"), "DSSTDTC"] == pd.Timestamp("2026-02-10")
    assert set(raw.lb["LBTESTCD"]) >= {"anc", "platelets", "bilirubin"}


def test_it_leaves_out_what_came_after_the_cutoff(study: dict[str, Any]) -> None:
    raw = extract_raw_study(cutoff=dt.date(2026, 3, 10))
    assert raw.dm["DTHFL"].tolist() == ["", ""]
    assert "DEATH" not in set(raw.ds["DSDECOD"])
    assert "RELAPSE" in set(raw.rs["RSSTRESC"])


def test_its_output_feeds_the_derivations(study: dict[str, Any]) -> None:
    raw = extract_raw_study(cutoff=dt.date(2026, 6, 30))
    adtte = derive_adtte(derive_adsl(raw), raw)
    os_ = adtte[(adtte["USUBJID"] == study["first"]) & (adtte["PARAMCD"] == "OS")].iloc[0]
    # 2026-01-06 to 2026-03-20: 25 + 28 + 20 = 73 days
    assert (os_["AVAL"], os_["CNSR"]) == (73.0, 0)
    pfs = adtte[(adtte["USUBJID"] == study["first"]) & (adtte["PARAMCD"] == "PFS")].iloc[0]
    assert (pfs["AVAL"], pfs["CNSR"]) == (54.0, 0)  # relapse 2026-03-01: 25 + 28 + 1


def test_the_export_command_reads_the_database(study: dict[str, Any], tmp_path: Any) -> None:
    from click.testing import CliRunner

    from inodli.cli import main

    result = CliRunner().invoke(
        main,
        ["export", "adam", "--out", str(tmp_path), "--format", "csv", "--cutoff", "2026-06-30"],
    )
    assert result.exit_code == 0, result.output
    adsl = pd.read_csv(tmp_path / "adam" / "adsl.csv")
    assert sorted(adsl["USUBJID"]) == sorted(study.values())
    assert adsl.set_index("USUBJID").loc[study["first"], "TRTSDT"] == "2026-01-06"


@pytest.mark.slow
def test_it_extracts_the_demo_study_built_through_the_forms(db: None, tmp_path: Any) -> None:
    from inodli.adam.ctgov import ctgov_summary
    from inodli.adam.export import export_datasets
    from inodli.edc.demo.generator import build_demo_study

    today = dt.date(2026, 11, 24)
    build_demo_study(seed=20261124, today=today)
    raw = extract_raw_study(cutoff=today)
    assert len(raw.dm) == 23  # 23 enrolled; the two screen failures are left out
    assert set(raw.rs["RSSTRESC"]) <= {
        "CR",
        "CRI",
        "MLFS",
        "REFRACTORY",
        "AD",
        "PD",
        "RELAPSE",
        "NE",
    }
    export_datasets(raw, tmp_path)
    summary = ctgov_summary(raw)
    assert summary["participant_flow"]["started_treatment"] == raw.ex["USUBJID"].nunique()
