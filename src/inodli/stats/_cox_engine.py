"""The numerical core of :func:`inodli.stats.cox_ph`: one sort, then vectorised risk-set sums.

Rows are sorted once by (stratum, time, censored-after-events). Each iteration then needs
only O(n p^2) array passes: the risk-weighted sums of 1, x and x x' over every run of equal
(stratum, time, status) (``np.add.reduceat``), suffix sums of those over the distinct times of
a stratum, and a few vectors as long as the number of events for Efron's correction. No
Python loop runs over times or subjects.

Newton-Raphson follows R's ``coxph`` (survival 3.5, ``coxfit6``) step for step so that the
same iterate is reported: start at 0, covariates centred and scaled by their mean absolute
deviation, convergence when ``|1 - loglik_best / loglik_new| <= eps``, and step halving with
growing weight on the last good point when the log-likelihood falls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# R's coxph.control defaults: toler.chol = .Machine$double.eps^0.75, toler.inf = sqrt(eps).
CHOLESKY_TOLERANCE = float(np.finfo(np.float64).eps ** 0.75)
TIMEFIX_TOLERANCE = float(np.sqrt(np.finfo(np.float64).eps))


def _distinct_after_timefix(
    sorted_time: FloatArray, tolerance: float = TIMEFIX_TOLERANCE
) -> npt.NDArray[np.bool_]:
    """Whether each sorted time (after the first) starts a new distinct time.

    Times closer than ``tolerance`` (absolute, or relative to the mean of the distinct
    times) to the previous distinct time are tied: R's ``timefix = TRUE`` (``aeqSurv``), so
    that floating-point noise such as 0.1 * 3 vs 0.3 cannot split a tie. A chain of small
    gaps merges into its first time, as ``aeqSurv`` maps each time to the last cut below it.
    """
    gaps = np.diff(sorted_time)
    differs = gaps > 0
    distinct_values = np.concatenate((sorted_time[:1], sorted_time[1:][differs]))
    mean_abs = float(np.abs(distinct_values).mean())
    relative = gaps / mean_abs if mean_abs > 0 else np.full_like(gaps, np.inf)
    return differs & (gaps > tolerance) & (relative > tolerance)


@dataclass(frozen=True)
class SortedCox:
    """Covariates and the tie structure of one data set, sorted once, ready for iterations.

    ``code`` sorts rows: ``((stratum * n_times + time_rank) << 1) | censored``. A *run* is a
    maximal set of rows with the same code (the events, or the censorings, at one time of
    one stratum); a *block* is all rows of one time within one stratum.
    """

    order: IntArray  # the permutation that sorts the input rows
    code: IntArray  # sorted codes (see above)
    codes_per_stratum: int  # 2 * distinct times: code = stratum * this + 2 * time_rank + censored
    xt: FloatArray  # (p, n) covariates, sorted, centred and scaled (one row per column)
    work: FloatArray  # (1 + p + p(p+1)/2, n) scratch rows reused by every evaluation
    efron_work: FloatArray  # (5, events) scratch rows for Efron's per-event terms
    means: FloatArray  # (p,) column means (original units)
    scale: FloatArray  # (p,) multiplier applied after centring (coxph's scaling)
    run_starts: IntArray
    block_of_run: IntArray  # block index of every run
    block_starts_in_runs: IntArray  # first run of every block
    block_stratum: IntArray  # stratum of every block (non-decreasing)
    event_runs: IntArray  # runs that hold events
    event_run_rows: IntArray  # first row of each event run
    tied_runs: IntArray  # event runs with more than one event (only these need event sums)
    risk_set_rows: IntArray  # first row of the risk set (its time's block) of each event run
    deaths: FloatArray  # events in each event run (d)
    event_x_sum: FloatArray  # (p,) sum of x over events
    efron_run: IntArray  # for each event, the index of its event run (length = events)
    efron_starts: IntArray  # where each event run begins in that list
    efron_fraction: FloatArray  # l / d for the l-th (0-based) event of its run
    pair_a: IntArray  # packed upper triangle of a p x p matrix: row indices
    pair_b: IntArray  # ... and column indices
    n_strata: int


def prepare(
    time: FloatArray, event: npt.NDArray[np.bool_], x: FloatArray, stratum: IntArray
) -> SortedCox:
    """Sort the rows once and build everything that does not depend on beta."""
    n, p = x.shape
    by_time = np.argsort(time)
    sorted_time = time[by_time]
    new_time = np.concatenate(([True], _distinct_after_timefix(sorted_time)))
    n_times = int(new_time.sum())
    time_rank = np.cumsum(new_time) - 1
    n_strata = int(stratum.max()) + 1
    block_key = stratum[by_time].astype(np.int64) * n_times + time_rank
    code_by_time = (block_key << 1) | (~event[by_time]).astype(np.int64)
    # Already sorted by time: this second sort only puts strata first and censorings after
    # the events of their time (a stable sort of nearly sorted keys is fast).
    refine = np.argsort(code_by_time, kind="stable")
    order = by_time[refine]
    code = code_by_time[refine]

    means = x.mean(axis=0)
    xt = np.take(np.ascontiguousarray(x.T), order, axis=1)
    xt -= means[:, None]
    spread = np.abs(xt).mean(axis=1)
    scale = np.where(spread > 0, 1.0 / np.where(spread > 0, spread, 1.0), 1.0)
    xt *= scale[:, None]

    run_starts = np.flatnonzero(np.concatenate(([True], code[1:] != code[:-1])))
    run_code = code[run_starts]
    run_length = np.diff(np.append(run_starts, n))
    run_block = run_code >> 1
    new_block = np.concatenate(([True], run_block[1:] != run_block[:-1]))
    block_starts_in_runs = np.flatnonzero(new_block)
    block_of_run = np.cumsum(new_block) - 1
    block_stratum = run_block[block_starts_in_runs] // n_times

    event_runs = np.flatnonzero((run_code & 1) == 0)
    deaths = run_length[event_runs].astype(np.float64)
    d_int = run_length[event_runs]
    efron_run = np.repeat(np.arange(event_runs.size), d_int)
    first_of_run = np.repeat(np.cumsum(d_int) - d_int, d_int)
    efron_fraction = (np.arange(efron_run.size) - first_of_run) / np.repeat(deaths, d_int)

    pair_a, pair_b = np.triu_indices(p)
    sorted_event = (code & 1) == 0
    codes_per_stratum = 2 * n_times
    return SortedCox(
        order=order,
        code=code,
        codes_per_stratum=codes_per_stratum,
        xt=xt,
        work=np.empty((1 + p + pair_a.size, n)),
        efron_work=np.empty((5, efron_run.size)),
        means=means,
        scale=scale,
        run_starts=run_starts,
        block_of_run=block_of_run,
        block_starts_in_runs=block_starts_in_runs,
        block_stratum=block_stratum,
        event_runs=event_runs,
        event_run_rows=run_starts[event_runs],
        tied_runs=np.flatnonzero(d_int > 1),
        risk_set_rows=run_starts[block_starts_in_runs][block_of_run[event_runs]],
        deaths=deaths,
        event_x_sum=xt[:, sorted_event].sum(axis=1),
        efron_run=efron_run,
        efron_starts=np.cumsum(d_int) - d_int,
        efron_fraction=efron_fraction,
        pair_a=pair_a.astype(np.int64),
        pair_b=pair_b.astype(np.int64),
        n_strata=n_strata,
    )


def _suffix_sums(values: FloatArray, segment: IntArray, n_segments: int) -> FloatArray:
    """Sums from each column to the end of its segment (columns of a segment are contiguous).

    One segment: a reversed cumulative sum. Several: a doubling scan, which never subtracts
    (subtracting a running total would lose precision in small late strata).
    """
    if n_segments == 1:
        return np.cumsum(values[:, ::-1], axis=1)[:, ::-1]
    total = values.copy()
    step = 1
    while step < total.shape[1]:
        same = segment[:-step] == segment[step:]
        total[:, :-step] += np.where(same, total[:, step:], 0.0)
        step *= 2
    return total


def _event_and_risk_sums(data: SortedCox, weighted: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Sums of ``weighted`` over each tied event run's events, and over every risk set.

    Event sums enter only Efron's correction, which vanishes for a single event, so they are
    formed for tied runs only.
    """
    n = weighted.shape[1]
    n_runs, n_blocks = data.run_starts.size, data.block_starts_in_runs.size
    if data.n_strata == 1 and 4 * n_runs > n:
        # Mostly distinct times: one reversed cumulative sum over the rows (the order in which
        # coxph accumulates) beats summing a million tiny runs first.
        suffix = np.cumsum(weighted[:, ::-1], axis=1)[:, ::-1]  # suffix[:, r] = rows r..n-1
        first = data.event_run_rows[data.tied_runs]
        after = first + data.deaths[data.tied_runs].astype(np.int64)
        beyond = suffix[:, np.minimum(after, n - 1)] * (after < n)
        return suffix[:, first] - beyond, suffix[:, data.risk_set_rows]
    per_run = weighted if n_runs == n else np.add.reduceat(weighted, data.run_starts, axis=1)
    per_block = (
        per_run if n_blocks == n_runs else np.add.reduceat(per_run, data.block_starts_in_runs, 1)
    )
    at_risk = _suffix_sums(per_block, data.block_stratum, data.n_strata)
    died = per_run[:, data.event_runs[data.tied_runs]]
    return died, at_risk[:, data.block_of_run[data.event_runs]]


