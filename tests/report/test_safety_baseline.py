"""AE incidence, baseline table and participant flow on literal frames (hand counts)."""

from __future__ import annotations

import pandas as pd
import pytest

from inodli.errors import InputError
from inodli.report.baseline import baseline_table, consort_counts
from inodli.report.safety import ae_incidence, ae_incidence_display
from tests.report import literal

CATS = ["Any grade", "Grade >=3", "Serious", "Related"]


def _row(counts: pd.DataFrame, group: str, soc: str, term: str = "") -> list[int]:
    hit = counts[(counts["group"] == group) & (counts["soc"] == soc) & (counts["term"] == term)]
    assert len(hit) == 1
    return hit[CATS].iloc[0].tolist()


def test_it_counts_subjects_once_per_term_at_worst_grade() -> None:
    counts = ae_incidence(literal.adae(), literal.adsl(), by_dli=True)
    # hand count over S01-S08 (S07's event is not treatment-emergent; S09 is not treated):
    # any: S01 S02 S05 S06; >=3: S01 (VOD 3 then 4, once) S02 S05; serious: S01 S05;
    # related: S01 S02 (InO), S06 (DLI)
    assert _row(counts, "All", "Any adverse event") == [4, 3, 2, 3]
    assert _row(counts, "All", "Blood disorders") == [3, 2, 1, 1]
    assert _row(counts, "All", "Blood disorders", "Febrile neutropenia") == [2, 2, 1, 0]
    assert _row(counts, "All", "Blood disorders", "Anaemia") == [1, 0, 0, 1]
    assert _row(counts, "All", "Hepatobiliary disorders", "Hepatic VOD") == [2, 1, 1, 2]
    assert _row(counts, "DLI", "Any adverse event") == [2, 2, 1, 2]
    assert _row(counts, "No DLI", "Any adverse event") == [2, 1, 1, 1]
    assert set(counts["N"]) == {8, 4}


def test_it_orders_socs_by_frequency_and_shows_percentages() -> None:
    counts = ae_incidence(literal.adae(), literal.adsl())
    socs = counts.loc[counts["term"] == "", "soc"].tolist()
    assert socs == ["Any adverse event", "Blood disorders", "Hepatobiliary disorders"]
    shown = ae_incidence_display(counts)
    assert shown.iloc[0, 1] == "4 (50%)"  # 4 of 8
    assert shown.iloc[2, 0].strip() == "Febrile neutropenia"


def test_it_handles_no_adverse_events() -> None:
    counts = ae_incidence(literal.adae().iloc[0:0], literal.adsl())
    assert _row(counts, "All", "Any adverse event") == [0, 0, 0, 0]


def test_it_needs_the_grade_column() -> None:
    with pytest.raises(InputError, match="adae"):
        ae_incidence(literal.adae().drop(columns="ATOXGR"), literal.adsl())


def test_it_tabulates_baseline_by_dli() -> None:
    table = baseline_table(literal.adsl())
    assert list(table.columns) == [
        "Characteristic", "All (N = 8)", "DLI (N = 4)", "No DLI (N = 4)",
    ]  # fmt: skip
    age = table[table["Characteristic"].str.startswith("Age")].iloc[0]
    # S01-S08 ages 30 40 50 60 20 35 45 70: median 42.5, range 20-70; DLI 30 40 50 60: 45
    assert age["All (N = 8)"] == "42.5 (20.0 to 70.0)"
    assert age["DLI (N = 4)"] == "45.0 (30.0 to 60.0)"
    male = table[table["Characteristic"].str.strip() == "M"].iloc[0]
    assert male["All (N = 8)"] == "4 (50%)"  # S01 S03 S04 S07
    hsct = table[table["Characteristic"].str.startswith("HSCT")].iloc[0]
    # days 365.25 730.5 182.625 365.25 91.3125 365.25 365.25 730.5 -> months 12 24 6 12 3 12 12 24
    assert hsct["All (N = 8)"] == "12.0 (3.0 to 24.0)"


def test_it_counts_the_participant_flow() -> None:
    counts = consort_counts(literal.adsl())
    assert (counts.enrolled, counts.not_treated, counts.treated) == (9, 1, 8)
    assert (counts.evaluable, counts.not_evaluable) == (7, 1)
    assert (counts.dli, counts.no_dli) == (4, 4)
    # deaths S01 S03 S04 S06; S02 discontinued alive; S05 S07 ongoing, S08 completed
    assert (counts.died, counts.discontinued, counts.in_follow_up) == (4, 1, 3)
    assert counts.as_table().shape == (10, 2)
