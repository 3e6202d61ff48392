"""Plots: the artists exist and the at-risk numbers equal R's n.risk.

Expected at-risk numbers: tests/data/aml.json ``at_times_by_x_log.n_risk``, R 4.2.2
``summary(survfit(Surv(time, status) ~ x, aml), times = c(10, 20, 30, 40, 50), extend = TRUE)``.
"""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from inodli.errors import InputError
from inodli.stats.groups import kaplan_meier_by_group
from inodli.stats.kaplan_meier import kaplan_meier
from inodli.stats.plotting import add_at_risk_table, plot_step_curve
from tests.stats._reference import frame, reference


@pytest.fixture(autouse=True)
def _close_figures() -> None:
    yield
    plt.close("all")


def artists(ax: plt.Axes, gid: str) -> list:
    return [a for a in ax.get_children() if a.get_gid() == gid]


def test_a_km_plot_has_steps_band_and_censor_marks() -> None:
    data = frame("aml.csv")
    fit = kaplan_meier(data["time"], data["status"], conf_type="log")
    ax = fit.plot(label="all")
    (line,) = artists(ax, "estimate")
    x, y = line.get_data()
    assert x[0] == 0.0
    assert y[0] == 1.0
    np.testing.assert_array_equal(y[1:], fit.survival)
    assert line.get_drawstyle() == "steps-post"
    assert len(artists(ax, "confidence band")) == 1
    (marks,) = artists(ax, "censor marks")
    np.testing.assert_array_equal(marks.get_xdata(), fit.time[fit.n_censor > 0])
    ax.figure.canvas.draw()


def test_the_band_and_marks_are_optional() -> None:
    fit = kaplan_meier([1, 2, 3], [1, 0, 1])
    ax = fit.plot(ci=False, censor_marks=False)
    assert artists(ax, "confidence band") == []
    assert artists(ax, "censor marks") == []


def test_the_at_risk_table_prints_r_numbers_at_risk() -> None:
    data = frame("aml.csv")
    want = reference("aml")["at_times_by_x_log"]
    fits = kaplan_meier_by_group(data["time"], data["status"], data["x"], conf_type="log")
    fig, ax = plt.subplots()
    for label, fit in fits.items():
        fit.plot(ax, label=label)
    times = [10, 20, 30, 40, 50]
    rows = add_at_risk_table(ax, fits, times)
    assert list(rows) == ["Maintained", "Nonmaintained"]
    printed = [int(text.get_text()) for label in rows for text in rows[label]]
    assert printed == want["n_risk"]
    assert [text.get_position()[0] for text in rows["Maintained"]] == times
    fig.canvas.draw()
    assert fig.subplotpars.bottom > 0.2


def test_the_at_risk_table_takes_a_sequence_with_labels() -> None:
    fits = [kaplan_meier([1, 2, 3], [1, 1, 1]), kaplan_meier([2, 4], [1, 0])]
    _, ax = plt.subplots()
    rows = add_at_risk_table(ax, fits, [0, 2, 3], labels=["A", "B"], adjust_layout=False)
    assert [[t.get_text() for t in row] for row in rows.values()] == [
        ["3", "2", "1"],
        ["2", "2", "1"],
    ]
    with pytest.raises(InputError):
        add_at_risk_table(ax, fits, [0], labels=["A"])


def test_plot_step_curve_works_for_an_increasing_curve() -> None:
    ax = plot_step_curve(None, [1, 2], [0.1, 0.3], [0.0, 0.1], [0.2, 0.5], start_value=0.0)
    (line,) = artists(ax, "estimate")
    assert line.get_ydata().tolist() == [0.0, 0.1, 0.3]
    with pytest.raises(InputError):
        plot_step_curve(ax, [1, 2], [0.1])


def test_importing_stats_modules_does_not_import_matplotlib() -> None:
    code = (
        "import sys, inodli.stats.kaplan_meier, inodli.stats.plotting, inodli.stats.logrank;"
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
