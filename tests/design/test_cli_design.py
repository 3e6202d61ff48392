"""``inodli design ...`` driven through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from inodli.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["design", *args])
    return result.exit_code, result.output


def test_simon_prints_the_three_designs_one_rule_per_line() -> None:
    code, out = run("simon", "--p0", "0.3", "--p1", "0.6", "--alpha", "0.05", "--power", "0.8")
    assert code == 0
    assert "Minimax design" in out
    assert "Optimal design" in out
    assert "Stage 1: treat 8 patients." in out.splitlines()


def test_simon_json_has_the_vignette_optimal_design() -> None:
    code, out = run(
        "simon", "--p0", "0.05", "--p1", "0.2", "--alpha", "0.1", "--power", "0.9", "--json"
    )
    assert code == 0
    designs = json.loads(out)["designs"]
    optimal = designs[-1]
    assert (optimal["r1"], optimal["n1"], optimal["r"], optimal["n"]) == (
        0,
        12,
        3,
        37,
    )  # clinfun vignette
    assert optimal["explanation"][0] == "Stage 1: treat 12 patients."


def test_single_stage_evaluates_the_23_patient_rule() -> None:
    code, out = run(
        "single-stage", "--p0", "0.3", "--p1", "0.6", "--n", "23", "--r", "11", "--json"
    )
    assert code == 0
    (design,) = json.loads(out)["designs"]
    assert round(design["type1"], 3) == 0.021


def test_single_stage_search_lists_clinfun_rows() -> None:
    code, out = run(
        "single-stage", "--p0", "0.4", "--p1", "0.6", "--alpha", "0.1", "--power", "0.9", "--json"
    )
    assert code == 0
    assert [(d["n"], d["r"]) for d in json.loads(out)["designs"]] == [
        (41, 20),
        (43, 21),
        (45, 22),
        (47, 23),
        (49, 24),
    ]


def test_toxicity_table_reads_as_sentences() -> None:
    code, out = run(
        "toxicity",
        "--p-max",
        "0.2",
        "--prior",
        "1",
        "4",
        "--threshold",
        "0.9",
        "--n",
        "23",
        "--event",
        "VOD/SOS",
    )
    assert code == 0
    assert "Stop if 8 or more of the first 23 patients have it." in out.splitlines()
    code, out = run(
        "toxicity",
        "--p-max",
        "0.3",
        "--threshold",
        "0.95",
        "--n",
        "36",
        "--cohort-size",
        "3",
        "--json",
    )
    table = json.loads(out)["table"]
    assert [row["stop_if_at_least"] for row in table] == [3, 4, 5, 7, 8, 9, 10, 11, 12, 14, 15, 16]


def test_predictive_reproduces_lee_and_liu() -> None:
    code, out = run(
        "predictive",
        "--responses",
        "16",
        "--n",
        "23",
        "--n-max",
        "40",
        "--p0",
        "0.6",
        "--theta-t",
        "0.9",
        "--prior",
        "0.6",
        "0.4",
        "--json",
    )
    assert code == 0
    assert json.loads(out)["predictive_probability"] == pytest.approx(0.5656, abs=5e-5)


def test_bop2_and_oc_and_trial() -> None:
    code, out = run("bop2", "--p0", "0.3", "--p1", "0.6", "--looks", "10,23", "--alpha", "0.05")
    assert code == 0
    assert "After all 23 patients" in out
    code, out = run(
        "oc", "--n", "23", "--r", "11", "--response", "0.3", "--toxicity", "0", "--json"
    )
    assert code == 0
    (row,) = json.loads(out)["scenarios"]
    assert round(row["promising"], 3) == 0.021
    code, out = run("trial", "--responses", "4", "--evaluable", "10")
    assert code == 0
    assert out.splitlines()[0] == "Decision: stop the trial for futility."
    code, out = run("trial", "--json")
    assert json.loads(out)["design"]["n"] == 23


def test_bad_input_is_a_clean_usage_error() -> None:
    code, out = run("simon", "--p0", "0.6", "--p1", "0.3")
    assert code == 2
    assert "p1: expected a response rate greater than p0" in out
    code, out = run("bop2", "--p0", "0.3", "--p1", "0.6", "--looks", "ten")
    assert code == 2
    code, out = run("oc", "--n", "23")
    assert code == 2


@pytest.mark.parametrize(
    "command", ["simon", "single-stage", "toxicity", "predictive", "bop2", "oc", "trial"]
)
def test_every_help_has_examples(command: str) -> None:
    code, out = run(command, "--help")
    assert code == 0
    assert "Examples:" in out
