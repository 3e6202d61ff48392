"""Cox proportional-hazards regression equal to R's ``survival::coxph`` (Efron or Breslow ties).

What is here: right-censored data, optional strata, Efron's and Breslow's approximations for
tied event times, coefficients with Wald standard errors, hazard ratios with confidence
intervals, the Wald, score (log-rank) and likelihood-ratio tests, and Harrell's concordance
as ``coxph`` reports it. What is not (yet): the "exact" (discrete-likelihood) tie method,
case weights, offsets, left truncation (start, stop] data, robust (sandwich) variances,
penalised terms and residuals. A categorical column is coded as R codes a factor: treatment
contrasts against its first level (a pandas Categorical keeps its category order; other
labels are sorted).
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats as sps

from inodli.errors import InputError
from inodli.stats import _cox_engine as engine
from inodli.stats._cox_concordance import ConcordanceCounts, concordance_counts
from inodli.stats._cox_design import check_collinearity, check_constant_columns, design_matrix
from inodli.stats._validation import (
    as_event,
    as_groups,
    as_time,
    check_choice,
    check_conf_level,
    is_real_number,
)

__all__ = ["ChiSquareTest", "CoxConvergenceWarning", "CoxResult", "cox_ph"]

FloatArray = npt.NDArray[np.float64]
TIES = ("efron", "breslow")


class CoxConvergenceWarning(UserWarning):
    """The fit did not converge, or a coefficient is probably infinite (monotone likelihood)."""


@dataclass(frozen=True)
class ChiSquareTest:
    """A chi-square test: statistic, degrees of freedom and upper-tail p-value."""

    statistic: float
    df: int
    p_value: float

    def __repr__(self) -> str:
        return f"ChiSquareTest(statistic={self.statistic:.6g}, df={self.df}, p_value={self.p_value:.4g})"


def _quiet() -> Any:
    """numpy's overflow/0-division warnings off: inf and NaN are the answers R gives there."""
    return np.errstate(over="ignore", divide="ignore", invalid="ignore")


def _chi_square(statistic: float, df: int) -> ChiSquareTest:
    return ChiSquareTest(float(statistic), df, float(sps.chi2.sf(statistic, df)))


@dataclass(frozen=True, repr=False, eq=False)
class CoxResult:
    """A fitted Cox model; arrays are in the order of ``terms``.

    Attributes
    ----------
    terms : tuple of str
        Term names (R's ``names(coef(fit))``).
    coef : (p,) ndarray
        Log hazard ratios.
    variance : (p, p) ndarray
        Inverse information at the estimate (R's ``vcov(fit)``). When the iteration limit
        (``max_iter`` > 1) was reached without convergence it is what coxph reports then:
        the reciprocals of the information's diagonal, zeros elsewhere.
    loglik : (float, float)
        Log partial likelihood of the null model and of the fit (R's ``fit$loglik``).
    score_test : ChiSquareTest
        Score (log-rank) test at beta = 0.
    iterations : int
        Newton-Raphson iterations (R's ``fit$iter``; like R, ``max_iter + 1`` when the
        iteration limit was reached without convergence).
    n, n_events : int
        Observations and events.
    ties, conf_level
        As requested.
    converged : bool
        False when ``max_iter`` was reached first.
    possibly_infinite : tuple of str
        Terms whose estimate may be infinite: the log-likelihood converged while the
        coefficient was still moving (monotone likelihood), as R warns.

    ``se``, ``hazard_ratio``, ``hr_lower``, ``hr_upper``, ``z``, ``p_value``,
    ``likelihood_ratio_test``, ``wald_test``, ``concordance`` and ``concordance_counts``
    are derived on access; ``summary()`` collects the per-term numbers in a DataFrame.
    """

    terms: tuple[str, ...]
    coef: FloatArray
    variance: FloatArray
    loglik: tuple[float, float]
    score_test: ChiSquareTest
    iterations: int
    n: int
    n_events: int
    ties: str
    conf_level: float
    converged: bool
    possibly_infinite: tuple[str, ...]
    _concordance_input: tuple[Any, int, FloatArray] = field(repr=False, compare=False)

    @property
    def se(self) -> FloatArray:
        return np.sqrt(np.diag(self.variance))

    @property
    def hazard_ratio(self) -> FloatArray:
        with _quiet():  # an (almost) infinite coefficient gives inf, as R's exp(coef) does
            return np.exp(self.coef)

    @property
    def z(self) -> FloatArray:
        with _quiet():  # se 0 (no information) gives NaN or inf, as in R
            return self.coef / self.se

    @property
    def p_value(self) -> FloatArray:
        """Two-sided Wald p-values (normal reference), one per term."""
        return 2 * sps.norm.sf(np.abs(self.z))

    @property
    def hr_lower(self) -> FloatArray:
        with _quiet():
            return np.exp(self.coef - self._z_crit * self.se)

    @property
    def hr_upper(self) -> FloatArray:
        with _quiet():
            return np.exp(self.coef + self._z_crit * self.se)

    @property
    def _z_crit(self) -> float:
        return float(sps.norm.ppf(1 - (1 - self.conf_level) / 2))

    @property
    def likelihood_ratio_test(self) -> ChiSquareTest:
        return _chi_square(2 * (self.loglik[1] - self.loglik[0]), len(self.terms))

    @property
    def wald_test(self) -> ChiSquareTest:
        """Global Wald test b' V^-1 b (R prints it rounded to 2 decimals in ``summary``)."""
        statistic = float(self.coef @ np.linalg.solve(self.variance, self.coef))
        return _chi_square(statistic, len(self.terms))

    @cached_property
    def concordance_counts(self) -> ConcordanceCounts:
        """Concordant, discordant and predictor-tied comparable pairs (computed on first use)."""
        code, codes_per_stratum, predictor = self._concordance_input
        return concordance_counts(code, codes_per_stratum, predictor)

    @property
    def concordance(self) -> float:
        """Harrell's C as ``coxph`` reports it: (concordant + tied / 2) / comparable pairs."""
        return self.concordance_counts.concordance

    def summary(self) -> pd.DataFrame:
        """One row per term: coef, hazard ratio with CI, SE, z and Wald p-value."""
        level = f"{self.conf_level:g}"
        return pd.DataFrame(
            {
                "coef": self.coef,
                "hazard_ratio": self.hazard_ratio,
                "se": self.se,
                "z": self.z,
                "p_value": self.p_value,
                f"hr_lower_{level}": self.hr_lower,
                f"hr_upper_{level}": self.hr_upper,
            },
            index=pd.Index(self.terms, name="term"),
        )

    def __repr__(self) -> str:
        table = self.summary().to_string(float_format=lambda v: f"{v:.4g}")
        lrt, wald, score = self.likelihood_ratio_test, self.wald_test, self.score_test
        return (
            f"CoxResult(ties={self.ties!r}, n={self.n}, n_events={self.n_events}, "
            f"iterations={self.iterations}, converged={self.converged})\n{table}\n"
            f"loglik null {self.loglik[0]:.6g}, fitted {self.loglik[1]:.6g}\n"
            f"likelihood ratio {lrt.statistic:.4g} on {lrt.df} df, p={lrt.p_value:.4g}\n"
            f"Wald {wald.statistic:.4g} on {wald.df} df, p={wald.p_value:.4g}\n"
            f"score (log-rank) {score.statistic:.4g} on {score.df} df, p={score.p_value:.4g}"
        )


