"""``inodli dose``, ``dli``, ``schedule`` and ``it`` through click's CliRunner.

Expected numbers: Mosteller BSA for 170 cm / 65 kg = sqrt(170 x 65 / 3600) = 1.752 -> 1.75 m2;
day-1 dose 0.8 x 1.75 = 1.40 mg = 5.6 mL at 0.25 mg/mL (label 2.4); DLI 1e7/kg x 60 kg = 6e8
CD3+ cells = 12 mL at 5e7/mL (clinical-facts 6).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from inodli.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_it_prints_a_dosing_sheet() -> None:
    code, output = run("dose", "--height", "170", "--weight", "65", "--cycle", "1")
    assert code == 0, output
    assert "1.75 m2 used for dosing" in output
    assert "  1   1-1    0.8        1.40          5.6      2          44.4   0.00" in output
    assert "Premedicate before each dose" in output


def test_it_prints_cycle_2_in_remission_as_json() -> None:
    code, output = run(
        "dose", "--height", "170", "--weight", "65", "--cycle", "2", "--in-remission", "--json"
    )
    assert code == 0, output
    payload = json.loads(output)
    assert payload["bsa"]["bsa_for_dosing_m2"] == 1.75
    assert [d["mg_per_m2"] for d in payload["plan"]["doses"]] == [0.5, 0.5, 0.5]
    assert [d["dose_mg"] for d in payload["plan"]["doses"]] == [0.88, 0.88, 0.88]
    assert payload["preparation"]["1"]["volume_to_withdraw_ml"] == 3.5  # 0.88 / 0.25 = 3.52


@pytest.mark.parametrize(
    ("args", "flag", "expected"),
    [
        (
            ["--height", "17", "--weight", "65", "--cycle", "1"],
            "--height",
            "expected a number in 30-250 (cm), got 17.0",
        ),
        (
            ["--height", "170", "--weight", "400", "--cycle", "1"],
            "--weight",
            "expected a number in 2-350 (kg), got 400.0",
        ),
        (
            ["--height", "170", "--weight", "65", "--cycle", "3"],
            "--cycle",
            "expected an integer in 1-2, got 3",
        ),
        (
            ["--height", "170", "--weight", "65", "--cycle", "1", "--cap", "0"],
            "--cap",
            "expected a number > 0, got 0.0",
        ),
    ],
)
def test_it_names_the_flag_in_errors(args: list[str], flag: str, expected: str) -> None:
    code, output = run("dose", *args)
    assert code == 2
    assert f"Invalid value for {flag}: {expected}" in output


def test_it_names_allowed_formulas() -> None:
    code, output = run(
        "dose", "--height", "170", "--weight", "65", "--cycle", "1", "--formula", "boyd"
    )
    assert code == 2
    assert "'boyd' is not one of 'mosteller', 'dubois', 'haycock'" in output


def test_it_checks_dli_eligibility_and_gives_the_dose() -> None:
    code, output = run(
        "dli", "--weight", "60", "--cd3-per-ml", "5e7", "--prior-grade34-agvhd", "no",
        "--hla-loss", "no_loss", "--active-agvhd", "no", "--active-cgvhd", "no",
    )  # fmt: skip
    assert code == 0, output
    assert "ELIGIBLE for DLI" in output
    assert "give 12.0 mL" in output
    assert "6e+08 CD3+ cells" in output


def test_it_withholds_the_dli_dose_when_not_eligible() -> None:
    code, output = run(
        "dli", "--weight", "60", "--cd3-per-ml", "5e7", "--prior-grade34-agvhd", "no",
        "--hla-loss", "missing", "--active-agvhd", "no", "--active-cgvhd", "unknown", "--json",
    )  # fmt: skip
    assert code == 0, output
    payload = json.loads(output)
    assert payload["eligible"] is False
    assert payload["failed"] == ["negative HLA-loss test", "no present chronic GVHD"]
    assert payload["dose"] is None


def test_it_names_the_dli_flag_in_errors() -> None:
    code, output = run(
        "dli", "--weight", "60", "--cd3-per-ml", "0", "--prior-grade34-agvhd", "no",
        "--hla-loss", "no_loss", "--active-agvhd", "no", "--active-cgvhd", "no",
    )  # fmt: skip
    assert code == 2
    assert "Invalid value for --cd3-per-ml" in output


def test_it_prints_the_visit_schedule() -> None:
    code, output = run("schedule", "--first-dose", "2026-01-05")
    assert code == 0, output
    assert "C1D8       day    8 [7, 10]  2026-01-12 [2026-01-11 .. 2026-01-14]" in output
    assert "Assumptions" in output


def test_it_prints_the_schedule_as_json_with_it_courses() -> None:
    code, output = run(
        "schedule", "--first-dose", "2026-01-05", "--remission-date", "2026-01-25", "--json"
    )
    assert code == 0, output
    visits = json.loads(output)["schedule"]["visits"]
    assert visits[0]["code"] == "screening"
    assert {"IT1", "IT6", "PRIMARY", "FU-M24"} <= {v["code"] for v in visits}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--first-dose", "2026-13-05"],
            "Invalid value for '--first-dose': expected a date as YYYY-MM-DD, got '2026-13-05'",
        ),
        (
            ["--first-dose", "2026-01-05", "--remission-date", "2026-01-01"],
            "Invalid value for --remission-date",
        ),
        (["--first-dose", "2026-01-05", "--cycle1-days", "25"], "'25' is not one of '21', '28'"),
    ],
)
def test_it_reports_schedule_errors(args: list[str], message: str) -> None:
    code, output = run("schedule", *args)
    assert code == 2
    assert message in output


def test_it_reports_intrathecal_status() -> None:
    code, output = run(
        "it", "--remission-date", "2026-02-01", "--given", "2026-02-02", "--as-of", "2026-04-20"
    )
    assert code == 0, output
    assert "1 given, 3 due -> overdue" in output
    code, output = run("it", "--remission-date", "2026-02-01", "--as-of", "2026-02-03", "--json")
    payload = json.loads(output)["intrathecal"]
    assert payload["status"] == "on_track"
    assert payload["regimen"] == [["cytarabine", 50], ["dexamethasone", 5], ["methotrexate", 10]]


def test_it_names_the_given_flag_in_intrathecal_errors() -> None:
    code, output = run(
        "it", "--remission-date", "2026-02-01", "--given", "2026-01-01", "--as-of", "2026-03-01"
    )
    assert code == 2
    assert "Invalid value for --given" in output


@pytest.mark.parametrize("command", ["dose", "dli", "schedule", "it", "next-dose"])
def test_every_command_has_examples_in_its_help(command: str) -> None:
    code, output = run(command, "--help")
    assert code == 0
    assert "Examples:" in output
    assert f"inodli {command} --" in output
    assert "--json" in output


def test_it_decides_the_next_dose_with_every_reason() -> None:
    # Label Table 3: bilirubin 40 > 1.5 x 20 and AST 110 > 2.5 x 40 -> hold.
    code, output = run(
        "next-dose", "--cycle", "1", "--day", "8", "--bilirubin", "40", "--bilirubin-uln", "20",
        "--ast", "110", "--ast-uln", "40",
    )  # fmt: skip
    assert code == 0, output
    assert output.startswith("HOLD")
    assert "[INO-MOD-LIVER]" in output
    assert (
        "label: Total bilirubin greater than 1.5 x ULN and AST/ALT greater than 2.5 x ULN" in output
    )


def test_it_decides_a_day_1_delay_as_json() -> None:
    code, output = run(
        "next-dose", "--cycle", "2", "--day", "1", "--bilirubin", "10", "--bilirubin-uln", "20",
        "--alt", "30", "--alt-uln", "40", "--anc", "0.8", "--platelets", "60",
        "--baseline-anc", "1.5", "--baseline-platelets", "120", "--vod", "--json",
    )  # fmt: skip
    assert code == 0, output
    decision = json.loads(output)["decision"]
    assert decision["action"] == "discontinue"
    assert [r["rule_id"] for r in decision["reasons"]] == ["INO-MOD-VOD", "INO-MOD-HEME-ANC"]


def test_it_names_the_missing_count_flag() -> None:
    code, output = run(
        "next-dose", "--cycle", "2", "--day", "1", "--bilirubin", "10", "--bilirubin-uln", "20",
        "--alt", "30", "--alt-uln", "40", "--platelets", "60", "--baseline-anc", "1.5",
        "--baseline-platelets", "120",
    )  # fmt: skip
    assert code == 2
    assert "Invalid value for --anc" in output


# --- audit 2026-11-25 -------------------------------------------------------------------


def test_it_shows_a_bad_date_as_typed() -> None:
    code, output = run("it", "--remission-date", "2026-02-01", "--as-of", "2026-01-01")
    assert code == 2
    assert (
        "Invalid value for --as-of: expected a date on or after the remission date 2026-02-01, "
        "got 2026-01-01"
    ) in output
    assert "datetime.date" not in output


def test_it_prints_unverified_clauses_in_the_next_dose_decision() -> None:
    code, output = run(
        "next-dose", "--cycle", "1", "--day", "8", "--bilirubin", "10", "--bilirubin-uln", "20",
        "--alt", "30", "--alt-uln", "40", "--nonheme-grade", "2", "--nonheme-baseline-grade", "2",
    )  # fmt: skip
    assert code == 0, output
    assert output.startswith("GIVE\n")
    assert "UNVERIFIED: INO-MOD-NONHEME 'or pre-treatment grade'" in output


def test_it_explains_why_cycle_4_needs_a_remission() -> None:
    code, output = run(
        "dose", "--height", "170", "--weight", "65", "--cycle", "4", "--max-cycles", "6"
    )
    assert code == 2
    assert "Invalid value for --in-remission: expected True (CR/CRi reached) for cycle 4" in output
    assert "within 3 cycles should discontinue" in output


def test_it_holds_the_first_dose_for_cytoreduction() -> None:
    code, output = run(
        "next-dose", "--cycle", "1", "--day", "1", "--bilirubin", "10", "--bilirubin-uln", "20",
        "--alt", "30", "--alt-uln", "40", "--blood-blasts", "12",
    )  # fmt: skip
    assert code == 0, output
    assert output.startswith("HOLD\n  [INO-PRE-CYTOREDUCTION] hold: peripheral blasts 12")
    bad = run("next-dose", "--cycle", "1", "--day", "1", "--blood-blasts", "-3")
    assert bad[0] == 2
    assert (
        "Invalid value for --blood-blasts: expected a number in 0-1000 (10^9/L), got -3.0" in bad[1]
    )


def test_it_prints_a_reduced_two_dose_cycle_when_the_prescriber_asks() -> None:
    # Trial record cycle 2 in CR/CRi: 0.5 mg/m2 on days 1, 8, 15. A 25% reduction gives
    # 0.375 mg/m2; x 1.75 m2 = 0.65625 -> 0.66 mg (half-up to 0.01 mg); day 15 omitted.
    code, output = run(
        "dose", "--height", "170", "--weight", "65", "--cycle", "2", "--in-remission",
        "--dose-reduction", "0.25", "--omit-day", "15", "--json",
    )  # fmt: skip
    assert code == 0, output
    doses = json.loads(output)["plan"]["doses"]
    assert [(d["day"], d["mg_per_m2"], d["dose_mg"]) for d in doses] == [
        (1, 0.375, 0.66),
        (8, 0.375, 0.66),
    ]


def test_it_refuses_re_escalation_on_the_command_line() -> None:
    # Label 2.1: "If the dose is reduced due to BESPONSA-related toxicity, the dose must not
    # be re-escalated."
    code, output = run(
        "dose", "--height", "170", "--weight", "65", "--cycle", "2",
        "--dose-reduction", "0.1", "--prior-reduction", "0.25",
    )  # fmt: skip
    assert code == 2
    assert "Invalid value for --dose-reduction: expected >= the prior reduction 0.25" in output
    assert "must not be re-escalated" in output


def test_it_says_cycle_1_doses_do_not_depend_on_remission() -> None:
    code, output = run("dose", "--height", "170", "--weight", "65", "--cycle", "1")
    assert code == 0, output
    assert "cycle 1 (induction: the same doses whether or not in CR/CRi)" in output
    assert "Dev % = dose in the volume withdrawn" in output
