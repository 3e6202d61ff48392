"""Response analyses on literal frames; expected numbers from R 4.x binom.test (calls quoted)."""

from __future__ import annotations

import pytest

from inodli.errors import InputError
from inodli.report.efficacy import (
    P0_JUSTIFICATION,
    mrd_negative_rate,
    response_rate,
    response_rate_by_dli,
)
from tests.report import literal


def test_it_counts_cr_cri_among_evaluable_patients_with_exact_ci_and_test() -> None:
    result = response_rate(literal.adsl(), literal.adrs())
    # hand count: S01, S03, S05 respond among S01-S07 (S08 responded but is not evaluable)
    assert (result.responders, result.n) == (3, 7)
    # R: binom.test(3, 7)$conf.int -> 0.09898827844 0.81594843236
    assert result.ci is not None
    assert result.ci.lower == pytest.approx(0.09898827844, abs=1e-9)
    assert result.ci.upper == pytest.approx(0.81594843236, abs=1e-9)
    # R: binom.test(3, 7, 0.3, alternative = "greater")$p.value -> 0.3529305
    assert result.test is not None
    assert result.test.p_value == pytest.approx(0.3529305, abs=1e-7)
    assert result.test.alternative == "greater"
    assert result.p0 == 0.30


def test_it_states_why_p0_is_thirty_percent() -> None:
    assert "as low as 30%" in P0_JUSTIFICATION


def test_it_takes_p0_as_a_parameter_and_refuses_a_bad_one() -> None:
    assert response_rate(literal.adsl(), literal.adrs(), p0=0.1).test.p0 == 0.1  # type: ignore[union-attr]
    with pytest.raises(InputError, match="p0: expected a number strictly between 0 and 1"):
        response_rate(literal.adsl(), literal.adrs(), p0=1.5)


def test_it_reports_mrd_negativity_over_all_evaluable_patients() -> None:
    result = mrd_negative_rate(literal.adsl(), literal.adrs())
    assert (result.responders, result.n) == (2, 7)
    # R: binom.test(2, 7)$conf.int -> 0.03669256618 0.70957913626
    assert result.ci is not None
    assert result.ci.lower == pytest.approx(0.03669256618, abs=1e-9)
    assert result.ci.upper == pytest.approx(0.70957913626, abs=1e-9)
    assert result.test is None


def test_it_splits_by_dli_without_testing() -> None:
    groups = response_rate_by_dli(literal.adsl(), literal.adrs())
    assert (groups["DLI"].responders, groups["DLI"].n) == (2, 4)
    assert (groups["No DLI"].responders, groups["No DLI"].n) == (1, 3)
    # R: binom.test(1, 3)$conf.int -> 0.00840375866 0.90570067595
    assert groups["No DLI"].ci.lower == pytest.approx(0.00840375866, abs=1e-9)  # type: ignore[union-attr]
    assert all(g.test is None for g in groups.values())


def test_it_names_the_missing_column() -> None:
    with pytest.raises(InputError, match="adrs: expected a frame with columns"):
        response_rate(literal.adsl(), literal.adrs().drop(columns="AVALC"))


def test_it_displays_a_row_with_percent_and_ci() -> None:
    row = response_rate(literal.adsl(), literal.adrs()).as_row()
    assert row["n/N"] == "3/7"
    assert row["% (95% CI)"] == "42.9% (9.9% to 81.6%)"


def test_it_leaves_excluded_patients_out_of_the_denominator() -> None:
    # S07 (a non-responder) still in its primary window: 3 of 6 instead of 3 of 7
    result = response_rate(literal.adsl(), literal.adrs(), exclude={"S07"})
    assert (result.responders, result.n) == (3, 6)


def test_it_prints_tiny_p_values_as_below_the_precision() -> None:
    from inodli.report._frames import format_p

    assert format_p(2.461e-06) == "< 0.0001"
    assert format_p(0.02639) == "0.0264"
    assert format_p(0.0004, 3) == "< 0.001"
