"""Stage 1 of the two-stage design has one definition, used by monitoring and the primary analysis.

The design (``inodli.design.trial.TRIAL_DESIGN``, docs/clinical-rules.md): stage 1 is the first
10 efficacy-evaluable patients; the trial stops for futility if 4 or fewer of them respond.
The definition under test (``inodli.report.stage1``) fixes the population as ADSL.EFFFL, the
order as enrolment (informed consent, RFICDT), and treats a patient who may still become
evaluable, consented on or before the 10th evaluable one, as leaving stage 1 incomplete.

Every expected count below is counted by hand from the literal frames under that wording, and
each frame is one on which the two definitions used before disagreed: the monitoring took
treated patients with a decided CRPRIM in order of first dose (ADSL.TRTSDT, ties by USUBJID),
the primary analysis took EFFFL patients in order of consent. Each test checks that the
interim monitoring (``monitoring_counts``) and the design-adjusted primary analysis
(``response_rate(..., design=TRIAL_DESIGN)``) now give the same count.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import NamedTuple

import pandas as pd
import pytest

from inodli.design.trial import TRIAL_DESIGN
from inodli.errors import InputError
from inodli.report.efficacy import response_rate
from inodli.report.monitoring import monitoring_counts, monitoring_status
from inodli.report.stage1 import stage1_cohort
from inodli.report.study import StudyReport

DAY0 = pd.Timestamp("2025-01-01")


class Patient(NamedTuple):
    usubjid: str
    consent: int  # days after DAY0
    dose: int | None  # first InO dose, days after DAY0; None: not treated
    cr: str | None  # ADRS.CRPRIM; None: no row (not treated)
    efffl: str = "Y"
    eosstt: str = "DISCONTINUED"


def _day(offset: int | None) -> pd.Timestamp:
    return pd.NaT if offset is None else DAY0 + pd.Timedelta(days=offset)


def frames(patients: Sequence[Patient]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """ADSL, ADRS (CRPRIM rows) and an empty ADAE for ``patients``."""
    adsl = pd.DataFrame(
        {
            "USUBJID": [p.usubjid for p in patients],
            "SAFFL": ["N" if p.dose is None else "Y" for p in patients],
            "EFFFL": [p.efffl for p in patients],
            "EOSSTT": [p.eosstt for p in patients],
            "RFICDT": [_day(p.consent) for p in patients],
            "TRTSDT": [_day(p.dose) for p in patients],
            "DLIFL": "N",
            "DLIDT": pd.NaT,
        }
    )
    treated = [p for p in patients if p.cr is not None]
    adrs = pd.DataFrame(
        {"USUBJID": [p.usubjid for p in treated], "PARAMCD": "CRPRIM",
         "AVALC": [p.cr for p in treated]}
    )  # fmt: skip
    adae = pd.DataFrame(
        {"USUBJID": pd.Series(dtype=str), "AETERM": pd.Series(dtype=str),
         "ATOXGR": pd.Series(dtype=float), "ASTDT": pd.Series(dtype="datetime64[ns]"),
         "TRTEMFL": pd.Series(dtype=str)}
    )  # fmt: skip
    return adsl, adrs, adae


def both_counts(
    patients: Sequence[Patient], pending: Collection[str] = ()
) -> tuple[int | None, int | None]:
    """The stage-1 count as the monitoring sees it and as the primary analysis sees it."""
    adsl, adrs, adae = frames(patients)
    monitored = monitoring_counts(adsl, adrs, adae, pending=pending).stage1_responses
    primary = response_rate(adsl, adrs, exclude=pending, design=TRIAL_DESIGN).design_adjusted
    assert primary is not None
    return monitored, primary.stage1_responders


def in_order(responders: Collection[int], n: int, **changes: Patient) -> list[Patient]:
    """P01..Pn consented on days 1..n and dosed a week later, all evaluable."""
    patients = [
        Patient(f"P{i:02d}", i, i + 7, "Y" if i in responders else "N") for i in range(1, n + 1)
    ]
    return [changes.get(p.usubjid, p) for p in patients]


def test_stage_1_is_taken_in_order_of_consent_not_of_first_dose() -> None:
    """P10 (responder) was consented 10th but dosed late, after P11 (non-responder).

    Stage 1 is the first 10 evaluable patients by enrolment: P01-P10, whose responders are
    P01, P03, P05, P07 and P10 - 5 of 10, above the futility bound of 4, so the trial goes on
    to stage 2. The old monitoring order (first dose) took P11 instead of P10: 4 of 10, a
    futility stop.
    """
    patients = in_order(
        {1, 3, 5, 7, 10}, 11, P10=Patient("P10", 10, 30, "Y"), P11=Patient("P11", 11, 18, "N")
    )
    assert both_counts(patients) == (5, 5)
    adsl, adrs, adae = frames(patients)
    cohort = stage1_cohort(adsl, adrs, n1=TRIAL_DESIGN.n1)
    assert cohort.members == tuple(f"P{i:02d}" for i in range(1, 11))
    status = monitoring_status(monitoring_counts(adsl, adrs, adae))
    assert status.decision == "continue"
    assert any("Stage 1 passed (5 of 10 responded)" in line for line in status.explanation)


def test_a_treated_patient_who_was_never_assessed_is_not_in_stage_1() -> None:
    """P03 was treated and left the study alive before any response assessment.

    ADSL.EFFFL is N for such a patient (inodli.adam.adsl: evaluable means assessed after the
    first dose or dead before any assessment), so the first 10 evaluable patients are P01,
    P02 and P04-P11: responders P01, P02, P04, P05 and P11, 5 of 10. The old monitoring
    counted P03 as an evaluable non-responder and stopped at P10: 4 of 10. The CR/CRi
    denominator is the 11 EFFFL patients for both (P01, P02, P04-P12).
    """
    patients = in_order(
        {1, 2, 4, 5, 11}, 12, P03=Patient("P03", 3, 10, "N", efffl="N", eosstt="DISCONTINUED")
    )
    assert both_counts(patients) == (5, 5)
    adsl, adrs, adae = frames(patients)
    counts = monitoring_counts(adsl, adrs, adae)
    primary = response_rate(adsl, adrs, design=TRIAL_DESIGN)
    assert (counts.responses, counts.evaluable) == (primary.responders, primary.n) == (5, 11)


def test_a_pending_patient_among_the_first_ten_leaves_stage_1_incomplete() -> None:
    """P04 (consented 4th) is still in the primary assessment window at the cut-off.

    Eleven others are evaluable. P04 will be one of the first 10 evaluable patients by
    enrolment if assessed, so stage 1 is P01-P10 and its count depends on P04: responders
    among P01-P03 and P05-P10 are P01, P02, P05, P06 (4); P04 responding makes 5 (stage 2),
    not responding keeps 4 (futility). The count is unknown until then. The old monitoring
    skipped P04 and took P11 (a responder): 5 of 10, a premature "stage 1 passed".
    """
    patients = in_order({1, 2, 5, 6, 11, 12}, 12)
    assert both_counts(patients, pending={"P04"}) == (None, None)
    adsl, adrs, adae = frames(patients)
    counts = monitoring_counts(adsl, adrs, adae, pending={"P04"})
    # P01, P02, P05, P06, P11, P12 among the 11 evaluable (P04 left out while pending)
    assert (counts.responses, counts.evaluable) == (6, 11)
    status = monitoring_status(counts)
    assert status.decision == "continue"
    assert "P04 still await(s) the primary assessment" in status.explanation[-1]
    # the rule is applied to P01-P03, the patients certainly in stage 1
    assert "applied above to the 3 patient(s) certainly in stage 1" in status.explanation[-1]
    assert any("CR/CRi: 2 of 3" in line for line in status.explanation)
    primary = response_rate(adsl, adrs, exclude={"P04"}, design=TRIAL_DESIGN).design_adjusted
    assert primary is not None
    assert primary.inference is None
    assert "1 patient(s) still await the primary assessment" in primary.status
    # once P04's response is known, stage 1 is P01-P10
    responded = [p._replace(cr="Y") if p.usubjid == "P04" else p for p in patients]
    assert both_counts(responded) == (5, 5)
    assert both_counts(patients) == (4, 4)


def test_a_pending_patient_consented_after_stage_1_does_not_hold_it_up() -> None:
    """P12 awaits the primary assessment but was consented after P10, the 10th evaluable.

    Stage 1 is P01-P10 whatever P12 shows: responders P01, P02, P05, P06 and P09, 5 of 10.
    The primary analysis still waits for P12 (the final count is not known), but reports the
    same stage-1 count as the monitoring.
    """
    patients = in_order({1, 2, 5, 6, 9}, 12)
    assert both_counts(patients, pending={"P12"}) == (5, 5)


def test_a_consented_patient_not_yet_dosed_may_still_belong_to_stage_1() -> None:
    """P02 signed consent 2nd and is still on study, not yet dosed; 11 others are evaluable.

    Once dosed and assessed, P02 is among the first 10 evaluable by enrolment, so stage 1 is
    not complete. Had P02 withdrawn before dosing (end of study DISCONTINUED), it never
    becomes evaluable and stage 1 is P01 and P03-P11: responders P01, P03, P05, P07, P09 - 5.
    The old monitoring ignored untreated patients altogether.
    """
    waiting = Patient("P02", 2, None, None, efffl="N", eosstt="ONGOING")
    patients = in_order({1, 3, 5, 7, 9}, 12, P02=waiting)
    assert both_counts(patients) == (None, None)
    adsl, adrs, _ = frames(patients)
    cohort = stage1_cohort(adsl, adrs, n1=TRIAL_DESIGN.n1)
    assert cohort.not_yet_evaluable == ("P02",)
    assert "P02 is/are on study without a first dose or a response assessment" in cohort.status
    withdrawn = in_order({1, 3, 5, 7, 9}, 12, P02=waiting._replace(eosstt="DISCONTINUED"))
    assert both_counts(withdrawn) == (5, 5)


def test_same_day_consents_across_the_end_of_stage_1_are_undetermined_in_both() -> None:
    """P10 (responder) and P11 (non-responder) signed consent on the same day.

    Either may be the 10th patient by enrolment: responders among P01-P09 are P01, P03, P05,
    P07 (4), so stage 1 has 4 or 5 responders - a futility stop or not. The day's order is not
    recorded, so the count is reported as undetermined (4 to 5), not chosen. The old
    monitoring picked whoever was dosed first.
    """
    patients = in_order({1, 3, 5, 7, 10}, 12, P11=Patient("P11", 10, 12, "N"))
    assert both_counts(patients) == (None, None)
    adsl, adrs, adae = frames(patients)
    status = monitoring_status(monitoring_counts(adsl, adrs, adae))
    assert status.decision == "continue"
    assert "stage-1 count is undetermined (4 to 5)" in status.explanation[-1]


def test_the_synthetic_study_gives_one_stage_1_count(study_report: StudyReport) -> None:
    """The synthetic study (seed 20261124): 21 evaluable patients, none pending.

    Its ADSL listing in consent order starts INODLI-001, -003, -004, -002, -005, -006, -007,
    -008, -009, -010 (no shared consent day among them, and -011 was consented later); their
    CRPRIM is Y, Y, Y, N, N, Y, N, Y, Y, N: 6 responders, more than 4, so stage 2.
    """
    adjusted = study_report.primary.design_adjusted
    assert adjusted is not None
    assert adjusted.stage1_responders == study_report.monitoring_counts.stage1_responses == 6
    cohort = stage1_cohort(study_report.adsl, study_report.adrs, n1=TRIAL_DESIGN.n1)
    first_ten = ("001", "003", "004", "002", "005", "006", "007", "008", "009", "010")
    assert cohort.members == tuple(f"INODLI-{u}" for u in first_ten)
    assert study_report.monitoring_counts.evaluable == study_report.primary.n == 21


def test_it_names_a_missing_adsl_column_and_refuses_a_design_on_another_endpoint() -> None:
    adsl, adrs, _ = frames(in_order({1}, 3))
    with pytest.raises(InputError, match="adsl: expected a frame with columns") as caught:
        stage1_cohort(adsl.drop(columns="EOSSTT"), adrs, n1=10)
    assert caught.value.received == "a frame without EOSSTT"
    with pytest.raises(InputError, match="design: expected None unless the endpoint") as refused:
        response_rate(adsl, adrs, paramcd="MRDNEG", design=TRIAL_DESIGN)
    assert refused.value.field == "design"
