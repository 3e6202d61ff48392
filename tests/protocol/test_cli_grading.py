"""The grading commands, driven through click's CliRunner.

Expected grades are the same source values as the API tests: CTCAE v5.0 (ALT >5.0-20.0 x
ULN = grade 3), MAGIC (stage-3 skin alone = grade II), NIH 2014 (a non-lung score 2 =
moderate) and the trial record (CR: blasts <=5%, platelets >100, ANC >1).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from inodli.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_it_grades_alt_from_the_issue_example():
    result = run("grade", "ALT", "210", "--uln", "40")
    assert result.exit_code == 0, result.output
    assert "Alanine aminotransferase increased: grade 3" in result.output


def test_it_prints_json_for_grade_and_names_possible_grades():
    result = run("grade", "sodium", "127", "--lln", "135", "--uln", "145", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["grade"] is None
    assert data["possible_grades"] == [2, 3]
    assert data["needs_clinician"] is True


def test_it_converts_units_on_the_command_line():
    result = run("grade", "ANC", "800", "--unit", "/mm3", "--json")
    assert json.loads(result.output)["grade"] == 3  # <1000 - 500/mm3


def test_it_names_the_flag_when_grade_input_is_missing():
    result = run("grade", "ALT", "100")
    assert result.exit_code == 2
    assert "--uln" in result.output


def test_it_rejects_an_unknown_term_cleanly():
    result = run("grade", "troponin", "1")
    assert result.exit_code == 2
    assert "TERM" in result.output


def test_it_grades_agvhd_from_stages():
    result = run("agvhd", "--skin", "3", "--liver", "0", "--upper-gi", "0", "--lower-gi", "0")
    assert result.exit_code == 0, result.output
    assert "grade II" in result.output


def test_it_grades_agvhd_from_findings_as_json():
    result = run(
        "agvhd", "--skin-bsa", "30", "--bilirubin", "2.5", "--upper-gi-symptoms", "none",
        "--stool-ml", "1200", "--weight", "70", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [s["stage"] for s in data["organ_stages"]] == [2, 1, 0, 2]
    assert data["overall"]["grade"] == 3
    assert data["overall"]["roman"] == "III"


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (
            [
                "--skin",
                "1",
                "--skin-bsa",
                "10",
                "--liver",
                "0",
                "--upper-gi",
                "0",
                "--lower-gi",
                "0",
            ],
            "--skin",
        ),
        (["--liver", "0", "--upper-gi", "0", "--lower-gi", "0"], "--skin"),
        (["--skin", "0", "--liver", "0", "--upper-gi", "0", "--stool-ml", "600"], "--weight"),
        (["--skin", "5", "--liver", "0", "--upper-gi", "0", "--lower-gi", "0"], "--skin"),
        (["--skin-bsa", "120", "--liver", "0", "--upper-gi", "0", "--lower-gi", "0"], "--skin-bsa"),
    ],
)
def test_it_reports_agvhd_usage_errors(args, hint):
    result = run("agvhd", *args)
    assert result.exit_code == 2
    assert hint in result.output


def test_it_grades_cgvhd_and_says_which_organs_were_taken_as_zero():
    result = run("cgvhd", "--skin", "1", "--mouth", "2")
    assert result.exit_code == 0, result.output
    assert "moderate" in result.output
    assert "taken as 0" in result.output


def test_it_grades_cgvhd_json_with_skin_pair_and_exclusion():
    result = run(
        "cgvhd", "--skin-bsa-score", "1", "--skin-sclerosis-score", "2", "--liver", "3",
        "--exclude", "liver", "--json",
    )  # fmt: skip
    data = json.loads(result.output)
    assert data["severity"] == "moderate"
    assert data["scores"]["skin"] == 2
    assert data["scores"]["liver"] == 0


def test_it_rejects_a_bad_cgvhd_score():
    result = run("cgvhd", "--lungs", "4")
    assert result.exit_code == 2
    assert "--lungs" in result.output


def test_it_classifies_response_and_mrd():
    result = run(
        "response", "--blasts", "3", "--anc", "1.2", "--platelets", "120",
        "--blood-blasts", "no", "--emd", "none", "--mrd", "0", "--mrd-sensitivity", "0.001",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.startswith("CR: complete remission")
    assert "MRD: negative" in result.output


def test_it_offers_the_label_criteria_and_json():
    args = ["--blasts", "5", "--anc", "1.0", "--platelets", "100", "--blood-blasts", "no"]
    trial = json.loads(run("response", *args, "--emd", "none", "--json").output)
    label = json.loads(
        run("response", *args, "--emd", "none", "--criteria", "label", "--json").output
    )
    assert trial["response"]["category"] == "CRi"  # >100 and >1 fail at exactly 100 and 1.0
    assert label["response"]["category"] == "refractory"  # label: <5% blasts
    assert trial["mrd"] is None


def test_it_reports_not_evaluable_and_relapse():
    missing = json.loads(run("response", "--blasts", "2", "--json").output)["response"]
    assert missing["category"] == "not evaluable"
    assert "anc" in missing["missing"]
    relapse = run("response", "--blasts", "6", "--timepoint", "after-remission")
    assert relapse.output.startswith("relapse")


def test_it_rejects_bad_response_input():
    result = run("response", "--blasts", "120")
    assert result.exit_code == 2
    assert "--blasts" in result.output


@pytest.mark.parametrize("command", ["grade", "agvhd", "cgvhd", "response"])
def test_it_shows_examples_in_every_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert f"inodli {command} " in result.output


# --- audit 2026-11-25: bad values reach the API's checks and name the flag ----------------


@pytest.mark.parametrize(
    ("args", "hint", "allowed"),
    [
        (["ALT", "-5", "--uln", "40"], "VALUE", "expected a number >= 0, got -5.0"),
        (["ALT", "nan", "--uln", "40"], "VALUE", "expected a number >= 0, got nan"),
        (["ALT", "100", "--uln", "-40"], "--uln", "expected a number > 0, got -40.0"),
        (["ALT", "100", "--uln", "40", "--unit", "mg/dL"], "--unit", "one of U/L, IU/L, ukat/L"),
        (["ALT", "100"], "--uln", "the upper limit of normal"),
        (["troponin", "1"], "TERM", "a CTCAE lab term or alias"),
        (["sodium", "150"], "--lln/--uln", "both reference limits"),
    ],
)
def test_it_names_the_flag_and_allowed_values_for_bad_grade_input(args, hint, allowed):
    result = run("grade", *args)
    assert result.exit_code == 2
    assert f"Invalid value for {hint}: " in result.output
    assert allowed in result.output


def test_it_grades_a_high_sodium_on_the_command_line():
    # CTCAE v5.0 Hypernatremia grade 2: >150 - 155 mmol/L (admiral ncictcaev5.json).
    result = run("grade", "sodium", "152", "--lln", "135", "--uln", "145")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Hypernatremia: grade 2\n")


@pytest.mark.parametrize("value", ["nan", "101", "-1"])
def test_it_refuses_a_relapse_threshold_that_could_never_fire(value):
    result = run(
        "response", "--blasts", "30", "--timepoint", "after-remission", "--relapse-blasts", value
    )
    assert result.exit_code == 2
    assert "Invalid value for --relapse-blasts: expected a number in 0-100 (%)" in result.output


def test_it_prints_the_ash_sap_mrd_category_where_it_differs_from_ino_vate():
    result = run(
        "response", "--blasts", "1", "--anc", "2", "--platelets", "150", "--blood-blasts", "no",
        "--emd", "none", "--mrd", "0.005", "--mrd-sensitivity", "0.001",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "MRD: negative (ASH-SAP: MRD intermediate)" in result.output


def test_it_refuses_a_zero_mrd_sensitivity_on_the_command_line():
    result = run("response", "--blasts", "1", "--mrd", "0", "--mrd-sensitivity", "0")
    assert result.exit_code == 2
    assert "Invalid value for --mrd-sensitivity: expected a number > 0 and <= 100 (%)" in (
        result.output
    )


def test_it_prints_the_verification_status_of_the_gvhd_rules():
    acute = run("agvhd", "--skin", "3", "--liver", "0", "--upper-gi", "0", "--lower-gi", "0")
    assert "  status: [C] overall-grade pattern rules" in acute.output
    chronic = run("cgvhd", "--lungs", "1")
    assert "  status: [C] global-severity rules" in chronic.output


def test_it_stages_a_stool_urine_mix_from_the_command_line():
    result = run(
        "agvhd", "--skin", "0", "--liver", "0", "--upper-gi", "0", "--stool-ml", "2200",
        "--stool-mixed-with-urine", "--weight", "70", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["organ_stages"][3]["stage"] == 2  # 1100 mL/day of stool: 1000-1500
    assert data["overall"]["roman"] == "III"