def _unpack(packed: FloatArray, data: SortedCox) -> FloatArray:
    p = data.xt.shape[0]
    matrix = np.zeros((p, p))
    matrix[data.pair_a, data.pair_b] = packed
    matrix[data.pair_b, data.pair_a] = packed
    return matrix


def evaluate(
    data: SortedCox, beta: FloatArray, efron: bool
) -> tuple[float, FloatArray, FloatArray]:
    """Log partial likelihood, score vector and information matrix at ``beta``.

    ``beta`` is on the centred, scaled covariate scale of ``data.xt``. A step far out (monotone
    likelihood) can overflow; the non-finite result is what the caller tests for (as coxfit6
    does), so numpy's warnings are silenced.
    """
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        return _evaluate(data, beta, efron)


def _evaluate(
    data: SortedCox, beta: FloatArray, efron: bool
) -> tuple[float, FloatArray, FloatArray]:
    xt = data.xt
    p = xt.shape[0]
    risk = np.exp(beta @ xt)
    # Rows: risk, risk * x_a, risk * x_a * x_b (a <= b); one row per quantity keeps every
    # product, sum and gather below a contiguous pass. The rows live in a buffer kept across
    # iterations (fresh pages for tens of megabytes would cost more than the arithmetic).
    weighted = data.work
    weighted[0] = risk
    np.multiply(xt, risk, out=weighted[1 : 1 + p])
    for row, (a, b) in enumerate(zip(data.pair_a, data.pair_b, strict=True), start=1 + p):
        np.multiply(weighted[1 + a], xt[b], out=weighted[row])
    died, risk_set = _event_and_risk_sums(data, weighted)  # died: tied runs only
    d = data.deaths
    tied = data.tied_runs
    loglik = float(data.event_x_sum @ beta)
    s1, e1 = risk_set[1 : 1 + p], died[1 : 1 + p]
    if efron:
        run = data.efron_run
        f = data.efron_fraction
        died_risk = np.zeros(d.size)
        died_risk[tied] = died[0]
        denominator = risk_set[0][run] - f * died_risk[run]
        loglik -= float(np.log(denominator).sum())
        terms = data.efron_work  # 1/D, f/D, 1/D^2, f/D^2, f^2/D^2 per event
        np.divide(1.0, denominator, out=terms[0])
        np.multiply(f, terms[0], out=terms[1])
        np.multiply(terms[0], terms[0], out=terms[2])
        np.multiply(f, terms[2], out=terms[3])
        np.multiply(f, terms[3], out=terms[4])
        if terms.shape[1] == d.size:  # no tied events: every run is one event
            w1, wf, w11, w1f, wff = terms
        else:
            w1, wf, w11, w1f, wff = np.add.reduceat(terms, data.efron_starts, axis=1)
        wf, w1f, wff = wf[tied], w1f[tied], wff[tied]  # zero for untied runs (f = 0)
        score = data.event_x_sum - (s1 @ w1 - e1 @ wf)
        # Sum over the Efron terms of the weighted second moment minus the outer product of
        # the weighted mean, with mean_l = (S1 - f E1) / D_l; expanded so that every sum
        # runs over event runs, not over events.
        second = risk_set[1 + p :] @ w1 - died[1 + p :] @ wf
        cross = (s1[:, tied] * w1f) @ e1.T
        outer = (s1 * w11) @ s1.T - cross - cross.T + (e1 * wff) @ e1.T
    else:
        denominator = risk_set[0]
        loglik -= float((d * np.log(denominator)).sum())
        w1 = d / denominator
        score = data.event_x_sum - s1 @ w1
        second = risk_set[1 + p :] @ w1
        outer = (s1 * (w1 / denominator)) @ s1.T
    return loglik, score, _unpack(second, data) - outer


