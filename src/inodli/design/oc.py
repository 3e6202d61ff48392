"""Operating characteristics of a monitored single-arm trial: exact and by simulation.

Every design in :mod:`inodli.design` becomes a :class:`MonitoringPlan`:

* response looks at cumulative sizes ``looks`` with futility bounds: stop (not promising) if
  responses <= ``futility[k]`` at ``looks[k]``; at the last look (``n_max``) the treatment is
  promising if responses > ``futility[-1]``;
* optional toxicity bounds, one per patient count: stop if events >= ``toxicity[n - 1]``
  among the first n patients (None: no check at n). A toxicity stop takes precedence over a
  futility look at the same patient count (safety first).

Response and toxicity are assumed independent within a patient (stated, not estimated).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

from inodli.design._validation import check_count, check_probability
from inodli.design.bayes import StoppingBoundary
from inodli.design.simon import SimonDesign
from inodli.design.single_stage import SingleStageDesign
from inodli.errors import InputError

__all__ = [
    "MonitoringPlan",
    "OperatingCharacteristics",
    "exact_operating_characteristics",
    "operating_characteristics",
    "simulate_operating_characteristics",
]

_CHUNK = 250_000


@dataclass(frozen=True)
class MonitoringPlan:
    """Looks, futility bounds and optional toxicity bounds of a single-arm trial."""

    name: str
    looks: tuple[int, ...]
    futility: tuple[int, ...]
    toxicity: tuple[int | None, ...] | None = None

    def __post_init__(self) -> None:
        if not self.looks or len(self.looks) != len(self.futility):
            raise InputError("looks", "one futility bound per look (at least one look)", self.looks)
        if any(b <= a for a, b in zip(self.looks, self.looks[1:])) or self.looks[0] < 1:
            raise InputError("looks", "strictly increasing patient counts >= 1", self.looks)
        if self.toxicity is not None and len(self.toxicity) != self.n_max:
            raise InputError(
                "toxicity", f"{self.n_max} bounds (one per patient)", len(self.toxicity)
            )

    @property
    def n_max(self) -> int:
        return self.looks[-1]

    @classmethod
    def from_simon(cls, design: SimonDesign) -> MonitoringPlan:
        return cls(
            f"Simon {design.r1}/{design.n1}, {design.r}/{design.n}",
            (design.n1, design.n),
            (design.r1, design.r),
        )

    @classmethod
    def from_single_stage(cls, design: SingleStageDesign) -> MonitoringPlan:
        return cls(f"single stage {design.r + 1}/{design.n}", (design.n,), (design.r,))

    def with_toxicity(self, boundary: StoppingBoundary) -> MonitoringPlan:
        """This plan plus a toxicity boundary (checked where the boundary has a size)."""
        bounds: list[int | None] = [None] * self.n_max
        for size, bound in zip(boundary.n, boundary.bound):
            if size <= self.n_max:
                bounds[size - 1] = bound
        if self.toxicity is not None:  # two monitored events: either one stops the trial
            raise InputError("toxicity", "one toxicity boundary per plan", "a second one")
        return MonitoringPlan(
            self.name + f" + {boundary.name} monitoring", self.looks, self.futility, tuple(bounds)
        )


@dataclass(frozen=True)
class OperatingCharacteristics:
    """Probabilities of each way the trial can end, and the expected number of patients."""

    response_rate: float
    toxicity_rate: float
    early_futility: float
    toxicity_stop: float
    promising: float
    not_promising_at_end: float
    expected_n: float
    method: str
    n_trials: int | None = None

    def __repr__(self) -> str:
        return (
            f"OC(p_resp = {self.response_rate:.2f}, p_tox = {self.toxicity_rate:.2f}: "
            f"promising {self.promising:.4f}, early futility {self.early_futility:.4f}, "
            f"toxicity stop {self.toxicity_stop:.4f}, E[N] = {self.expected_n:.2f}; {self.method})"
        )


def exact_operating_characteristics(
    plan: MonitoringPlan, response_rate: float, toxicity_rate: float = 0.0
) -> OperatingCharacteristics:
    """Exact probabilities by enumerating the response and toxicity counts look by look.

    Parameters
    ----------
    plan : MonitoringPlan
        Looks, futility bounds and optional toxicity bounds.
    response_rate, toxicity_rate : float
        True per-patient probabilities (independent within a patient).

    Returns
    -------
    OperatingCharacteristics
        P(early futility stop), P(toxicity stop), P(promising), P(not promising at the end)
        (these four sum to 1) and the expected number of patients enrolled.

    Notes
    -----
    The response count is propagated look to look (binomial convolution, mass below a
    futility bound removed); the toxicity count patient by patient (first passage over the
    boundary). With independence, the trial stops at the earlier of the two; a toxicity stop
    wins a tie. Without toxicity monitoring this reduces to Simon (1989), equation (1).

    References
    ----------
    .. [1] Simon R. Controlled Clinical Trials 1989;10:1-10.
    .. [2] Thall PF, Simon RM, Estey EH. Statistics in Medicine 1995;14:357-379
       (monitoring several outcomes in one single-arm trial).

    Examples
    --------
    >>> plan = MonitoringPlan("Simon", (10, 23), (4, 10))
    >>> round(exact_operating_characteristics(plan, 0.3).early_futility, 4)
    0.8497
    """
    p = check_probability(response_rate, "response_rate")
    q = check_probability(toxicity_rate, "toxicity_rate")
    n_max = plan.n_max
    # Response: probability of a futility stop at each look, and of passing the final look.
    counts = np.zeros(n_max + 1)
    counts[0] = 1.0
    previous = 0
    stop_at_look = np.zeros(len(plan.looks))
    for k, (look, bound) in enumerate(zip(plan.looks, plan.futility)):
        counts = _add_patients(counts, look - previous, p)
        previous = look
        stop_at_look[k] = counts[: bound + 1].sum() if bound >= 0 else 0.0
        if bound >= 0:
            counts[: bound + 1] = 0.0
    promising_response = counts.sum()  # what survives the final look
    # Toxicity: probability that the boundary is first crossed at patient n.
    tox_stop_at = _toxicity_first_crossing(plan, q)
    tox_alive = 1.0 - np.concatenate([[0.0], np.cumsum(tox_stop_at)])  # index n: none by n
    looks = np.array(plan.looks)
    interim = len(plan.looks) - 1
    early_futility = float(np.sum(stop_at_look[:interim] * tox_alive[looks[:interim]]))
    futility_before = np.array(
        [stop_at_look[:interim][looks[:interim] < n].sum() for n in range(1, n_max + 1)]
    )
    toxicity_stop = float(np.sum(tox_stop_at * (1.0 - futility_before)))
    promising = float(promising_response * tox_alive[n_max])
    end_failure = float(stop_at_look[interim] * tox_alive[n_max])
    expected_n = float(np.sum(tox_alive[:n_max] * (1.0 - futility_before)))
    return OperatingCharacteristics(
        p, q, early_futility, toxicity_stop, promising, end_failure, expected_n, "exact"
    )


def simulate_operating_characteristics(
    plan: MonitoringPlan,
    response_rate: float,
    toxicity_rate: float = 0.0,
    n_trials: int = 100_000,
    seed: int = 20261124,
) -> OperatingCharacteristics:
    """The same quantities estimated from ``n_trials`` simulated trials (numpy Generator).

    Parameters
    ----------
    plan : MonitoringPlan
    response_rate, toxicity_rate : float
        True per-patient probabilities (independent within a patient).
    n_trials : int, default 100000
    seed : int, default 20261124
        Seed of ``numpy.random.default_rng``; the same seed gives the same result.

    Returns
    -------
    OperatingCharacteristics
        Proportions of simulated trials; the Monte-Carlo standard error of a probability P
        is sqrt(P (1 - P) / n_trials).

    Notes
    -----
    Vectorised over trials in chunks of 250,000: response counts are drawn per look segment
    (binomial), toxicity per patient (uniform < rate) when a toxicity boundary exists.
    """
    p = check_probability(response_rate, "response_rate")
    q = check_probability(toxicity_rate, "toxicity_rate")
    n_trials = check_count(n_trials, "n_trials", minimum=1)
    rng = np.random.default_rng(seed)
    totals = np.zeros(4)  # early futility, toxicity stop, promising, enrolled
    done = 0
    while done < n_trials:
        size = min(_CHUNK, n_trials - done)
        totals += _simulate_chunk(plan, p, q, size, rng)
        done += size
    early, tox, promising, enrolled = totals / n_trials
    return OperatingCharacteristics(
        p,
        q,
        float(early),
        float(tox),
        float(promising),
        float(1 - early - tox - promising),
        float(enrolled),
        "simulation",
        n_trials,
    )


def operating_characteristics(
    plan: MonitoringPlan,
    scenarios: Iterable[tuple[float, float]],
    method: str = "exact",
    n_trials: int = 100_000,
    seed: int = 20261124,
) -> tuple[OperatingCharacteristics, ...]:
    """Operating characteristics over scenarios of (true response rate, true toxicity rate)."""
    if method not in ("exact", "simulation"):
        raise InputError("method", "'exact' or 'simulation'", method)
    out = []
    for response, toxicity in scenarios:
        if method == "exact":
            out.append(exact_operating_characteristics(plan, response, toxicity))
        else:
            out.append(simulate_operating_characteristics(plan, response, toxicity, n_trials, seed))
    return tuple(out)


def _add_patients(counts: npt.NDArray[np.float64], extra: int, p: float) -> npt.NDArray[np.float64]:
    if extra == 0:
        return counts
    step = stats.binom.pmf(np.arange(extra + 1), extra, p)
    return np.convolve(counts, step)[: counts.size]


def _toxicity_first_crossing(plan: MonitoringPlan, q: float) -> npt.NDArray[np.float64]:
    stop = np.zeros(plan.n_max)
    if plan.toxicity is None:
        return stop
    events = np.zeros(plan.n_max + 1)
    events[0] = 1.0
    for index, bound in enumerate(plan.toxicity):
        events = _add_patients(events, 1, q)
        if bound is not None:
            stop[index] = events[bound:].sum()
            events[bound:] = 0.0
    return stop


def _simulate_chunk(
    plan: MonitoringPlan, p: float, q: float, size: int, rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    n_max = plan.n_max
    looks = np.array(plan.looks)
    segments = np.diff(np.concatenate([[0], looks]))
    responses = np.cumsum(rng.binomial(segments, p, size=(size, looks.size)), axis=1)
    futile = responses <= np.array(plan.futility)
    interim = looks.size - 1
    never = n_max + 1
    fut_any = futile[:, :interim].any(axis=1) if interim else np.zeros(size, dtype=bool)
    fut_first = np.where(
        fut_any, looks[np.argmax(futile[:, :interim], axis=1)] if interim else never, never
    )
    if plan.toxicity is not None and q > 0:
        # Small integer types keep the (trials x patients) pass cheap: counts never exceed n_max.
        dtype = np.int8 if n_max < 127 else np.int16
        cap = np.iinfo(dtype).max
        bounds = np.array([cap if b is None else min(b, cap) for b in plan.toxicity], dtype=dtype)
        hits = rng.random((size, n_max), dtype=np.float32) < np.float32(q)
        crossed = np.greater_equal(np.cumsum(hits, axis=1, dtype=dtype), bounds)
        tox_any = crossed.any(axis=1)
        tox_first = np.where(tox_any, np.argmax(crossed, axis=1) + 1, never)
    else:
        tox_first = np.full(size, never)
    tox_stop = tox_first <= np.minimum(fut_first, n_max)
    fut_stop = ~tox_stop & (fut_first <= n_max)
    finished = ~tox_stop & ~fut_stop
    promising = finished & ~futile[:, interim]
    enrolled = np.where(tox_stop, tox_first, np.where(fut_stop, fut_first, n_max))
    return np.array(
        [fut_stop.sum(), tox_stop.sum(), promising.sum(), enrolled.sum()], dtype=np.float64
    )


def scenario_grid(
    response_rates: Sequence[float], toxicity_rates: Sequence[float]
) -> list[tuple[float, float]]:
    """All (response, toxicity) combinations, response varying fastest within toxicity."""
    return [(r, t) for t in toxicity_rates for r in response_rates]
