"""Cumulative incidence: R cmprsk and survival reference values, peers, conventions, bad input.

Reference numbers: tests/data/kmsurv_bmt_competing_risks.json (R 4.2.2, cmprsk 2.2.11,
survival 3.5.3, produced by tests/data/make_reference.R on tests/data/kmsurv_bmt.csv).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inodli.errors import InputError
from inodli.stats.cumulative_incidence import cumulative_incidence, cumulative_incidence_by_group
from tests.stats.cr_blocks import (
    BLOCK_SIZES,
    block_size,
    continuous_competing_risks,
    continuous_times,
)
from tests.stats.naive_cr import naive_cif

DATA = Path(__file__).resolve().parents[1] / "data"
REF = json.loads((DATA / "kmsurv_bmt_competing_risks.json").read_text())
BMT = pd.read_csv(DATA / "kmsurv_bmt.csv")
REL = 1e-10  # R printed 15 significant digits (jsonlite digits = NA)


def _close(actual: object, expected: object, rel: float = REL, atol: float = 1e-15) -> None:
    np.testing.assert_allclose(
        np.asarray(actual, float), np.asarray(expected, float), rtol=rel, atol=atol
    )


@pytest.mark.parametrize("cause", [1, 2])
def test_it_reproduces_cmprsk_cuminc_curves_overall(cause: int) -> None:
    expected = REF["cif_overall"]["curves"][f"1 {cause}"]
    steps = cumulative_incidence(BMT.t2, BMT.cr_status, cause=cause).steps()
    _close(steps["time"], expected["time"], rel=0)
    _close(steps["estimate"], expected["est"])
    _close(steps["variance"], expected["var"])


@pytest.mark.parametrize("cause", [1, 2])
def test_it_reproduces_cmprsk_cuminc_curves_by_group(cause: int) -> None:
    curves = cumulative_incidence_by_group(BMT.t2, BMT.cr_status, BMT.group, cause=cause)
    assert list(curves) == [1, 2, 3]
    for label, result in curves.items():
        expected = REF["cif_by_group"]["curves"][f"{label} {cause}"]
        steps = result.steps()
        _close(steps["time"], expected["time"], rel=0)
        _close(steps["estimate"], expected["est"])
        _close(steps["variance"], expected["var"])


def test_it_reproduces_cmprsk_timepoints_overall_and_by_group() -> None:
    overall = REF["cif_overall"]["timepoints"]
    for row, name in enumerate(overall["rows"]):
        cause = int(name.split()[1])
        at = cumulative_incidence(BMT.t2, BMT.cr_status, cause=cause).at(overall["times"])
        _close(at["estimate"], overall["est"][row])
        _close(at["variance"], overall["var"][row])
    by_group = REF["cif_by_group"]["timepoints"]
    for row, name in enumerate(by_group["rows"]):
        label, cause = (int(part) for part in name.split())
        curve = cumulative_incidence_by_group(BMT.t2, BMT.cr_status, BMT.group, cause=cause)[label]
        at = curve.at(by_group["times"])
        expected_est = np.array(by_group["est"][row], dtype=float)  # null (NA) -> nan
        expected_var = np.array(by_group["var"][row], dtype=float)
        np.testing.assert_array_equal(np.isnan(at["estimate"]), np.isnan(expected_est))
        _close(at["estimate"], expected_est)
        _close(at["variance"], expected_var)


def test_it_equals_survfit_multistate_aalen_johansen_at_every_time() -> None:
    # survival 3.5.3 survfit(Surv(t2, factor(cr_status)) ~ 1): pstate columns (s0), cause1, cause2
    ms = REF["aj_multistate_overall"]
    pstate = np.array(ms["pstate"])
    one = cumulative_incidence(BMT.t2, BMT.cr_status, cause=1).at(ms["time"])["estimate"]
    two = cumulative_incidence(BMT.t2, BMT.cr_status, cause=2).at(ms["time"])["estimate"]
    _close(one, pstate[:, 1], atol=1e-14)
    _close(two, pstate[:, 2], atol=1e-14)
    _close(1 - one - two, pstate[:, 0], atol=1e-14)


def test_it_differs_from_the_infinitesimal_jackknife_se_as_documented() -> None:
    # survfit's IJ SE at 1000 d for relapse is 0.03963; cmprsk's is sqrt(0.00158850753509227)
    at = cumulative_incidence(BMT.t2, BMT.cr_status).at([1000.0])
    se = float(np.sqrt(at["variance"].iloc[0]))
    assert se == pytest.approx(0.0398560852, rel=1e-8)
    assert se - REF["aj_multistate_overall"]["at_times"]["std_err"][5][1] > 2e-4


@pytest.mark.parametrize(("ours", "theirs"), [("aalen", "Aalen"), ("delta", "Dinse_Approx")])
def test_it_agrees_with_scikit_survival_variances_through_their_log_log_bounds(
    ours: str, theirs: str
) -> None:
    # scikit-survival 0.28 implements Pintilie eq. 4.5 (Aalen) and Dinse-Larson eq. 6 as
    # explicit O(T^2) double sums, with the same log-log transform: an independent check.
    sksurv = pytest.importorskip("sksurv.nonparametric")
    times, cif, ci = sksurv.cumulative_incidence_competing_risks(
        BMT.cr_status.to_numpy(), BMT.t2.to_numpy(dtype=float), conf_type="log-log", var_type=theirs
    )
    for cause in (1, 2):
        table = cumulative_incidence(BMT.t2, BMT.cr_status, cause=cause, variance=ours).table
        _close(table["time"], times, rel=0)
        _close(table["estimate"], cif[cause], atol=1e-14)
        jumped = table["estimate"].to_numpy() > 0
        _close(table["lower"][jumped], ci[cause, 0][jumped], rel=1e-9)
        _close(table["upper"][jumped], ci[cause, 1][jumped], rel=1e-9)


def test_it_computes_the_three_interval_transforms_from_the_variance() -> None:
    result = cumulative_incidence(BMT.t2, BMT.cr_status, conf_type="plain", conf_level=0.9)
    row = result.at([365.0]).iloc[0]
    z = 1.6448536269514722  # qnorm(0.95) in R
    se = np.sqrt(0.00123496698112731)  # cmprsk timepoints var at 365 d, cause 1
    f = 0.212165450121655
    assert row["lower"] == pytest.approx(f - z * se, rel=1e-10)
    assert row["upper"] == pytest.approx(f + z * se, rel=1e-10)
    log = cumulative_incidence(BMT.t2, BMT.cr_status, conf_type="log", conf_level=0.9).at([365.0])
    assert log["lower"].iloc[0] == pytest.approx(f * np.exp(-z * se / f), rel=1e-10)
    loglog = cumulative_incidence(BMT.t2, BMT.cr_status, conf_level=0.9).at([365.0])
    power = np.exp(z * se / (f * np.log(f)))
    assert loglog["lower"].iloc[0] == pytest.approx(f ** (1 / power), rel=1e-10)
    assert loglog["upper"].iloc[0] == pytest.approx(f**power, rel=1e-10)


def test_it_reports_counts_at_risk_and_tied_events_exactly() -> None:
    # hand count: times 2,2,2 have one event of each cause and one censoring
    result = cumulative_incidence([1, 2, 2, 2, 3, 4], [1, 1, 2, 0, 2, 1])
    t = result.table
    assert t["time"].tolist() == [1, 2, 3, 4]
    assert t["n_risk"].tolist() == [6, 5, 2, 1]
    assert t["n_event"].tolist() == [1, 1, 0, 1]
    assert t["n_competing"].tolist() == [0, 1, 1, 0]
    assert t["n_censor"].tolist() == [0, 1, 0, 0]
    # F = 1/6 + (5/6)(1/5) + 0 + (5/6)(3/5)(1/2)(1/1) = 1/6 + 1/6 + 1/4
    assert t["estimate"].iloc[-1] == pytest.approx(1 / 6 + 1 / 6 + 1 / 4, rel=1e-15)
    assert result.at_risk([0, 1.5, 2, 4, 9]).tolist() == [6, 5, 5, 1, 0]
    assert np.isnan(result.at([4.5])["estimate"].iloc[0])
    assert result.at([0.5])["estimate"].iloc[0] == 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 2)), min_size=2, max_size=40).filter(
        lambda rows: any(s == 1 for _, s in rows)
    )
)
def test_it_matches_the_naive_loops_on_tied_random_data(rows: list[tuple[int, int]]) -> None:
    time = np.array([float(t) for t, _ in rows])
    status = np.array([s for _, s in rows])
    naive = naive_cif(time, status, 1)
    for method in ("cmprsk", "aalen", "delta"):
        table = cumulative_incidence(time, status, variance=method).table
        _close(table["time"], naive["time"], rel=0)
        _close(table["n_risk"], naive["n_risk"], rel=0)
        _close(table["estimate"], naive["estimate"], rel=1e-12, atol=1e-14)
        _close(table["variance"], naive[method], rel=1e-9, atol=1e-13)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(continuous_times, st.integers(0, 2)), min_size=2, max_size=40).filter(
        lambda rows: any(s == 1 for _, s in rows)
    ),
    st.sampled_from(BLOCK_SIZES),
)
def test_it_matches_the_naive_loops_on_continuous_times_in_any_block_size(
    rows: list[tuple[float, int]], size: int | None
) -> None:
    # almost all times distinct (the sorting route), the rows split into blocks of `size`
    time = np.array([t for t, _ in rows])
    status = np.array([s for _, s in rows])
    naive = naive_cif(time, status, 1)
    for method in ("cmprsk", "aalen", "delta"):
        with block_size(size):
            table = cumulative_incidence(time, status, variance=method).table
        _close(table["time"], naive["time"], rel=0)
        _close(table["n_risk"], naive["n_risk"], rel=0)
        _close(table["n_event"], naive["n_event"], rel=0)
        _close(table["estimate"], naive["estimate"], rel=1e-12, atol=1e-14)
        _close(table["variance"], naive[method], rel=1e-9, atol=1e-13)


@pytest.mark.parametrize("seed", [7, 8])
def test_the_block_size_changes_no_number_of_the_table(seed: int) -> None:
    # running sums continue across blocks in the order of one pass: identical to the last bit
    data = continuous_competing_risks(seed, 3000)
    data["time"][::50] = data["time"][1::50]  # some tied pairs across the sample
    for method in ("cmprsk", "aalen", "delta"):
        for conf_type in ("log-log", "log", "plain"):
            with block_size(None):
                default = cumulative_incidence(
                    data["time"], data["status"], variance=method, conf_type=conf_type
                ).table
            for size in (1, 7, 64):
                with block_size(size):
                    table = cumulative_incidence(
                        data["time"], data["status"], variance=method, conf_type=conf_type
                    ).table
                pd.testing.assert_frame_equal(table, default, check_exact=True)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"time": [1, 2, 3], "status": [1, 0]}, "lengths"),
        ({"time": [1, np.nan, 3], "status": [1, 0, 1]}, "time"),
        ({"time": [1, -2, 3], "status": [1, 0, 1]}, "time"),
        ({"time": [1, 2, 3], "status": [1, 0, -1]}, "status"),
        ({"time": [1, 2, 3], "status": [1, 0, 1.5]}, "status"),
        ({"time": [1, 2, 3], "status": [0, 0, 0]}, "status"),
        ({"time": [1, 2, 3], "status": [1, 0, 1], "cause": 2}, "cause"),
        ({"time": [1, 2, 3], "status": [1, 0, 1], "cause": 0}, "cause"),
        ({"time": [1, 2, 3], "status": [1, 0, 1], "conf_type": "logit"}, "conf_type"),
        ({"time": [1, 2, 3], "status": [1, 0, 1], "variance": "greenwood"}, "variance"),
        ({"time": [1, 2, 3], "status": [1, 0, 1], "conf_level": 95}, "conf_level"),
        ({"time": [], "status": []}, "time"),
    ],
)
def test_it_rejects_bad_input_naming_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(InputError) as caught:
        cumulative_incidence(kwargs.pop("time"), kwargs.pop("status"), **kwargs)
    assert caught.value.field == field


def test_it_rejects_a_cause_absent_with_the_codes_seen() -> None:
    with pytest.raises(
        InputError, match=r"cause: expected a cause present in status \(observed: 1, 2\), got 3"
    ):
        cumulative_incidence([1, 2, 3], [1, 2, 0], cause=3)


def test_it_rejects_missing_group_labels_and_keeps_a_flat_curve_for_a_group_without_the_cause() -> (
    None
):
    with pytest.raises(InputError) as caught:
        cumulative_incidence_by_group([1, 2, 3], [1, 0, 1], [1.0, np.nan, 2.0])
    assert caught.value.field == "group"
    curves = cumulative_incidence_by_group([1, 2, 3, 4], [1, 0, 2, 0], ["a", "a", "b", "b"])
    assert curves["b"].table["estimate"].tolist() == [0.0, 0.0]
    # cmprsk's format for a curve without events of the cause: (0, 0) then (last time, 0)
    assert curves["b"].steps().to_dict("list") == {
        "time": [0.0, 4.0],
        "estimate": [0.0, 0.0],
        "variance": [0.0, 0.0],
    }
    assert "cause=1" in repr(curves["a"])


def test_it_plots_the_curve_band_and_censor_marks_from_zero() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curves = cumulative_incidence_by_group(BMT.t2, BMT.cr_status, BMT.group)
    fig, ax = plt.subplots()
    for curve in curves.values():
        curve.plot(ax)
    lines = [line for line in ax.get_lines() if line.get_gid() == "estimate"]
    assert [line.get_label() for line in lines] == ["1", "2", "3"]
    first = curves[1].table
    np.testing.assert_array_equal(lines[0].get_xdata()[1:], first["time"])
    assert lines[0].get_ydata()[0] == 0.0
    marks = [line for line in ax.get_lines() if line.get_gid() == "censor marks"]
    assert len(marks[0].get_xdata()) == int((first["n_censor"] > 0).sum())
    assert ax.get_ylabel() == "Cumulative incidence (cause 1)"
    plt.close(fig)


def test_it_keeps_a_negative_aalen_variance_and_gives_no_interval_there() -> None:
    # by hand (Pintilie eq. 4.5) at t=1: 1/12 + (1/4)^2 * 3/(3*1) - 2 (1/4) 2*2/(4*1*3) = -1/48
    table = cumulative_incidence([0, 0, 0, 1], [1, 1, 2, 1], variance="aalen").table
    assert table["variance"].tolist() == pytest.approx([1 / 12, -1 / 48], rel=1e-12)
    assert np.isnan(table["lower"].iloc[1])


def _naive_counts(time: np.ndarray, code: np.ndarray, n_codes: int) -> tuple[list, list]:
    distinct = sorted(set(time.tolist()))
    counts = [[int(np.sum((time == t) & (code == c))) for t in distinct] for c in range(n_codes)]
    return distinct, counts


# times with ties (drawn from a small pool), zeros, subnormals and spans of any size
pooled_times = st.lists(
    st.just(-0.0)
    | st.floats(0.0, 1e300, allow_nan=False, allow_infinity=False, allow_subnormal=True),
    min_size=1,
    max_size=6,
).flatmap(lambda pool: st.lists(st.sampled_from(pool), min_size=1, max_size=50))


@settings(max_examples=150, deadline=None)
@given(pooled_times, st.integers(1, 40), st.data())
def test_every_counting_route_counts_each_code_at_each_distinct_time(
    times: list[float], n_codes: int, data: st.DataObject
) -> None:
    from inodli.stats import _cr_counts

    time = np.array(times, dtype=float)
    code = np.array(
        data.draw(st.lists(st.integers(0, n_codes - 1), min_size=time.size, max_size=time.size)),
        dtype=np.int64,
    )
    distinct, expected = _naive_counts(time, code, n_codes)
    routes = [_cr_counts.tie_counts(time, code, n_codes)]
    routes.append(_cr_counts._by_argsort(time, code, n_codes))
    packed = _cr_counts._order_keys(time, code, n_codes)
    if packed is not None:
        keys, shift, offset = packed
        routes.append(_cr_counts._from_sorted_keys(np.sort(keys), shift, offset, n_codes))
    top = _cr_counts._whole_number_range(time)
    if top is not None:
        routes.append(_cr_counts._by_counting(time, code, n_codes, top))
    for counted in routes:
        np.testing.assert_array_equal(counted.time, distinct)
        np.testing.assert_array_equal(counted.counts, expected)
    at_risk = [[int(np.sum((time >= t) & (code == c))) for t in distinct] for c in range(n_codes)]
    np.testing.assert_array_equal(routes[0].n_risk, at_risk)


@pytest.mark.parametrize(
    ("time", "route"),
    [
        ([3.0, 1.0, 3.0, 0.0], "counting"),
        ([3.5, 1.0, 3.5, 0.0], "packed"),
        ([3.5, 1e-300, 3.5, 1e300], "argsort"),
    ],
)
def test_each_counting_route_is_reached(time: list[float], route: str) -> None:
    from inodli.stats import _cr_counts

    array = np.array(time)
    assert (_cr_counts._whole_number_range(array) is not None) == (route == "counting")
    packed = _cr_counts._order_keys(array, np.array([0, 1, 2, 2]), 3)
    assert (packed is None) == (route == "argsort")
