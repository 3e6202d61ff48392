"""Step-curve plots (survival, cumulative incidence) and the number-at-risk table beneath.

matplotlib is imported inside the functions so that ``import inodli.stats`` stays fast and
works without a display. Artists carry a ``gid`` ("estimate", "confidence band",
"censor marks", "at risk") so that reports and tests can find them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from inodli.errors import InputError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.text import Text

__all__ = ["HasAtRisk", "add_at_risk_table", "plot_step_curve"]


class HasAtRisk(Protocol):
    """Any result that can count the subjects at risk at given times."""

    def at_risk(self, times: Any) -> npt.NDArray[np.int64]: ...


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new_ax = plt.subplots()
    return new_ax


def plot_step_curve(
    ax: Axes | None,
    time: Any,
    estimate: Any,
    lower: Any = None,
    upper: Any = None,
    censor_times: Any = None,
    censor_values: Any = None,
    label: str | None = None,
    *,
    start_value: float | None = None,
    color: Any = None,
    band_alpha: float = 0.2,
    censor_marker: str = "+",
    **step_kwargs: Any,
) -> Axes:
    """Draw a right-continuous step curve with an optional CI band and censoring marks.

    Parameters
    ----------
    ax
        Axes to draw on; a new figure's axes when None.
    time, estimate
        Jump times and the curve's value from each time on.
    lower, upper
        Pointwise confidence limits at the same times (drawn as a shaded band; NaN = gap).
    censor_times, censor_values
        Where to put censoring marks (usually the curve's value at censoring times).
    label
        Legend label of the curve.
    start_value
        Value at time 0 before the first jump (1 for survival, 0 for cumulative incidence);
        None starts the curve at the first time.
    color, band_alpha, censor_marker, **step_kwargs
        Styling; ``step_kwargs`` go to :meth:`matplotlib.axes.Axes.step`.

    Returns
    -------
    matplotlib.axes.Axes
    """
    axes = _axes(ax)
    x = np.asarray(time, dtype=float)
    y = np.asarray(estimate, dtype=float)
    if x.shape != y.shape:
        raise InputError("estimate", f"{x.size} values, one per time", f"{y.size} values")
    if start_value is not None:
        x = np.concatenate(([0.0], x))
        y = np.concatenate(([start_value], y))
    (line,) = axes.step(x, y, where="post", label=label, color=color, **step_kwargs)
    line.set_gid("estimate")
    if lower is not None and upper is not None:
        low = np.asarray(lower, dtype=float)
        high = np.asarray(upper, dtype=float)
        if start_value is not None:
            low = np.concatenate(([start_value], low))
            high = np.concatenate(([start_value], high))
        band = axes.fill_between(
            x, low, high, step="post", alpha=band_alpha, color=line.get_color(), linewidth=0
        )
        band.set_gid("confidence band")
    if censor_times is not None and len(censor_times):
        (marks,) = axes.plot(
            censor_times,
            censor_values,
            linestyle="none",
            marker=censor_marker,
            color=line.get_color(),
        )
        marks.set_gid("censor marks")
    return axes


def add_at_risk_table(
    ax: Axes,
    results: Mapping[Any, HasAtRisk] | Sequence[HasAtRisk],
    times: Any,
    labels: Sequence[str] | None = None,
    *,
    title: str = "Number at risk",
    row_height: float = 0.07,
    fontsize: float | str = "small",
    adjust_layout: bool = True,
) -> dict[str, list[Text]]:
    """Write number-at-risk rows beneath ``ax``, one row per result, one column per time.

    Parameters
    ----------
    ax
        The axes holding the curves; the numbers are aligned with its x axis.
    results
        Results with an ``at_risk(times)`` method (Kaplan-Meier, cumulative incidence): a
        mapping label -> result, or a sequence (then give ``labels``).
    times
        Times at which to count (often the x tick positions).
    labels
        Row labels; default: the mapping's keys, or "1", "2", ...
    title, row_height, fontsize
        Table title, row spacing (fraction of the axes height) and text size.
    adjust_layout
        Enlarge the figure's bottom margin so the rows are visible.

    Returns
    -------
    dict
        Row label -> the Text artists of that row (one per time).
    """
    from matplotlib.transforms import blended_transform_factory

    items = list(results.items()) if isinstance(results, Mapping) else list(enumerate(results, 1))
    names = [str(key) for key, _ in items] if labels is None else [str(n) for n in labels]
    if len(names) != len(items):
        raise InputError("labels", f"{len(items)} labels, one per result", f"{len(names)}")
    points = np.asarray(times, dtype=float)
    blend = blended_transform_factory(ax.transData, ax.transAxes)
    top = -0.16
    heading = ax.text(
        -0.05, top, title, transform=ax.transAxes, ha="right", va="top", fontsize=fontsize
    )
    heading.set_gid("at risk")
    rows: dict[str, list[Text]] = {}
    for i, (name, (_, result)) in enumerate(zip(names, items, strict=True)):
        y = top - row_height * (i + 1)
        counts = np.asarray(result.at_risk(points))
        label = ax.text(
            -0.05, y, name, transform=ax.transAxes, ha="right", va="top", fontsize=fontsize
        )
        label.set_gid("at risk")
        cells = []
        for t, count in zip(points, counts, strict=True):
            text = ax.text(
                t, y, str(int(count)), transform=blend, ha="center", va="top", fontsize=fontsize
            )
            text.set_gid("at risk")
            text.set_clip_on(False)
            cells.append(text)
        rows[name] = cells
    if adjust_layout:
        figure = ax.get_figure()
        assert figure is not None
        bottom = min(0.6, 0.12 + 0.6 * row_height * (len(items) + 2))
        widest = max(len(title), *(len(n) for n in names))
        left = min(0.45, 0.06 + 0.011 * widest)
        params = figure.subplotpars
        figure.subplots_adjust(bottom=max(bottom, params.bottom), left=max(left, params.left))
    return rows
