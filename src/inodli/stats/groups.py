"""Per-group estimates: one result per group label, in R's factor order."""

from __future__ import annotations

from typing import Any

from inodli.stats._kernels import merge_near_ties, split_by_code
from inodli.stats._validation import as_event, as_groups, as_time
from inodli.stats.kaplan_meier import KaplanMeierResult, RestrictedMean, kaplan_meier

__all__ = ["kaplan_meier_by_group", "restricted_means_by_group"]


def kaplan_meier_by_group(
    time: Any, event: Any, group: Any, **options: Any
) -> dict[Any, KaplanMeierResult]:
    """Kaplan-Meier curve of each group, like ``survfit(Surv(time, event) ~ group)``.

    Parameters
    ----------
    time, event
        As for :func:`inodli.stats.kaplan_meier.kaplan_meier`.
    group
        One label per subject; a single level is allowed.
    **options
        ``conf_level``, ``conf_type`` and ``timefix`` (applied to the pooled times before
        splitting, as R does), passed on.

    Returns
    -------
    dict
        Group label -> :class:`KaplanMeierResult`, labels sorted as R orders factor levels.

    Examples
    --------
    >>> fits = kaplan_meier_by_group([1, 2, 3, 4], [1, 0, 1, 1], ["a", "b", "a", "b"])
    >>> list(fits), fits["a"].survival.tolist()
    (['a', 'b'], [0.5, 0.0])
    """
    times = as_time(time)
    events = as_event(event, times.size)
    codes, labels = as_groups(group, times.size, min_levels=1)
    if options.pop("timefix", False):
        times = merge_near_ties(times)
    rows = split_by_code(codes, len(labels))
    return {
        label: kaplan_meier(times[index], events[index], **options)
        for label, index in zip(labels, rows, strict=True)
    }


def restricted_means_by_group(
    fits: dict[Any, KaplanMeierResult], tau: float | None = None
) -> dict[Any, RestrictedMean]:
    """Restricted mean survival of each group up to one common ``tau``.

    ``tau`` defaults to the largest observed time of all groups, which is what R's
    ``print(survfit(... ~ group))`` reports as rmean and se(rmean) (``rmean = "common"``);
    a single curve's :meth:`KaplanMeierResult.restricted_mean` defaults to its own last time.

    Examples
    --------
    >>> fits = kaplan_meier_by_group([1, 2, 3, 4], [1, 1, 1, 0], ["a", "a", "b", "b"])
    >>> {k: v.estimate for k, v in restricted_means_by_group(fits).items()}
    {'a': 1.5, 'b': 3.5}
    """
    limit = max(float(fit.time[-1]) for fit in fits.values()) if tau is None else tau
    return {label: fit.restricted_mean(limit) for label, fit in fits.items()}
