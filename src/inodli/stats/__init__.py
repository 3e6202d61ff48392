"""inodli.stats: survival, competing-risks and exact binomial methods equal to R.

No trial knowledge lives here. Every function validates its input in one place
(:mod:`inodli.stats._validation`) and returns a frozen dataclass.

- :func:`binomial_ci`, :func:`exact_binomial_test`: Clopper-Pearson (R ``binom.test``), Wilson, Jeffreys
- :func:`kaplan_meier`, :func:`kaplan_meier_by_group`: R ``survfit`` (Greenwood; log, log-log, plain,
  logit, arcsin intervals; medians by ``print.survfit``'s rule; restricted means)
- :func:`logrank_test`: R ``survdiff`` (G-rho family, strata)
- :func:`cumulative_incidence`, :func:`gray_test`, :func:`fine_gray`: R ``cmprsk`` (``cuminc`` with
  its variance, Gray's k-sample test, ``crr``)
- :func:`cox_ph`: R ``coxph`` (Efron and Breslow ties)
- :func:`plot_step_curve`, :func:`add_at_risk_table`: clinical-style curves (matplotlib, loaded lazily)

Not supported yet: left truncation (delayed entry) and case weights.

Note: ``kaplan_meier``, ``cumulative_incidence`` and ``fine_gray`` are both submodules and the
functions re-exported here; the package attribute is the function. Import the module by its full
dotted path (``from inodli.stats.kaplan_meier import KaplanMeierResult``) when you need it.
"""

from __future__ import annotations

from inodli.stats.binomial import BinomialCI, BinomialTest, binomial_ci, exact_binomial_test
from inodli.stats.cox import ChiSquareTest, CoxConvergenceWarning, CoxResult, cox_ph
from inodli.stats.cumulative_incidence import (
    CumulativeIncidence,
    cumulative_incidence,
    cumulative_incidence_by_group,
)
from inodli.stats.fine_gray import FineGray, fine_gray
from inodli.stats.gray import GrayTest, gray_test
from inodli.stats.groups import kaplan_meier_by_group, restricted_means_by_group
from inodli.stats.kaplan_meier import KaplanMeierResult, RestrictedMean, kaplan_meier
from inodli.stats.logrank import LogRankResult, logrank_test
from inodli.stats.plotting import HasAtRisk, add_at_risk_table, plot_step_curve

__all__ = [
    "BinomialCI",
    "BinomialTest",
    "ChiSquareTest",
    "CoxConvergenceWarning",
    "CoxResult",
    "CumulativeIncidence",
    "FineGray",
    "GrayTest",
    "HasAtRisk",
    "KaplanMeierResult",
    "LogRankResult",
    "RestrictedMean",
    "add_at_risk_table",
    "binomial_ci",
    "cox_ph",
    "cumulative_incidence",
    "cumulative_incidence_by_group",
    "exact_binomial_test",
    "fine_gray",
    "gray_test",
    "kaplan_meier",
    "kaplan_meier_by_group",
    "logrank_test",
    "plot_step_curve",
    "restricted_means_by_group",
]
