"""Every protocol command refuses bad input with exit code 2 and a message naming the flag,
the values allowed and the value received (project rule: InputError(field, allowed,
received) at every layer). The allowed ranges quoted are the API's documented ones."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from inodli.cli import main

DLI_OK = ["--prior-grade34-agvhd", "no", "--hla-loss", "no_loss", "--active-agvhd", "no",
          "--active-cgvhd", "no"]  # fmt: skip
LIVER_OK = ["--bilirubin", "10", "--bilirubin-uln", "20", "--alt", "30", "--alt-uln", "40"]
RESPONSE_OK = ["--anc", "1.2", "--platelets", "120", "--blood-blasts", "no", "--emd", "none"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "command",
    [
        ["dose", "--height", "170", "--weight", "65", "--cycle", "1"],
        ["dli", "--weight", "60", "--cd3-per-ml", "5e7", *DLI_OK],
        ["schedule", "--first-dose", "2026-01-05"],
        ["it", "--remission-date", "2026-02-01", "--as-of", "2026-03-01"],
        ["next-dose", "--cycle", "1", "--day", "8", *LIVER_OK],
        ["agvhd", "--skin", "1", "--liver", "0", "--upper-gi", "0", "--lower-gi", "0"],
        ["cgvhd", "--skin", "1"],
        ["response", "--blasts", "3", *RESPONSE_OK],
    ],
)
def test_it_refuses_an_unknown_flag_with_exit_code_2(command: list[str]) -> None:
    code, output = run(*command)
    assert code == 0, output
    code, output = run(*command, "--bogus", "1")
    assert code == 2
    assert "No such option: --bogus" in output or "No such option '--bogus'" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dose", "--height", "170", "--weight", "-65", "--cycle", "1"],
         "Invalid value for --weight: expected a number in 2-350 (kg), got -65.0"),
        (["dose", "--height", "inf", "--weight", "65", "--cycle", "1"],
         "Invalid value for --height: expected a number in 30-250 (cm), got inf"),
        (["dose", "--height", "170", "--weight", "65", "--cycle", "0"],
         "Invalid value for --cycle: expected an integer in 1-2, got 0"),
        (["dose", "--height", "170", "--weight", "65", "--cycle", "1", "--formula", "boyd"],
         "'boyd' is not one of 'mosteller', 'dubois', 'haycock'"),
        (["dli", "--weight", "60", "--cd3-per-ml", "nan", *DLI_OK],
         "Invalid value for --cd3-per-ml: expected a number in 10000-1e+10 (CD3+ cells/mL), got nan"),
        (["dli", "--weight", "60", "--cd3-per-ml", "5e7", "--cd3-per-kg", "1e9", *DLI_OK],
         "Invalid value for --cd3-per-kg: expected a number in 100000-1e+08 (CD3+ cells/kg)"),
        (["dli", "--weight", "60", "--cd3-per-ml", "5e7", "--prior-grade34-agvhd", "maybe",
          "--hla-loss", "no_loss", "--active-agvhd", "no", "--active-cgvhd", "no"],
         "'maybe' is not one of 'yes', 'no', 'unknown'"),
        (["schedule", "--first-dose", "2026-02-30"],
         "expected a date as YYYY-MM-DD, got '2026-02-30'"),
        (["it", "--remission-date", "2026-02-01", "--given", "2026-01-15", "--as-of", "2026-03-01"],
         "Invalid value for --given: expected a date in 2026-02-01 .. 2026-03-01, got 2026-01-15"),
        (["next-dose", "--cycle", "7", "--day", "1", *LIVER_OK],
         "Invalid value for --cycle: expected an integer in 1-6, got 7"),
        (["next-dose", "--cycle", "1", "--day", "8", "--bilirubin", "10", "--bilirubin-uln", "0",
          "--alt", "30", "--alt-uln", "40"],
         "Invalid value for --bilirubin-uln: expected a number > 0, got 0.0"),
        (["next-dose", "--cycle", "2", "--day", "1", *LIVER_OK, "--anc", "800", "--platelets",
          "100", "--baseline-anc", "2", "--baseline-platelets", "150"],
         "Invalid value for --anc: expected a number in 0-500 (10^9/L), got 800.0"),
        (["grade", "bilirubin", "30", "--uln", "20", "--baseline", "-1"],
         "Invalid value for --baseline: expected a number >= 0, got -1.0"),
        (["agvhd", "--skin", "1", "--liver", "0", "--upper-gi", "0", "--stool-ml", "500",
          "--weight", "400"],
         "Invalid value for --weight: expected a number in 1-350 (kg), got 400.0"),
        (["agvhd", "--skin", "1", "--bilirubin", "nan", "--upper-gi", "0", "--lower-gi", "0"],
         "Invalid value for --bilirubin: expected a number >= 0 (mg/dL), got nan"),
        (["cgvhd", "--mouth", "-1"],
         "Invalid value for --mouth: expected a whole-number score 0-3, got -1"),
        (["response", "--blasts", "3", "--anc", "1.2", "--platelets", "5000",
          "--blood-blasts", "no", "--emd", "none"],
         "Invalid value for --platelets: expected a number in 0-3000 (x10^9/L), got 5000.0"),
        (["response", "--blasts", "3", *RESPONSE_OK, "--mrd", "0", "--mrd-sensitivity", "-1"],
         "Invalid value for --mrd-sensitivity: expected a number > 0 and <= 100 (%), got -1.0"),
    ],
)  # fmt: skip
def test_it_names_flag_allowed_and_received(args: list[str], message: str) -> None:
    code, output = run(*args)
    assert code == 2, output
    assert message in output
