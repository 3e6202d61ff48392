"""``inodli design infer``: design-adjusted inference from the command line, and its bad flags.

Expected numbers: stored R output ``tests/data/two_stage_inference.csv`` (design "trial"),
and R ``binom.test(11, 23, 0.3, alternative = "greater")$p.value`` = 0.0546001767125027.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from inodli.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["design", "infer", *args])
    return result.exit_code, result.output


def test_eleven_of_twenty_three_under_the_trial_design() -> None:
    code, out = run("--x1", "6", "--x", "11")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "Design: stop after 10 patients if 4 or fewer respond; 23 in total."
    # R two_stage_inference.csv, trial, x = 11: CI 0.284488 to 0.744511, p 0.0362331
    assert "Exact 95% confidence interval, stage-wise ordering: 28.4% to 74.5%." in lines
    assert "One-sided p-value against p0 = 0.3, stage-wise ordering: 0.0362." in lines
    assert lines[-1].endswith("(ignores the design): one-sided p = 0.0546.")


def test_json_carries_the_numbers_and_a_custom_design() -> None:
    code, out = run("--x1", "6", "--x", "11", "--json")
    assert code == 0
    payload = json.loads(out)
    result = payload["design_adjusted"]
    assert result["stage"] == 2
    assert result["p_value"] == pytest.approx(0.0362331257631445, rel=1e-10)
    assert result["umvue"] == pytest.approx(0.560294951786727, rel=1e-12)
    assert payload["plain_exact_p_value"] == pytest.approx(0.0546001767125027, rel=1e-10)
    # the 0/12, 3/37 design at p0 = 0.05 (R two_stage_inference.csv, simon_0.05_0.20_optimal)
    code, out = run("--x1", "1", "--x", "4", "--n1", "12", "--r1", "0", "--n", "37",
                    "--p0", "0.05", "--confidence-level", "0.95", "--json")  # fmt: skip
    assert code == 0, out
    assert json.loads(out)["design_adjusted"]["n"] == 37


def test_the_stage_follows_from_x1_unless_given() -> None:
    code, out = run("--x1", "3")
    assert code == 0
    assert "The trial stopped after stage 1: 3 of 10 responded" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--x1", "5", "--stage", "1"), "x1: expected 0 to r1 = 4 responses for a trial stopped"),
        (("--x1", "6"), "x: expected the total responses among all 23 patients"),
        (("--x1", "6", "--x", "24"), "x: expected the total responses among all 23 patients"),
        (("--x1", "3", "--x", "7"), "x: expected the stage-1 count x1 = 3"),
        (("--x1", "4", "--stage", "2", "--x", "9"), "x1: expected 5 to n1 = 10 responses"),
        (("--x1", "2", "--n1", "30"), "n1: expected a whole number >= 1 and <= 23"),
        (("--x1", "2", "--r1", "10"), "r1: expected a whole number >= 0 and <= 9"),
        (("--x1", "2", "--p0", "1.5"), "p0: expected a number strictly between 0 and 1"),
        (("--x1", "2", "--confidence-level", "95"), "confidence_level: expected a number"),
        (("--x1", "two",), "'two' is not a valid integer"),
        (("--x1", "2", "--stage", "3"), "3 is not in the range 1<=x<=2"),
        ((), "Missing option '--x1'"),
    ],
)  # fmt: skip
def test_bad_flags_are_clean_usage_errors(args: tuple[str, ...], message: str) -> None:
    code, out = run(*args)
    assert code == 2
    assert message in " ".join(out.split())


def test_help_has_examples() -> None:
    code, out = run("--help")
    assert code == 0
    assert "Examples:" in out
    assert "inodli design infer --x1 6 --x 11" in out
