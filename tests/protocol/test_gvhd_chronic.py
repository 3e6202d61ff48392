"""Chronic GVHD global severity (NIH 2014; Jagasia et al. BBMT 2015;21:389-401).

The rules as stated in clinical-facts.md 3.2: mild = 1-2 organs, each with a maximum score
of 1, and lung 0; moderate = 3 or more organs with score 1, or any non-lung organ with
score 2, or lung 1; severe = any organ with score 3, or lung 2-3. Scoring conventions from
NCI Thesaurus C225388: skin = higher of the 2 skin scores; lung = FEV1-based score; organs
explained by a documented non-GVHD cause are excluded.
"""

from __future__ import annotations

import doctest

import pytest

from inodli.errors import InputError
from inodli.protocol import gvhd_chronic
from inodli.protocol.gvhd_chronic import CgvhdSeverity, cgvhd_global_severity, cgvhd_organs

NONE, MILD, MODERATE, SEVERE = (
    CgvhdSeverity.NONE,
    CgvhdSeverity.MILD,
    CgvhdSeverity.MODERATE,
    CgvhdSeverity.SEVERE,
)


def scores(**given):
    base = dict.fromkeys(cgvhd_organs(), 0)
    base.update(given)
    return base


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({}, NONE),
        # mild: 1 or 2 organs with score 1, lung 0
        ({"skin": 1}, MILD),
        ({"skin": 1, "mouth": 1}, MILD),
        ({"genital": 1, "eyes": 1}, MILD),
        # moderate: 3 or more organs with score 1
        ({"skin": 1, "mouth": 1, "eyes": 1}, MODERATE),
        # moderate: any non-lung organ with score 2
        ({"mouth": 2}, MODERATE),
        ({"liver": 2, "skin": 1}, MODERATE),
        ({"joints_fascia": 2, "gi": 2, "eyes": 2}, MODERATE),
        # moderate: lung score 1 (even alone)
        ({"lungs": 1}, MODERATE),
        ({"lungs": 1, "skin": 1}, MODERATE),
        # severe: any organ score 3
        ({"eyes": 3}, SEVERE),
        ({"skin": 3, "mouth": 1}, SEVERE),
        # severe: lung score 2 or 3
        ({"lungs": 2}, SEVERE),
        ({"lungs": 3}, SEVERE),
    ],
)
def test_it_applies_the_nih_global_severity_rules(given, expected):
    result = cgvhd_global_severity(scores(**given))
    assert result.severity is expected, result.reasons


def test_it_treats_lung_score_2_as_severe_unlike_other_organs():
    assert cgvhd_global_severity(scores(lungs=2)).severity is SEVERE
    assert cgvhd_global_severity(scores(mouth=2)).severity is MODERATE


def test_it_uses_the_higher_of_the_two_skin_scores():
    organs = scores()
    del organs["skin"]
    result = cgvhd_global_severity(organs, skin_scores=(1, 3))
    assert result.scores["skin"] == 3
    assert result.severity is SEVERE


def test_it_excludes_organs_explained_by_another_cause():
    result = cgvhd_global_severity(scores(liver=3, mouth=1), excluded={"liver"})
    assert result.scores["liver"] == 0
    assert result.severity is MILD
    assert any("non-GVHD cause" in reason for reason in result.reasons)


def test_it_requires_every_organ_unless_asked_to_assume_zero():
    with pytest.raises(InputError) as error:
        cgvhd_global_severity({"skin": 1})
    assert "missing mouth" in str(error.value)
    result = cgvhd_global_severity({"skin": 1, "mouth": 2}, unscored_as_zero=True)
    assert result.severity is MODERATE
    assert any("taken as 0" in reason for reason in result.reasons)


@pytest.mark.parametrize(
    ("organ_scores", "kwargs"),
    [
        (scores(skin=4), {}),
        (scores(skin=-1), {}),
        (scores(skin=1.5), {}),
        (scores(skin=True), {}),
        ({**scores(), "heart": 1}, {}),
        (scores(), {"excluded": {"kidney"}}),
        (scores(), {"skin_scores": (1, 2)}),  # skin given twice
        ("skin=1", {}),
    ],
)
def test_it_rejects_bad_scores(organ_scores, kwargs):
    with pytest.raises(InputError):
        cgvhd_global_severity(organ_scores, **kwargs)


def test_it_lists_the_eight_nih_organs():
    assert cgvhd_organs() == (
        "skin", "mouth", "eyes", "gi", "liver", "lungs", "joints_fascia", "genital",
    )  # fmt: skip


@pytest.mark.parametrize("module", [gvhd_chronic])
def test_it_runs_the_docstring_examples(module):
    failures, tried = doctest.testmod(module)
    assert tried > 0
    assert failures == 0


def test_it_marks_the_severity_rules_as_corroborated_not_verified():
    # clinical-facts 3.2: the global-severity rules are [C] (Jagasia 2015 table not
    # retrieved); every result says so.
    scores = dict.fromkeys(cgvhd_organs(), 0)
    result = cgvhd_global_severity({**scores, "lungs": 1})
    assert result.severity is MODERATE
    assert result.verification.startswith("[C]")
    assert "Jagasia 2015" in result.verification
    assert result.verification in str(result)
