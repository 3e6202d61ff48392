"""What the survival functions accept from users, and how they refuse the rest.

Accepted: lists, numpy arrays of any integer, float or bool dtype, pandas Series (any index,
nullable Int64/Float64/boolean without missing values). Refused with an InputError naming
the field, the values allowed and the value received: strings (even "5"), dates and
durations (numpy would turn them into nanoseconds), complex numbers, True/False as times,
missing values, sets and generators. The expected survival values are the Kaplan-Meier
product for the six subjects, worked by hand: 5/6, 5/6, 5/6 * 3/4, 5/6 * 3/4 * 2/3, same, 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from inodli.errors import InputError
from inodli.stats import (
    binomial_ci,
    cox_ph,
    cumulative_incidence,
    exact_binomial_test,
    fine_gray,
    kaplan_meier,
    logrank_test,
)

TIME = [1, 2, 3, 4, 5, 6]
EVENT = [1, 0, 1, 1, 0, 1]
BY_HAND = [5 / 6, 5 / 6, 5 / 6 * 3 / 4, 5 / 6 * 3 / 4 * 2 / 3, 5 / 6 * 3 / 4 * 2 / 3, 0.0]

ACCEPTED = {
    "lists": (TIME, EVENT),
    "int64 arrays": (np.array(TIME), np.array(EVENT)),
    "int32 time, uint8 event": (np.array(TIME, np.int32), np.array(EVENT, np.uint8)),
    "float time, bool event": (np.array(TIME, float), np.array(EVENT, bool)),
    "Series with shuffled indexes": (
        pd.Series(TIME, index=[10, 11, 12, 13, 14, 15]),
        pd.Series(EVENT, index=[5, 4, 3, 2, 1, 0]),
    ),
    "bool Series": (pd.Series(TIME), pd.Series(EVENT).astype(bool)),
    "nullable dtypes": (pd.Series(TIME, dtype="Float64"), pd.Series(EVENT, dtype="boolean")),
    "Int64 Series": (pd.Series(TIME, dtype="Int64"), pd.Series(EVENT, dtype="Int64")),
    "object arrays of numbers": (np.array(TIME, dtype=object), np.array(EVENT, dtype=object)),
    "Python bools in a list": (TIME, [bool(e) for e in EVENT]),
}


@pytest.mark.parametrize(("time", "event"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_accepted_inputs_give_the_same_curve(time: object, event: object) -> None:
    fit = kaplan_meier(time, event)
    np.testing.assert_allclose(fit.survival, BY_HAND, rtol=1e-15)
    test = logrank_test(time, event, ["a", "a", "a", "b", "b", "b"])
    assert test.observed.tolist() == [2.0, 2.0]


REFUSED_TIMES = {
    "strings that look like numbers": (["1", "2", "3", "4", "5", "6"], "time", "'1'"),
    "datetimes": (pd.to_datetime(["2024-01-01"] * 6), "time", "datetime64"),
    "durations": (pd.to_timedelta(TIME, unit="D"), "time", "timedelta64"),
    "complex numbers": (np.array(TIME) + 0j, "time", "(1+0j)"),
    "True/False": ([True] * 6, "time", "True"),
    "a missing value (None)": ([1, None, 3, 4, 5, 6], "time", "nan"),
    "a missing value (pd.NA)": (pd.Series([1, None, 3, 4, 5, 6], dtype="Int64"), "time", "nan"),
    "infinity": ([1, np.inf, 3, 4, 5, 6], "time", "inf"),
    "a negative time": ([1, -2, 3, 4, 5, 6], "time", "-2.0"),
    "a set": ({1, 2, 3, 4, 5, 6}, "time", "a set"),
    "a generator": ((t for t in TIME), "time", "a generator"),
    "a single number": (5, "time", "a single value 5"),
}


@pytest.mark.parametrize(
    ("time", "field", "shown"), REFUSED_TIMES.values(), ids=REFUSED_TIMES.keys()
)
def test_bad_times_are_refused_naming_field_and_value(time: object, field: str, shown: str) -> None:
    for call in (
        lambda: kaplan_meier(time, EVENT),
        lambda: logrank_test(time, EVENT, [1, 1, 1, 2, 2, 2]),
        lambda: cox_ph(time, EVENT, [0, 1, 0, 1, 1, 0]),
        lambda: cumulative_incidence(time, EVENT),
    ):
        with pytest.raises(InputError) as caught:
            call()
        assert caught.value.field == field
        assert (
            "finite non-negative numbers" in caught.value.allowed
            or "sequence" in caught.value.allowed
        )
        assert shown in str(caught.value)


REFUSED_EVENTS = {
    "strings": (["1", "0", "1", "1", "0", "1"], "'1'"),
    "TRUE/FALSE strings": (["TRUE", "FALSE"] * 3, "'TRUE'"),
    "a code 2 (use status for causes)": ([1, 2, 1, 1, 0, 1], "2"),
    "a fraction": ([1, 0.5, 1, 1, 0, 1], "0.5"),
    "a missing value": (pd.Series([True, None, True, True, False, True], dtype="boolean"), "nan"),
}


@pytest.mark.parametrize(("event", "shown"), REFUSED_EVENTS.values(), ids=REFUSED_EVENTS.keys())
def test_bad_event_indicators_are_refused(event: object, shown: str) -> None:
    with pytest.raises(InputError) as caught:
        kaplan_meier(TIME, event)
    assert caught.value.field == "event"
    assert caught.value.allowed == "integer codes 0..1"
    assert shown in str(caught.value)


def test_missing_group_labels_are_refused() -> None:
    with pytest.raises(InputError, match="group labels without missing values") as caught:
        logrank_test(TIME, EVENT, ["a", "a", np.nan, "b", "b", "b"])
    assert caught.value.field == "group"


@pytest.mark.parametrize(
    ("successes", "n"), [(np.int64(3), np.int64(10)), (np.int32(3), 10), (3.0, 10.0)]
)
def test_binomial_counts_accept_numpy_and_whole_floats(successes: object, n: object) -> None:
    # R binom.test(3, 10)$conf.int: 0.06673951 0.65245285
    ci = binomial_ci(successes, n)  # type: ignore[arg-type]
    np.testing.assert_allclose([ci.lower, ci.upper], [0.06673951, 0.65245285], atol=5e-9)
    assert exact_binomial_test(successes, n, np.float32(0.2)).n == 10  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("successes", "n", "field"),
    [
        (float("nan"), 10, "successes"),
        (3, float("inf"), "n"),
        ("3", 10, "successes"),
        (True, 3, "successes"),
    ],
)
def test_binomial_counts_refuse_non_numbers_without_crashing(
    successes: object, n: object, field: str
) -> None:
    # NaN and infinity used to escape as ValueError/OverflowError from int()
    with pytest.raises(InputError) as caught:
        binomial_ci(successes, n)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert caught.value.allowed == "a whole number"


def test_confidence_level_given_as_a_string_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        kaplan_meier(TIME, EVENT, conf_level="0.95")  # type: ignore[arg-type]
    assert caught.value.field == "conf_level"


def test_fine_gray_options_accept_numpy_numbers() -> None:
    time, status, x = [1, 2, 3, 4, 5, 6], [1, 2, 1, 0, 1, 2], [0.5, -1.0, 0.3, 1.2, -0.4, 0.8]
    plain = fine_gray(time, status, x)
    numpy_options = fine_gray(time, status, x, max_iter=np.int64(10), gtol=np.float32(1e-6))
    np.testing.assert_array_equal(numpy_options.coef, plain.coef)
    with pytest.raises(InputError) as caught:
        fine_gray(time, status, x, max_iter=True)
    assert caught.value.field == "max_iter"
