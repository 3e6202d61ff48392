"""Fine & Gray's proportional subdistribution-hazards regression, equal to cmprsk::crr.

Time-fixed covariates, one censoring distribution (crr's default: no ``cengroup``), no
time-varying terms (crr's ``cov2``/``tf``) and no weights: those are not supported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import chi2, norm

from inodli.errors import InputError
from inodli.stats._cr_finegray import (
    log_likelihood,
    prepare,
    sandwich_middle,
    score_information,
)
from inodli.stats._validation import (
    as_covariates,
    as_status,
    as_time,
    check_cause,
    check_conf_level,
    is_real_number,
)

__all__ = ["FineGray", "fine_gray"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, repr=False)
class FineGray:
    """Result of :func:`fine_gray`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per covariate: ``term, coef, hazard_ratio, std_err, z, p_value, lower, upper``
        (``lower``/``upper``: confidence limits of the subdistribution hazard ratio).
    variance : ndarray, shape (p, p)
        Fine & Gray's sandwich variance of the coefficients (crr's ``var``).
    information : ndarray, shape (p, p)
        Observed information at the estimate (crr's ``inf``).
    loglik, loglik_null : float
        Log pseudo-likelihood at the estimate and at zero (crr's ``loglik``, ``loglik.null``).
    lr_statistic, lr_df, lr_p_value
        Pseudo likelihood-ratio test ``2 (loglik - loglik_null)`` (as summary.crr prints it;
        not a valid chi-square test under the weighting, reported for comparison with R).
    converged : bool
    iterations : int
    n, n_events, n_competing : int
    cause : int
    conf_level : float
    """

    table: pd.DataFrame
    variance: FloatArray
    information: FloatArray
    score: FloatArray
    loglik: float
    loglik_null: float
    lr_statistic: float
    lr_df: int
    lr_p_value: float
    converged: bool
    iterations: int
    n: int
    n_events: int
    n_competing: int
    cause: int
    conf_level: float

    @property
    def coef(self) -> FloatArray:
        return self.table["coef"].to_numpy()

    @property
    def std_err(self) -> FloatArray:
        return self.table["std_err"].to_numpy()

    def __repr__(self) -> str:
        body = self.table.to_string(index=False, float_format=lambda v: f"{v:.4g}")
        return (
            f"FineGray(cause={self.cause}, n={self.n}, events={self.n_events}, "
            f"competing={self.n_competing}, converged={self.converged}, "
            f"loglik={self.loglik:.6g})\n{body}"
        )


def _singular_information() -> InputError:
    return InputError(
        "X",
        "covariates that vary among subjects at risk and are not collinear",
        "a singular information matrix",
        "Drop constant or linearly dependent columns.",
    )


def _newton(
    data: Any, p: int, max_iter: int, gtol: float
) -> tuple[FloatArray, bool, int, float, FloatArray, FloatArray, Any]:
    """crr's Newton-Raphson with step halving, on minus the log pseudo-likelihood."""
    beta = np.zeros(p)
    converged = False
    iteration = 0
    for iteration in range(max_iter + 1):
        loglik, score, information, sums = score_information(data, beta)
        # crr's stopping rule: max |gradient| * max(|b|, 1) < max(|objective|, 1) * gtol
        if np.max(np.abs(score) * np.maximum(np.abs(beta), 1.0)) < max(abs(loglik), 1.0) * gtol:
            converged = True
            break
        if iteration == max_iter:
            break
        try:
            step = np.linalg.solve(information, score)
        except np.linalg.LinAlgError:
            raise _singular_information() from None
        halvings = 0
        new_beta = beta + step
        new = log_likelihood(data, new_beta)
        # Armijo condition on -loglik: accept when it drops by at least 1e-4 * step'score
        while not np.isfinite(new) or -new > -loglik - 1e-4 * float(step @ score):
            halvings += 1
            step = step * 0.5
            new_beta = beta + step
            new = log_likelihood(data, new_beta)
            if halvings > 20:
                break
        if halvings > 20:
            break
        beta = new_beta
    return beta, converged, iteration, loglik, score, information, sums


def fine_gray(
    time: Sequence[float] | FloatArray,
    status: Sequence[int] | npt.NDArray[np.int64],
    X: Any,
    *,
    cause: int = 1,
    conf_level: float = 0.95,
    max_iter: int = 10,
    gtol: float = 1e-6,
) -> FineGray:
    """Fine & Gray regression of the subdistribution hazard of ``cause``.

    Maximises the log pseudo-likelihood in which subjects who failed from a competing cause
    stay in the risk set with weight ``G(t-)/G(t_i-)``, ``G`` the Kaplan-Meier estimate of the
    censoring distribution (crr evaluates it just before each time). Ties use Breslow's
    form; the variance is Fine & Gray's sandwich ``I^-1 Omega I^-1``, whose ``Omega`` adds the
    censoring-martingale term ``psi``. The iteration (start 0, Newton-Raphson with step halving,
    stopping rule ``max|U| max(|b|, 1) < max(|l|, 1) gtol``) is crr's, so the estimates agree
    with ``cmprsk::crr`` to the rounding of its stopping point.

    Parameters
    ----------
    time : array_like of float, shape (n,)
    status : array_like of int, shape (n,)
        0 = censored, 1..K = cause.
    X : array_like or pandas.DataFrame, shape (n, p)
        Covariates (numeric, finite); a DataFrame's column names name the terms.
    cause : int, default 1
    conf_level : float, default 0.95
        Level of the hazard-ratio intervals ``exp(b +- z se)``.
    max_iter : int, default 10
        crr's ``maxiter``.
    gtol : float, default 1e-6
        crr's ``gtol``.

    Returns
    -------
    FineGray
        ``.table`` (coef, hazard_ratio, std_err, z, p_value, lower, upper), ``.variance``,
        ``.loglik``, ``.loglik_null``, ``.converged``.

    Raises
    ------
    inodli.errors.InputError
        Bad time/status/X, no event of ``cause``, or bad options.

    References
    ----------
    .. [1] Fine, J. P. and Gray, R. J. (1999). A proportional hazards model for the
           subdistribution of a competing risk. J. Amer. Statist. Assoc. 94, 496-509
           (the weighted pseudo-likelihood and score, and the sandwich variance with
           the censoring term psi).
    .. [2] Pintilie, M. (2006). Competing Risks: A Practical Perspective. Wiley, ch. 6.
    .. [3] Kalbfleisch, J. D. and Prentice, R. L. (2002). The Statistical Analysis of Failure
           Time Data, 2nd ed., Wiley, ch. 8.

    Examples
    --------
    >>> import numpy as np
    >>> from inodli.stats.fine_gray import fine_gray
    >>> time = [2, 3, 3, 5, 6, 7, 8, 9, 11, 12, 13, 15]
    >>> status = [1, 2, 1, 0, 1, 2, 1, 1, 2, 0, 1, 0]
    >>> x = [0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0]
    >>> fit = fine_gray(time, status, x)
    >>> fit.table[["term", "coef", "std_err"]].round(6)  # crr: -0.9923056903, se 0.7798342808
      term      coef   std_err
    0   x1 -0.992306  0.779834
    """
    time_ = as_time(time)
    status_ = as_status(status, time_.size)
    x, names = as_covariates(X, time_.size)
    cause_ = check_cause(cause, status_)
    level = check_conf_level(conf_level)
    for name, value, low in (("max_iter", max_iter, 0), ("gtol", gtol, 0)):
        if not is_real_number(value) or not value >= low:
            raise InputError(name, f"a number >= {low}", value)
    kind = np.where(status_ == cause_, 1, np.where(status_ > 0, 2, 0)).astype(np.int64)
    data = prepare(time_, kind, x)
    beta, converged, iterations, loglik, score, _, sums = _newton(
        data, x.shape[1], int(max_iter), float(gtol)
    )
    _, _, information, sums = score_information(data, beta)
    try:
        inverse = np.linalg.inv(information)
    except np.linalg.LinAlgError:
        # crr stops with "system is exactly singular" here too: a covariate that does not vary
        # within the risk sets of the events (one event, n = 1, a constant column)
        raise _singular_information() from None
    variance = inverse @ sandwich_middle(data, sums) @ inverse.T
    se = np.sqrt(np.diag(variance))
    half = float(norm.ppf(0.5 + level / 2.0))
    # a huge coefficient or a zero variance gives inf or NaN, as in R; no numpy warnings
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        z = beta / se
        table = pd.DataFrame(
            {
                "term": names,
                "coef": beta,
                "hazard_ratio": np.exp(beta),
                "std_err": se,
                "z": z,
                "p_value": 2.0 * norm.sf(np.abs(z)),
                "lower": np.exp(beta - half * se),
                "upper": np.exp(beta + half * se),
            }
        )
    loglik_null = log_likelihood(data, np.zeros(x.shape[1]))
    lr = 2.0 * (loglik - loglik_null)
    return FineGray(
        table=table,
        variance=variance,
        information=information,
        score=score,
        loglik=loglik,
        loglik_null=loglik_null,
        lr_statistic=lr,
        lr_df=x.shape[1],
        lr_p_value=float(chi2.sf(lr, x.shape[1])),
        converged=converged,
        iterations=iterations,
        n=int(time_.size),
        n_events=int((kind == 1).sum()),
        n_competing=int((kind == 2).sum()),
        cause=cause_,
        conf_level=level,
    )
