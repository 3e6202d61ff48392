"""Simon's two-stage designs: optimal, minimax and admissible (Jung et al. 2004).

The designs are those R clinfun's ``ph2simon`` and ``twostage.admissible`` return (same
search, same ties); :mod:`inodli.design._simon_search` finds them with pruned, vectorised
numpy in milliseconds. ``bench/bench_design.py`` times it against a plain search.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np

from inodli.design._binomial import cdf_table, pmf_table, survival_table
from inodli.design._simon_search import Row, Search
from inodli.design._validation import check_count, check_open_probability, check_ordered_rates
from inodli.errors import InputError

__all__ = [
    "SimonDesign",
    "SimonResult",
    "simon_design_for_n",
    "simon_operating_characteristics",
    "simon_two_stage",
]


@dataclass(frozen=True)
class SimonDesign:
    """One Simon two-stage design and its operating characteristics.

    Stop after the first ``n1`` patients if ``r1`` or fewer respond; otherwise treat ``n - n1``
    more and call the treatment promising if more than ``r`` of all ``n`` respond.
    """

    kind: str
    r1: int
    n1: int
    r: int
    n: int
    p0: float
    p1: float
    expected_n0: float
    pet0: float
    alpha: float
    power: float
    q_range: tuple[float, float] | None = None

    # Aliases under the names of issue 4 ("EN(p0)", "PET(p0)") and of the reference CSV
    # columns (EN0, PET0), so that either spelling reads the same attribute.
    @property
    def en_p0(self) -> float:
        """Expected sample size under p0 (alias of ``expected_n0``)."""
        return self.expected_n0

    @property
    def EN0(self) -> float:
        """Expected sample size under p0 (alias of ``expected_n0``)."""
        return self.expected_n0

    @property
    def pet_p0(self) -> float:
        """Probability of early termination under p0 (alias of ``pet0``)."""
        return self.pet0

    @property
    def PET0(self) -> float:
        """Probability of early termination under p0 (alias of ``pet0``)."""
        return self.pet0

    def __repr__(self) -> str:
        return (
            f"SimonDesign({self.kind}: r1/n1 = {self.r1}/{self.n1}, r/n = {self.r}/{self.n}, "
            f"EN(p0) = {self.expected_n0:.2f}, PET(p0) = {self.pet0:.3f}, "
            f"alpha = {self.alpha:.4f}, power = {self.power:.4f})"
        )

    def rule_in_words(self) -> list[str]:
        """The design as sentences a clinician can read, one rule per line."""
        n2 = self.n - self.n1
        return [
            f"Stage 1: treat {self.n1} patients.",
            f"If {self.r1} or fewer of them respond, stop: the treatment is not promising.",
            f"Otherwise treat {n2} more patients ({self.n} in total).",
            f"If more than {self.r} of all {self.n} respond (at least {self.r + 1}), "
            "the treatment is promising.",
            f"If the true response rate were only {self.p0:.0%}, the trial would stop early "
            f"{self.pet0:.0%} of the time, enrol {self.expected_n0:.1f} patients on average, "
            f"and wrongly call the treatment promising {self.alpha:.1%} of the time.",
            f"If the true response rate were {self.p1:.0%}, it would correctly call the "
            f"treatment promising {self.power:.1%} of the time.",
        ]


@dataclass(frozen=True)
class SimonResult:
    """The designs found by :func:`simon_two_stage`.

    ``admissible`` lists minimax first and optimal last, as R clinfun's ``twostage.admissible``;
    ``candidates`` holds the best design for every total size that is not dominated by a
    smaller one (smaller n and no larger EN(p0)).
    """

    p0: float
    p1: float
    alpha: float
    power: float
    nmax: int
    minimax: SimonDesign
    optimal: SimonDesign
    admissible: tuple[SimonDesign, ...]
    candidates: tuple[SimonDesign, ...]

    def __repr__(self) -> str:
        lines = [
            f"SimonResult(p0 = {self.p0}, p1 = {self.p1}, alpha = {self.alpha}, "
            f"power = {self.power}, nmax = {self.nmax})"
        ]
        lines += [f"  {design!r}" for design in self.admissible]
        return "\n".join(lines)


def simon_operating_characteristics(
    r1: int, n1: int, r: int, n: int, p: float
) -> tuple[float, float, float]:
    """Probability of declaring promising, of early termination, and expected size at rate p.

    Parameters
    ----------
    r1, n1, r, n : int
        The design: stop if <= r1 responses among the first n1; promising if > r among n.
    p : float
        True response rate.

    Returns
    -------
    reject, pet, expected_n : float
        P(total > r and stage-1 > r1), P(stage-1 <= r1), n1 + (1 - pet) (n - n1).

    References
    ----------
    .. [1] Simon R. Optimal two-stage designs for phase II clinical trials. Controlled
       Clinical Trials 1989;10:1-10, equation (1).
    """
    n = check_count(n, "n", minimum=2)
    n1 = check_count(n1, "n1", minimum=1, maximum=n - 1)
    r1 = check_count(r1, "r1", minimum=0, maximum=n1)
    r = check_count(r, "r", minimum=0, maximum=n)
    p = check_open_probability(p, "p")
    n2 = n - n1
    pmf = pmf_table(p, n)
    survival = survival_table(p, n, n)
    x1 = np.arange(r1 + 1, n1 + 1)
    reject = float(np.sum(pmf[n1, x1] * survival[n2, r - x1 + n]))
    pet = float(cdf_table(p, n)[n1, r1])
    return reject, pet, n1 + (1.0 - pet) * n2


def simon_two_stage(
    p0: float, p1: float, alpha: float = 0.05, power: float = 0.80, nmax: int = 100
) -> SimonResult:
    """Simon's optimal and minimax two-stage designs and the admissible designs between them.

    Parameters
    ----------
    p0 : float
        Response rate not worth pursuing (null hypothesis), in (0, 1).
    p1 : float
        Response rate worth pursuing (alternative), in (p0, 1).
    alpha : float, default 0.05
        Upper bound (strict) on P(declare promising | p0).
    power : float, default 0.80
        Lower bound (strict on beta = 1 - power) on P(declare promising | p1).
    nmax : int, default 100
        Largest total sample size searched (at most 1000, as clinfun).

    Returns
    -------
    SimonResult
        ``minimax`` (smallest n, then smallest EN(p0)), ``optimal`` (smallest EN(p0)),
        ``admissible`` (Jung et al. 2004: designs minimising q n + (1 - q) EN(p0) for some
        q in [0, 1], with that q range) and ``candidates``.

    Raises
    ------
    InputError
        Bad rates, error bounds or nmax, or no design with n <= nmax.

    Notes
    -----
    Same search and tie-breaking as R clinfun ``ph2simon`` (Fortran ``f2bdry``) and
    ``twostage.admissible``; stage 1 stops if responses <= r1 and the treatment is promising
    if total responses > r.

    References
    ----------
    .. [1] Simon R. Optimal two-stage designs for phase II clinical trials. Controlled
       Clinical Trials 1989;10:1-10 (Tables 1-2).
    .. [2] Jung SH, Lee T, Kim K, George SL. Admissible two-stage designs for phase II cancer
       clinical trials. Statistics in Medicine 2004;23:561-569.

    Examples
    --------
    >>> result = simon_two_stage(0.05, 0.2, alpha=0.1, power=0.9)
    >>> (result.optimal.r1, result.optimal.n1, result.optimal.r, result.optimal.n)
    (0, 12, 3, 37)
    >>> (result.minimax.r1, result.minimax.n1, result.minimax.r, result.minimax.n)
    (0, 18, 3, 32)
    """
    p0, p1 = check_ordered_rates(p0, p1)
    alpha = check_open_probability(alpha, "alpha")
    power = check_open_probability(power, "power")
    nmax = check_count(nmax, "nmax", minimum=2, maximum=1000)
    search = Search(p0, p1, alpha, 1.0 - power, nmax)
    rows = search.rows()
    designs = [_design(search, row) for row in rows]
    admissible = _admissible(designs)
    return SimonResult(
        p0=p0,
        p1=p1,
        alpha=alpha,
        power=power,
        nmax=nmax,
        minimax=admissible[0],
        optimal=admissible[-1],
        admissible=tuple(admissible),
        candidates=tuple(designs),
    )


def simon_design_for_n(
    n: int, p0: float, p1: float, alpha: float = 0.05, power: float = 0.80
) -> SimonDesign:
    """The two-stage design with exactly ``n`` patients that clinfun's search keeps for n.

    Among all (n1, r1, r) meeting alpha and power (strict bounds), the smallest EN(p0);
    ties go to the smaller n1. Useful when the total size is fixed in advance, as here.

    Raises
    ------
    InputError
        If no two-stage design with n patients meets both bounds.

    References
    ----------
    .. [1] Simon R. Controlled Clinical Trials 1989;10:1-10.

    Examples
    --------
    >>> d = simon_design_for_n(23, 0.30, 0.60)
    >>> (d.r1, d.n1, d.r, d.n)
    (4, 10, 10, 23)
    """
    p0, p1 = check_ordered_rates(p0, p1)
    alpha = check_open_probability(alpha, "alpha")
    power = check_open_probability(power, "power")
    n = check_count(n, "n", minimum=2, maximum=1000)
    search = Search(p0, p1, alpha, 1.0 - power, n)
    n1 = np.arange(1, n, dtype=np.int64)
    rows = search._best_rows(n1, n - n1, np.full(n1.size, float(n)))
    if not rows:
        raise InputError(
            "n", "a total size at which some two-stage design meets alpha and power", n
        )
    return replace(_design(search, rows[0]), kind=f"best at n = {n}")


def _admissible(rows: list[SimonDesign]) -> list[SimonDesign]:
    """Designs on the lower convex hull of (n, EN) from minimax to optimal (clinfun's walk)."""
    ens = np.array([row.expected_n0 for row in rows])
    sizes = np.array([row.n for row in rows], dtype=float)
    optimal = int(np.argmin(ens))
    chosen = [0]
    start = 0
    while start < optimal:
        slopes = (ens[start + 1 : optimal + 1] - ens[start]) / (
            sizes[start + 1 : optimal + 1] - sizes[start]
        )
        start = start + 1 + int(np.argmin(slopes))
        chosen.append(start)
    picked = [rows[i] for i in chosen]
    # Weight q on n (1 - q on EN) at which consecutive hull designs tie.
    q_cuts = [
        (b.expected_n0 - a.expected_n0) / ((b.expected_n0 - a.expected_n0) - (b.n - a.n))
        for a, b in itertools.pairwise(picked)
    ]
    uppers = [1.0, *q_cuts]
    lowers = [*q_cuts, 0.0]
    out = []
    for index, (design, low, high) in enumerate(zip(picked, lowers, uppers)):
        if index == 0:
            kind = "minimax"
        elif index == len(picked) - 1:
            kind = "optimal"
        else:
            kind = "admissible"
        out.append(_with(design, kind, (low, high)))
    if len(out) == 1:
        out = [_with(out[0], "minimax", (0.0, 1.0)), _with(out[0], "optimal", (0.0, 1.0))]
    return out


def _with(design: SimonDesign, kind: str, q_range: tuple[float, float]) -> SimonDesign:
    return replace(design, kind=kind, q_range=q_range)


def _design(search: Search, row: Row) -> SimonDesign:
    reject0, _, _ = simon_operating_characteristics(row.r1, row.n1, row.r, row.n, search.p0)
    reject1, _, _ = simon_operating_characteristics(row.r1, row.n1, row.r, row.n, search.p1)
    return SimonDesign(
        kind="candidate",
        r1=row.r1,
        n1=row.n1,
        r=row.r,
        n=row.n,
        p0=search.p0,
        p1=search.p1,
        expected_n0=row.expected_n0,
        pet0=row.pet0,
        alpha=reject0,
        power=reject1,
    )
