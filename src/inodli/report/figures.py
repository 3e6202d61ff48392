"""The report's figures, drawn on :class:`matplotlib.figure.Figure` objects (no pyplot state).

Kaplan-Meier and cumulative-incidence curves go through :mod:`inodli.stats.plotting` (censor
marks, number-at-risk rows); the swimmer plot, the waterfall and the flow diagram are drawn
here. Every function returns the figure; :func:`figure_to_png` / :func:`figure_to_svg` encode it.
Artists carry a ``gid`` ("lane", "waterfall bar", "consort box") that tests count.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Patch

from inodli.report._frames import DAYS_PER_MONTH
from inodli.report.baseline import ConsortCounts
from inodli.report.survival import CompetingRisksSummary, TimeToEventSummary
from inodli.stats.plotting import add_at_risk_table

__all__ = [
    "SWIMMER_MARKERS",
    "consort_figure",
    "cumulative_incidence_figure",
    "figure_to_png",
    "figure_to_svg",
    "km_figure",
    "swimmer_figure",
    "waterfall_figure",
]

GROUP_COLOURS = {"All": "#1f3b73", "DLI": "#c0392b", "No DLI": "#2e86c1"}
CAUSE_COLOURS = ("#c0392b", "#7d3c98", "#117a65")


def figure_to_png(figure: Figure, dpi: int = 150) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def figure_to_svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue()


def _month_ticks(last_day: float) -> np.ndarray:
    months = max(last_day / DAYS_PER_MONTH, 1.0)
    step = 3 if months <= 24 else 6
    return np.arange(0, months + step, step) * DAYS_PER_MONTH


def _format_month_axis(ax: object, ticks: np.ndarray) -> None:
    ax.set_xticks(ticks)  # type: ignore[attr-defined]
    ax.set_xticklabels([f"{t / DAYS_PER_MONTH:.0f}" for t in ticks])  # type: ignore[attr-defined]
    ax.set_xlim(0, ticks[-1])  # type: ignore[attr-defined]
    ax.set_xlabel("Months from first InO dose (Day 0)")  # type: ignore[attr-defined]


def km_figure(
    summaries: Mapping[str, TimeToEventSummary], title: str, *, ylabel: str = "Probability"
) -> Figure:
    """Kaplan-Meier curves (one per group) with censor marks and number-at-risk rows.

    The time axis is in months from Day 0 (days / 30.44); the at-risk rows are counted at
    the tick positions.
    """
    figure = Figure(figsize=(7.0, 4.8))
    ax = figure.add_subplot()
    last = max(float(s.fit.time[-1]) for s in summaries.values())
    ticks = _month_ticks(last)
    for group, summary in summaries.items():
        summary.fit.plot(
            ax, ci=len(summaries) == 1, label=f"{group} (n = {summary.n})",
            color=GROUP_COLOURS.get(group),
        )  # fmt: skip
    _format_month_axis(ax, ticks)
    ax.set_ylim(0, 1.02)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left", fontsize="medium")
    ax.legend(loc="upper right", frameon=False, fontsize="small")
    ax.grid(alpha=0.3)
    add_at_risk_table(ax, {g: s.fit for g, s in summaries.items()}, ticks)
    return figure


def cumulative_incidence_figure(summary: CompetingRisksSummary, title: str) -> Figure:
    """Cumulative incidence of each cause: overall (left) and DLI vs no DLI (right)."""
    by_group = any(len(curves) > 1 for curves in summary.curves.values())
    figure = Figure(figsize=(10.0 if by_group else 6.5, 4.8))
    panels = [figure.add_subplot(1, 2 if by_group else 1, i + 1) for i in range(1 + by_group)]
    last = max(float(c.table["time"].iloc[-1]) for v in summary.curves.values() for c in v.values())
    ticks = _month_ticks(last)
    for colour, (cause, curves) in zip(CAUSE_COLOURS, summary.curves.items(), strict=False):
        curves["All"].plot(panels[0], label=cause, color=colour)
        if by_group:
            for group, style in (("DLI", "-"), ("No DLI", "--")):
                if group in curves:
                    curves[group].plot(
                        panels[1], ci=False, label=f"{cause}, {group}", color=colour,
                        linestyle=style,
                    )  # fmt: skip
    first_cause = next(iter(summary.curves.values()))
    for ax, name in zip(panels, ("All patients", "DLI vs no DLI"), strict=False):
        _format_month_axis(ax, ticks)
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("Cumulative incidence")
        ax.set_title(f"{title}: {name}", loc="left", fontsize="medium")
        ax.legend(loc="upper left", frameon=False, fontsize="small")
        ax.grid(alpha=0.3)
    add_at_risk_table(panels[0], {"All": first_cause["All"]}, ticks)
    if by_group:
        groups = {g: c for g, c in first_cause.items() if g != "All"}
        add_at_risk_table(panels[1], groups, ticks)
    return figure


SWIMMER_MARKERS = {
    "DLI": ("D", "#c0392b", "DLI"),
    "INTRATHECAL": ("|", "#555555", "Intrathecal course"),
    "CR/CRi": ("*", "#1e8449", "First CR/CRi"),
    "RELAPSE": (">", "#d35400", "Relapse/progression"),
    "DEATH": ("X", "#000000", "Death"),
}
CYCLE_COLOURS = ("#aed6f1", "#5dade2", "#2e86c1", "#1b4f72")


def swimmer_figure(lanes: pd.DataFrame, events: pd.DataFrame) -> Figure:
    """One horizontal lane per patient: InO cycles as bars, then follow-up, with events.

    Parameters
    ----------
    lanes : DataFrame
        One row per treated subject: USUBJID, END (last day on study, from Day 0), DLIFL.
    events : DataFrame
        USUBJID, KIND (CYCLE, DLI, INTRATHECAL, CR/CRi, RELAPSE, DEATH), DAY (from Day 0),
        CYCLE (for KIND = CYCLE: the cycle number) and END (for CYCLE: the cycle's last day).
    """
    order = lanes.sort_values("END", ascending=True).reset_index(drop=True)
    height = max(3.0, 0.28 * len(order) + 1.6)
    figure = Figure(figsize=(8.0, height))
    ax = figure.add_subplot()
    y_of = {subject: i for i, subject in enumerate(order["USUBJID"])}
    for subject, end in zip(order["USUBJID"], order["END"], strict=True):
        bar = ax.barh(y_of[subject], end, left=0, height=0.6, color="#eeeeee", edgecolor="#999999")
        bar.patches[0].set_gid("lane")
    cycles = events[events["KIND"] == "CYCLE"]
    for subject, cycle, start, stop in zip(
        cycles["USUBJID"], cycles["CYCLE"].astype(float), cycles["DAY"].astype(float),
        cycles["END"].astype(float), strict=True,
    ):  # fmt: skip
        colour = CYCLE_COLOURS[(int(cycle) - 1) % len(CYCLE_COLOURS)]
        width = max(stop - start, 1.0)
        ax.barh(y_of[subject], width, left=start, height=0.6, color=colour, linewidth=0)
    for kind, (marker, colour, label) in SWIMMER_MARKERS.items():
        mine = events[(events["KIND"] == kind) & events["USUBJID"].isin(y_of)]
        if mine.empty:
            continue
        ax.plot(
            mine["DAY"].astype(float), mine["USUBJID"].map(y_of), linestyle="none",
            marker=marker, color=colour, markersize=7, label=label, gid=f"marker {kind}",
        )  # fmt: skip
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels(
        [f"{s}{' (DLI)' if str(d).upper() == 'Y' else ''}" for s, d in zip(order["USUBJID"], order["DLIFL"], strict=True)],
        fontsize="x-small",
    )  # fmt: skip
    last = float(order["END"].max()) if len(order) else DAYS_PER_MONTH
    _format_month_axis(ax, _month_ticks(last))
    handles, _labels = ax.get_legend_handles_labels()
    handles += [
        Patch(color=colour, label=f"InO cycle {i + 1}")
        for i, colour in enumerate(
            CYCLE_COLOURS[: int(cycles["CYCLE"].max()) if len(cycles) else 1]
        )
    ]
    ax.legend(handles=handles, loc="lower right", fontsize="x-small", frameon=True, ncol=2)
    ax.set_title("Treatment and outcome of each patient", loc="left", fontsize="medium")
    ax.grid(axis="x", alpha=0.3)
    return figure


def waterfall_figure(change: pd.DataFrame) -> Figure:
    """Best change of marrow blasts from baseline, one bar per patient, largest rise first.

    ``change``: USUBJID, PCHG (percent change of marrow blasts from baseline at the lowest
    post-baseline value, capped at +100) and BOR (best overall response, colours the bar).
    """
    data = change.sort_values("PCHG", ascending=False).reset_index(drop=True)
    figure = Figure(figsize=(7.5, 4.0))
    ax = figure.add_subplot()
    colours = {"CR": "#1e8449", "CRI": "#52be80", "MLFS": "#a9dfbf", "PR": "#f5b041"}
    for i, (pchg, bor) in enumerate(zip(data["PCHG"].astype(float), data["BOR"], strict=True)):
        colour = colours.get(str(bor).upper(), "#922b21")
        bar = ax.bar(i, pchg, color=colour, width=0.8)
        bar.patches[0].set_gid("waterfall bar")
    handles = [
        Patch(color=colour, label=name)
        for name, colour in [*colours.items(), ("Other/none", "#922b21")]
    ]
    ax.axhline(0, color="black", linewidth=0.8)
    ax.axhline(-50, color="#888888", linewidth=0.8, linestyle=":")
    ax.set_ylim(-105, 105)
    ax.set_xticks(range(len(data)))
    ax.set_xticklabels(data["USUBJID"], rotation=90, fontsize="x-small")
    ax.set_ylabel("Change in marrow blasts from baseline (%)")
    ax.set_title("Best change in marrow blasts (coloured by best response)", loc="left",
                 fontsize="medium")  # fmt: skip
    ax.legend(handles=handles, loc="upper right", fontsize="x-small", ncol=3, frameon=False)
    return figure


def consort_figure(counts: ConsortCounts) -> Figure:
    """CONSORT-style flow: enrolment, treatment, DLI split, follow-up and analysis boxes."""
    figure = Figure(figsize=(7.0, 6.0))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.axis("off")
    texts = dict(counts.boxes())
    layout = {
        "Enrolment": (5.0, 9.2),
        "Exclusion": (8.3, 8.0),
        "Allocation": (5.0, 6.8),
        "DLI": (2.8, 5.0),
        "No DLI": (7.2, 5.0),
        "Follow-up": (5.0, 3.1),
        "Analysis": (3.0, 1.0),
        "Not evaluable": (7.6, 1.0),
    }
    for name, (x, y) in layout.items():
        box = FancyBboxPatch(
            (x - 1.55, y - 0.55), 3.1, 1.1, boxstyle="round,pad=0.05",
            facecolor="#f4f6f7", edgecolor="#1f3b73",
        )  # fmt: skip
        box.set_gid("consort box")
        ax.add_patch(box)
        ax.text(x, y, texts[name], ha="center", va="center", fontsize=9)
    arrows = [
        ("Enrolment", "Allocation"), ("Allocation", "DLI"), ("Allocation", "No DLI"),
        ("DLI", "Follow-up"), ("No DLI", "Follow-up"), ("Follow-up", "Analysis"),
        ("Follow-up", "Not evaluable"),
    ]  # fmt: skip
    for start, end in arrows:
        (x0, y0), (x1, y1) = layout[start], layout[end]
        ax.annotate("", xy=(x1, y1 + 0.6), xytext=(x0, y0 - 0.6),
                    arrowprops={"arrowstyle": "->", "color": "#1f3b73"})  # fmt: skip
    x0, y0 = layout["Enrolment"]
    ax.annotate("", xy=(layout["Exclusion"][0] - 1.6, layout["Exclusion"][1]),
                xytext=(x0, y0 - 0.6 - (y0 - layout["Exclusion"][1] - 0.6) / 2),
                arrowprops={"arrowstyle": "->", "color": "#1f3b73"})  # fmt: skip
    return figure