def cox_ph(
    time: Any,
    event: Any,
    X: Any,
    *,
    ties: str = "efron",
    strata: Any = None,
    conf_level: float = 0.95,
    tol: float = 1e-9,
    max_iter: int = 20,
) -> CoxResult:
    """Fit a Cox proportional-hazards model by Newton-Raphson, as R's ``coxph`` does.

    Parameters
    ----------
    time : (n,) array_like of float
        Follow-up times, finite and non-negative. Times closer than ``sqrt(machine eps)``
        (absolute or relative) count as tied, as with R's ``timefix = TRUE``.
    event : (n,) array_like of bool or 0/1
        1 (True) for an event, 0 for a censored time.
    X : (n, p) array_like, (n,) array_like, or pandas.DataFrame / Series
        Covariates. DataFrame columns give the term names; a non-numeric or categorical
        column becomes indicator terms ``<column><level>`` against its first level, as R
        codes a factor. Array columns are named ``x1 .. xp`` (``x`` for one column).
    ties : {"efron", "breslow"}
        Approximation for tied event times. R's ``"exact"`` is not available.
    strata : (n,) array_like, optional
        Stratum labels: separate baseline hazards, common coefficients.
    conf_level : float
        Confidence level of the hazard-ratio intervals.
    tol : float
        Convergence criterion: relative change of the log partial likelihood (R's ``eps``).
    max_iter : int
        Maximum number of Newton-Raphson iterations (R's ``iter.max``).

    Returns
    -------
    CoxResult
        ``coef``, ``se``, ``hazard_ratio``, ``hr_lower``, ``hr_upper``, ``z``, ``p_value``,
        ``variance``, ``loglik`` (null, fitted), ``likelihood_ratio_test``, ``wald_test``,
        ``score_test``, ``concordance``, ``iterations``, ``n``, ``n_events`` and
        ``summary()``.

    Raises
    ------
    InputError
        Bad times or events, unequal lengths, no events, covariates with missing values, a
        constant or collinear column, an unknown ``ties``.

    Warns
    -----
    CoxConvergenceWarning
        When the iteration limit is reached, or when the log-likelihood converged while a
        coefficient kept growing (monotone likelihood: the estimate may be infinite).

    Notes
    -----
    With risk score r_i = exp(x_i'b), risk-set sums S0, S1, S2 of r, r x, r x x' at an event
    time with d events whose own sums are E0, E1, E2, Efron's log partial likelihood adds
    sum(x'b over the events) - sum_{l<d} log(S0 - (l/d) E0) [2]; Breslow's uses d log S0 [3].
    All sums come from one sort and reverse cumulative sums, so an iteration costs O(n p^2).
    Newton-Raphson starts at 0 on centred, scaled covariates and stops when the relative
    change of the log-likelihood is at most ``tol``, halving steps that lower it, exactly as
    ``coxph`` does [4], so the same iterate (and iteration count) is reported.

    References
    ----------
    .. [1] Cox DR. Regression models and life-tables. J R Stat Soc B. 1972;34(2):187-220.
    .. [2] Efron B. The efficiency of Cox's likelihood function for censored data.
       J Am Stat Assoc. 1977;72(359):557-565.
    .. [3] Breslow N. Covariance analysis of censored survival data. Biometrics.
       1974;30(1):89-99.
    .. [4] Therneau TM, Grambsch PM. Modeling Survival Data: Extending the Cox Model.
       Springer; 2000. Chapter 3 (sections 3.2-3.3: computation, ties, tests).
    .. [5] Harrell FE, Lee KL, Mark DB. Multivariable prognostic models. Stat Med.
       1996;15(4):361-387 (the concordance index).

    Examples
    --------
    The AML maintenance trial (R ``survival::aml``), Efron ties:

    >>> import pandas as pd
    >>> from inodli.stats.cox import cox_ph
    >>> weeks = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161,
    ...          5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45]
    >>> relapse = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0,
    ...            1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]
    >>> arm = pd.DataFrame({"x": ["Maintained"] * 11 + ["Nonmaintained"] * 12})
    >>> fit = cox_ph(weeks, relapse, arm)
    >>> fit.terms
    ('xNonmaintained',)
    >>> round(float(fit.coef[0]), 6), round(float(fit.se[0]), 6)
    (0.915533, 0.511934)
    >>> round(fit.likelihood_ratio_test.statistic, 4), round(fit.concordance, 4)
    (3.3844, 0.619)
    """
    time_ = as_time(time)
    n = time_.size
    event_ = as_event(event, n)
    if not event_.any():
        raise InputError("event", "at least one event", "all observations censored")
    check_choice("ties", ties, TIES)
    conf = check_conf_level(conf_level)
    if not is_real_number(tol) or not 0 < tol < 1:
        raise InputError("tol", "a number strictly between 0 and 1", tol)
    if not isinstance(max_iter, numbers.Integral) or isinstance(max_iter, bool) or max_iter < 0:
        raise InputError("max_iter", "a non-negative integer", max_iter)
    terms, x = design_matrix(X, n)
    if strata is None:
        stratum = np.zeros(n, dtype=np.int64)
    else:
        stratum, _ = as_groups(strata, n, "strata", min_levels=1)
    check_constant_columns(terms, x)
    data = engine.prepare(time_, event_, x, stratum)
    check_collinearity(terms, data.xt)
    efron = ties == "efron"
    start = engine.evaluate(data, np.zeros(len(terms)), efron)
    dead = engine.singular_columns(engine.ldl_decompose(start[2]))
    if dead.size:
        names = ", ".join(repr(terms[i]) for i in dead)
        raise InputError(
            "X",
            "columns that vary among the subjects at risk at the event times",
            f"no information on {names}",
            "Such a coefficient cannot be estimated (R would report NA).",
        )
    fit = engine.newton_raphson(data, efron, float(tol), int(max_iter), start)
    possibly_infinite = _check_convergence(fit, terms, float(tol), int(max_iter))
    predictor = (fit.beta / data.scale) @ data.xt
    return CoxResult(
        terms=terms,
        coef=fit.beta,
        variance=fit.variance,
        loglik=(fit.loglik_null, fit.loglik),
        score_test=_chi_square(fit.score_test, len(terms)),
        iterations=fit.iterations,
        n=n,
        n_events=int(event_.sum()),
        ties=ties,
        conf_level=conf,
        converged=fit.converged,
        possibly_infinite=possibly_infinite,
        _concordance_input=(data.code, data.codes_per_stratum, predictor),
    )


def _check_convergence(
    fit: engine.NewtonResult, terms: tuple[str, ...], tol: float, max_iter: int
) -> tuple[str, ...]:
    """R's checks after ``coxfit6``: out of iterations, or a step still large at convergence."""
    if max_iter <= 1:
        return ()
    if not fit.converged:
        warnings.warn(
            f"Ran out of iterations ({max_iter}) and did not converge.",
            CoxConvergenceWarning,
            stacklevel=3,
        )
        return ()
    step = np.abs(fit.variance @ fit.score_final)
    flagged = ~np.isfinite(fit.score_final) | (
        (step > tol) & (step > np.sqrt(tol) * np.abs(fit.beta))
    )
    names = tuple(terms[i] for i in np.flatnonzero(flagged))
    if names:
        warnings.warn(
            f"Loglik converged before variable {', '.join(names)}; coefficient may be infinite.",
            CoxConvergenceWarning,
            stacklevel=3,
        )
    return names
