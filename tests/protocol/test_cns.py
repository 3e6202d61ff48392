"""CNS status from the CSF (clinical-facts.md 4.3, COG criteria [V]).

"CNS1: no blasts in CSF. CNS2: WBC <5/uL with blasts. CNS3: WBC >=5/uL with blasts, or
clinical signs of CNS leukaemia."
"""

from __future__ import annotations

import doctest

import pytest

from inodli.errors import InputError
from inodli.protocol import cns
from inodli.protocol.cns import CnsStatus, classify_cns_status


@pytest.mark.parametrize(
    ("wbc", "blasts", "signs", "status"),
    [
        (0, False, False, CnsStatus.CNS1),
        (50, False, False, CnsStatus.CNS1),  # no blasts: CNS1 whatever the count
        (0, True, False, CnsStatus.CNS2),
        (4.9, True, False, CnsStatus.CNS2),  # "<5/uL with blasts"
        (5, True, False, CnsStatus.CNS3),  # ">=5/uL with blasts"
        (0, False, True, CnsStatus.CNS3),  # clinical signs
    ],
)
def test_it_classifies_cns_status_at_the_5_per_ul_boundary(wbc, blasts, signs, status):
    assert classify_cns_status(wbc, blasts, clinical_signs=signs).status is status


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        ((-1, True), {}, "csf_wbc_per_ul"),
        ((float("nan"), True), {}, "csf_wbc_per_ul"),
        ((3, "yes"), {}, "csf_blasts_present"),
        ((3, None), {}, "csf_blasts_present"),
        ((3, True), {"clinical_signs": 1}, "clinical_signs"),
    ],
)
def test_it_names_the_bad_field(args, kwargs, field):
    with pytest.raises(InputError) as error:
        classify_cns_status(*args, **kwargs)
    assert error.value.field == field


def test_it_runs_the_docstring_examples():
    failures, tried = doctest.testmod(cns)
    assert tried > 0
    assert failures == 0