# ---- a small pivoting LDL' (as coxph's cholesky2 / chsolve2 / chinv2 behave) -------------


def ldl_decompose(matrix: FloatArray, tolerance: float = CHOLESKY_TOLERANCE) -> FloatArray:
    """LDL' of a symmetric matrix; a pivot below ``tolerance * max(diag)`` is set to 0.

    A zero pivot marks a column that is (numerically) a combination of earlier ones; solves
    then give that coordinate 0 instead of dividing by noise.
    """
    work = np.array(matrix, dtype=np.float64)
    size = work.shape[0]
    diagonal = np.diag(work)
    threshold = tolerance * max(float(diagonal.max(initial=0.0)), 0.0)
    for i in range(size):
        pivot = work[i, i]
        if not np.isfinite(pivot) or pivot < threshold or pivot <= 0:
            work[i, i] = 0.0
            work[i + 1 :, i] = 0.0
            continue
        column = work[i + 1 :, i] / pivot
        work[i + 1 :, i + 1 :] -= pivot * np.outer(column, column)
        work[i + 1 :, i] = column
    return np.tril(work)


def singular_columns(ldl: FloatArray) -> IntArray:
    return np.flatnonzero(np.diag(ldl) == 0)


def ldl_solve(ldl: FloatArray, rhs: FloatArray) -> FloatArray:
    size = ldl.shape[0]
    y = np.array(rhs, dtype=np.float64)
    for i in range(size):
        y[i] -= ldl[i, :i] @ y[:i]
    for i in range(size - 1, -1, -1):
        if ldl[i, i] == 0:
            y[i] = 0.0
        else:
            y[i] = y[i] / ldl[i, i] - ldl[i + 1 :, i] @ y[i + 1 :]
    return y


