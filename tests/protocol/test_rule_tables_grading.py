"""The classification rule tables are validated at load: a malformed table is a packaging
error (RuleTableError), never a silently different rule."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from inodli.protocol import ctcae_table, gvhd_acute, gvhd_chronic, response_rules
from inodli.protocol._ruletable import RuleTableError, load_rule_table
from inodli.protocol._thresholds import Operator, Threshold, parse_threshold


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Install an edited copy of a rule table for one module's cached loader."""
    cleared: list[Any] = []

    def install(module: Any, loader: Any, name: str, edit: Callable[[dict], None]) -> None:
        data = copy.deepcopy(load_rule_table(name))
        edit(data)
        monkeypatch.setattr(module, "load_rule_table", lambda _name: data)
        loader.cache_clear()
        cleared.append(loader)

    yield install
    monkeypatch.undo()
    for loader in cleared:
        loader.cache_clear()


def test_it_reads_thresholds_as_enumerated_operators_only():
    assert parse_threshold({"op": "le", "value": 5}, "t") == Threshold(Operator.LE, 5.0)
    for bad in ({"op": "<=", "value": 5}, {"op": "le"}, {"op": "le", "value": "nan"}, "le 5"):
        with pytest.raises(RuleTableError):
            parse_threshold(bad, "t")


def test_it_rejects_a_response_table_with_a_string_operator(broken):
    def edit(data):
        data["criteria"]["trial_record"]["cr_platelets"] = {"op": "x > 100", "value": 100}

    broken(response_rules, response_rules.response_rules, "response", edit)
    with pytest.raises(RuleTableError):
        response_rules.response_rules()


def test_it_rejects_a_response_table_with_one_cri_floor(broken):
    broken(
        response_rules,
        response_rules.response_rules,
        "response",
        lambda data: data["criteria"]["trial_record"].pop("cri_anc"),
    )
    with pytest.raises(RuleTableError):
        response_rules.response_rules()


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["terms"]["hyponatremia"]["rows"][2].pop("clinician"),  # 2 grades, no reason
        lambda d: d["terms"]["anemia"]["rows"][0].update(grade=6),
        lambda d: d["terms"]["anemia"]["rows"][0].pop("upper"),  # a row without bounds
        lambda d: d["terms"]["alanine_aminotransferase_increased"]["rows"][0]["lower"].update(
            ref="median"
        ),
        lambda d: d["terms"]["ggt_increased"].pop("abnormal_baseline_rows"),
    ],
)
def test_it_rejects_malformed_ctcae_rows(broken, edit):
    broken(ctcae_table, ctcae_table.lab_term_index, "ctcae_v5_labs", edit)
    with pytest.raises(RuleTableError):
        ctcae_table.lab_term_index()


def test_it_rejects_an_agvhd_rule_on_an_unknown_organ(broken):
    broken(
        gvhd_acute,
        gvhd_acute._table,
        "agvhd_magic",
        lambda d: d["grades"][0]["any_of"].append({"lungs": [1, 1]}),
    )
    with pytest.raises(RuleTableError):
        gvhd_acute._table()


def test_it_rejects_a_cgvhd_table_without_eight_organs(broken):
    broken(
        gvhd_chronic,
        gvhd_chronic._rules,
        "cgvhd_nih",
        lambda d: d["organs"]["names"].remove("genital"),
    )
    with pytest.raises(RuleTableError):
        gvhd_chronic._rules()


@pytest.mark.parametrize(
    "name", ["response", "ctcae_v5_labs", "ctcae_v5_clinical", "agvhd_magic", "cgvhd_nih"]
)
def test_it_ships_each_table_with_its_header_and_sources(name):
    data = load_rule_table(name)
    assert data["table"] == name
    assert data["version"]
    assert data["source"]
