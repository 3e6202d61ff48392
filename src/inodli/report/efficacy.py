"""Response analyses: CR/CRi at one month (the primary endpoint) and MRD negativity.

The primary analysis is the CR/CRi proportion among efficacy-evaluable patients with its exact
(Clopper-Pearson) 95% confidence interval and the one-sided exact binomial test of H0: p <= p0.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from inodli.errors import InputError
from inodli.report._frames import dli_group, flag, format_p, require_columns
from inodli.stats.binomial import BinomialCI, BinomialTest, binomial_ci, exact_binomial_test

__all__ = [
    "P0_DEFAULT",
    "P0_JUSTIFICATION",
    "ResponseRate",
    "mrd_negative_rate",
    "response_rate",
    "response_rate_by_dli",
]

P0_DEFAULT = 0.30
P0_JUSTIFICATION = (
    "p0 = 0.30 is the uninteresting CR/CRi rate: the trial record (NCT06861348) states that "
    '"the CR rate and overall survival (OS) in adults with ALL who relapse after '
    'transplantation are as low as 30% and 25%, respectively".'
)


@dataclass(frozen=True)
class ResponseRate:
    """A response proportion with its exact CI and, when ``p0`` is given, the exact test.

    ``test`` is the one-sided test of H0: p <= p0 against p > p0 (R ``binom.test(x, n, p0,
    alternative = "greater")``); ``ci`` is the two-sided Clopper-Pearson interval.
    """

    endpoint: str
    population: str
    responders: int
    n: int
    ci: BinomialCI | None
    test: BinomialTest | None
    p0: float | None

    def __repr__(self) -> str:
        if self.ci is None:
            return f"ResponseRate({self.endpoint}: 0 evaluable)"
        text = (
            f"ResponseRate({self.endpoint}: {self.responders}/{self.n} = {self.ci.estimate:.1%}, "
            f"95% CI {self.ci.lower:.1%} to {self.ci.upper:.1%}"
        )
        if self.test is not None:
            text += f"; one-sided p = {self.test.p_value:.4g} vs p0 = {self.p0:g}"
        return text + ")"

    @property
    def estimate(self) -> float:
        return float("nan") if self.ci is None else self.ci.estimate

    def as_row(self) -> dict[str, object]:
        """Endpoint, n/N, %, 95% CI (and p-value) as display strings."""
        row: dict[str, object] = {"Endpoint": self.endpoint, "Population": self.population}
        row["n/N"] = f"{self.responders}/{self.n}"
        if self.ci is None:
            row["% (95% CI)"] = "-"
        else:
            row["% (95% CI)"] = (
                f"{self.ci.estimate:.1%} ({self.ci.lower:.1%} to {self.ci.upper:.1%})"
            )
        if self.test is not None:
            row["One-sided exact p vs p0"] = f"{format_p(self.test.p_value)} (p0 = {self.p0:g})"
        return row


def _check_p0(p0: float | None) -> float | None:
    if p0 is None:
        return None
    if isinstance(p0, bool) or not isinstance(p0, int | float) or not 0 < float(p0) < 1:
        raise InputError("p0", "a number strictly between 0 and 1", p0)
    return float(p0)


def _rate(
    endpoint: str,
    population: str,
    responders: int,
    n: int,
    p0: float | None,
) -> ResponseRate:
    if n == 0:
        return ResponseRate(endpoint, population, 0, 0, None, None, p0)
    ci = binomial_ci(responders, n)
    test = None if p0 is None else exact_binomial_test(responders, n, p0, "greater")
    return ResponseRate(endpoint, population, responders, n, ci, test, p0)


def _responders(adrs: pd.DataFrame, paramcd: str) -> set[str]:
    require_columns(adrs, "adrs", ["USUBJID", "PARAMCD", "AVALC"])
    rows = adrs[adrs["PARAMCD"] == paramcd]
    return set(rows.loc[flag(rows["AVALC"]), "USUBJID"])


def _evaluable(
    adsl: pd.DataFrame, population_flag: str, exclude: Collection[str] = ()
) -> pd.DataFrame:
    require_columns(adsl, "adsl", ["USUBJID", population_flag])
    return adsl[flag(adsl[population_flag]) & ~adsl["USUBJID"].isin(list(exclude))]


def response_rate(
    adsl: pd.DataFrame,
    adrs: pd.DataFrame,
    *,
    paramcd: str = "CRPRIM",
    population_flag: str = "EFFFL",
    p0: float | None = P0_DEFAULT,
    endpoint: str = "CR/CRi at 1 month",
    exclude: Collection[str] = (),
) -> ResponseRate:
    """Proportion of ``population_flag`` subjects whose ``paramcd`` response is 'Y'.

    Parameters
    ----------
    adsl : DataFrame
        USUBJID and the population flag (default EFFFL, efficacy evaluable).
    adrs : DataFrame
        USUBJID, PARAMCD, AVALC ('Y' = responder for the parameter).
    paramcd : str, default "CRPRIM"
        The response parameter (CR/CRi one month after the first InO dose).
    p0 : float or None, default 0.30
        Null response rate of the one-sided exact test (see :data:`P0_JUSTIFICATION`);
        None skips the test.
    exclude : collection of str
        Subjects left out of the denominator, e.g. those whose primary window is still open
        at an interim cut-off (:func:`inodli.report.monitoring.primary_pending`).

    Returns
    -------
    ResponseRate
        Evaluable subjects without a ``paramcd`` record count as non-responders.

    References
    ----------
    .. [1] Clopper CJ, Pearson ES. Biometrika 1934;26:404-413.
    """
    null = _check_p0(p0)
    population = _evaluable(adsl, population_flag, exclude)
    responders = _responders(adrs, paramcd) & set(population["USUBJID"])
    return _rate(endpoint, population_flag, len(responders), len(population), null)


def response_rate_by_dli(
    adsl: pd.DataFrame,
    adrs: pd.DataFrame,
    *,
    paramcd: str = "CRPRIM",
    population_flag: str = "EFFFL",
    endpoint: str = "CR/CRi at 1 month",
    exclude: Collection[str] = (),
) -> dict[str, ResponseRate]:
    """The response rate in DLI and no-DLI patients (descriptive: no test, DLI not randomised)."""
    population = _evaluable(adsl, population_flag, exclude)
    groups = dli_group(population)
    responders = _responders(adrs, paramcd)
    out = {}
    for label in ("DLI", "No DLI"):
        ids = set(groups.index[groups == label])
        out[label] = _rate(endpoint, population_flag, len(ids & responders), len(ids), None)
    return out


def mrd_negative_rate(
    adsl: pd.DataFrame,
    adrs: pd.DataFrame,
    *,
    paramcd: str = "MRDNEG",
    population_flag: str = "EFFFL",
) -> ResponseRate:
    """Proportion of evaluable patients with MRD negativity (ADRS ``paramcd`` = 'Y').

    The denominator is every evaluable patient (intention to treat), not only responders.
    """
    return response_rate(
        adsl, adrs, paramcd=paramcd, population_flag=population_flag, p0=None,
        endpoint="MRD negativity",
    )  # fmt: skip