def ldl_inverse(ldl: FloatArray) -> FloatArray:
    size = ldl.shape[0]
    inverse = np.column_stack([ldl_solve(ldl, column) for column in np.eye(size)])
    dead = singular_columns(ldl)
    inverse[dead, :] = 0.0
    inverse[:, dead] = 0.0
    return (inverse + inverse.T) / 2


@dataclass(frozen=True)
class NewtonResult:
    beta: FloatArray  # original units
    variance: FloatArray  # original units
    score_final: FloatArray  # score at beta, original units
    loglik_null: float
    loglik: float
    score_test: float
    iterations: int
    converged: bool
    halving_at_end: bool
    singular: IntArray  # columns whose information pivot vanished at the end


def newton_raphson(
    data: SortedCox,
    efron: bool,
    eps: float,
    max_iter: int,
    start: tuple[float, FloatArray, FloatArray] | None = None,
) -> NewtonResult:
    """coxph's Newton-Raphson with step halving (see the module docstring).

    ``start`` is :func:`evaluate` at beta = 0 when the caller already has it.
    """
    p = data.xt.shape[0]
    beta = np.zeros(p)
    loglik_null, score, information = start if start else evaluate(data, beta, efron)
    ldl = ldl_decompose(information)
    step = ldl_solve(ldl, score)
    score_test = float(score @ step)
    best = loglik_null
    final_loglik = loglik_null
    final_beta = beta
    converged = False
    halving = 0
    iterations = 0
    variance: FloatArray | None = None
    if max_iter > 0 and np.isfinite(loglik_null):
        new_beta = beta + step
        for iterations in range(1, max_iter + 1):  # noqa: B007 - the count is reported
            new_loglik, score, information = evaluate(data, new_beta, efron)
            ldl = ldl_decompose(information)
            finite = (
                np.isfinite(new_loglik)
                and np.isfinite(score).all()
                and np.isfinite(information).all()
            )
            if finite and abs(1 - best / new_loglik) <= eps:
                final_beta, final_loglik, converged = new_beta, new_loglik, True
                break
            if not finite or new_loglik < best:
                halving += 1
                new_beta = (new_beta + halving * beta) / (halving + 1.0)
            else:
                halving = 0
                best = new_loglik
                beta, new_beta = new_beta, new_beta + ldl_solve(ldl, score)
        else:
            # coxfit6 leaves its loop counter one past the limit, and coxph reports that
            # (fit$iter is 21 for iter.max = 20 without convergence)
            iterations = max_iter + 1
            final_beta = beta
            if max_iter > 1:
                final_loglik, score, information = evaluate(data, beta, efron)
                ldl = ldl_decompose(information)
                # What coxph reports here is not the inverse information: coxfit6 recomputes
                # the information at the last good beta and hands it to chinv2 without
                # factoring it first, which leaves 1 / I_jj on the diagonal and zeros off it.
                # The fit has not converged (and says so); the same numbers as R's are given.
                diagonal = np.diag(information)
                safe = np.where(diagonal > 0, diagonal, 1.0)
                variance = np.diag(np.where(diagonal > 0, 1.0 / safe, 0.0))
            else:
                final_loglik = best
    if variance is None:
        variance = ldl_inverse(ldl)
    scale = data.scale
    return NewtonResult(
        beta=final_beta * scale,
        variance=variance * np.outer(scale, scale),
        score_final=score / scale,
        loglik_null=loglik_null,
        loglik=final_loglik,
        score_test=score_test,
        iterations=iterations,
        converged=converged,
        halving_at_end=converged and halving > 0,
        singular=singular_columns(ldl),
    )


def evaluate_original_scale(
    data: SortedCox, beta: FloatArray, efron: bool
) -> tuple[float, FloatArray, FloatArray]:
    """:func:`evaluate` with ``beta``, score and information in the covariates' own units.

    Centring leaves the log partial likelihood unchanged (each risk score and each
    denominator gains the same factor), so only the scaling needs undoing.
    """
    scale = data.scale
    loglik, score, information = evaluate(data, np.asarray(beta, dtype=np.float64) / scale, efron)
    return loglik, score / scale, information / np.outer(scale, scale)
