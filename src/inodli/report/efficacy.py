"""Response analyses: CR/CRi at one month (the primary endpoint) and MRD negativity.

The CR/CRi proportion among efficacy-evaluable patients is shown with its exact
(Clopper-Pearson) 95% confidence interval and the one-sided exact binomial test of H0: p <= p0.
Because the trial has a two-stage design with a futility stop after stage 1, the primary
inference is the design-adjusted one (:class:`DesignAdjusted`): stage-wise p-value and exact
confidence interval (Koyama & Chen 2008) and the UMVUE (Jung & Kim 2004), computed once the
outcome the design produces is known (stopped after stage 1, or all n evaluable).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from inodli.design.trial import TrialDesign
from inodli.design.two_stage_inference import TwoStageInference, two_stage_inference
from inodli.errors import InputError
from inodli.report._frames import dli_group, flag, format_p, require_columns
from inodli.report.stage1 import Stage1Cohort, stage1_cohort
from inodli.report.stage1 import stage1_rule as stage1_cohort_rule
from inodli.stats.binomial import BinomialCI, BinomialTest, binomial_ci, exact_binomial_test

__all__ = [
    "P0_DEFAULT",
    "P0_JUSTIFICATION",
    "DesignAdjusted",
    "ResponseRate",
    "design_adjusted_analysis",
    "mrd_negative_rate",
    "response_rate",
    "response_rate_by_dli",
    "stage1_rule",
]

P0_DEFAULT = 0.30
P0_JUSTIFICATION = (
    "p0 = 0.30 is the uninteresting CR/CRi rate: the trial record (NCT06861348) states that "
    '"the CR rate and overall survival (OS) in adults with ALL who relapse after '
    'transplantation are as low as 30% and 25%, respectively".'
)


def stage1_rule(design: TrialDesign) -> str:
    """How the stage-1 count is taken from the data (:func:`inodli.report.stage1.stage1_rule`)."""
    return stage1_cohort_rule(design.n1)


@dataclass(frozen=True)
class DesignAdjusted:
    """The design-adjusted analysis of a response rate, or the reason it is not available.

    ``inference`` holds the stage-wise p-value, exact confidence interval and UMVUE
    (:func:`inodli.design.two_stage_inference`) once the data show an outcome the design can
    produce; otherwise it is None and ``status`` says why. ``stage1_responders`` is the count
    of :func:`inodli.report.stage1.stage1_cohort`, the one the interim monitoring uses too
    (None while stage 1 is incomplete or its count undetermined).
    """

    inference: TwoStageInference | None
    stage1_responders: int | None
    status: str
    rule: str

    def summary(self) -> str:
        """One line: the result, or why there is none."""
        result = self.inference
        if result is None:
            return f"Design-adjusted analysis not available: {self.status}"
        return (
            f"Design-adjusted (primary): UMVUE {result.umvue:.1%}, exact "
            f"{result.confidence_level:.0%} CI {result.lower:.1%} to {result.upper:.1%} "
            f"(stage-wise ordering), one-sided p {format_p(result.p_value)} against "
            f"p0 = {result.p0:g}. {self.status}"
        )


@dataclass(frozen=True)
class ResponseRate:
    """A response proportion with its exact CI and, when ``p0`` is given, the exact test.

    ``test`` is the one-sided test of H0: p <= p0 against p > p0 (R ``binom.test(x, n, p0,
    alternative = "greater")``); ``ci`` is the two-sided Clopper-Pearson interval. Both treat
    the count as one binomial sample. ``design_adjusted`` (primary endpoint only) accounts for
    the two-stage design.
    """

    endpoint: str
    population: str
    responders: int
    n: int
    ci: BinomialCI | None
    test: BinomialTest | None
    p0: float | None
    design_adjusted: DesignAdjusted | None = None

    def __repr__(self) -> str:
        if self.ci is None:
            return f"ResponseRate({self.endpoint}: 0 evaluable)"
        text = (
            f"ResponseRate({self.endpoint}: {self.responders}/{self.n} = {self.ci.estimate:.1%}, "
            f"95% CI {self.ci.lower:.1%} to {self.ci.upper:.1%}"
        )
        if self.test is not None:
            text += f"; one-sided p = {self.test.p_value:.4g} vs p0 = {self.p0:g}"
        adjusted = self.design_adjusted
        if adjusted is not None and adjusted.inference is not None:
            result = adjusted.inference
            text += (
                f"; design-adjusted UMVUE {result.umvue:.1%}, CI {result.lower:.1%} to "
                f"{result.upper:.1%}, p = {result.p_value:.4g}"
            )
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
        adjusted = self.design_adjusted
        if adjusted is not None:
            result = adjusted.inference
            if result is None:
                row[ADJUSTED_ESTIMATE] = row[ADJUSTED_P] = "not available (see text)"
            else:
                row[ADJUSTED_ESTIMATE] = (
                    f"{result.umvue:.1%} ({result.lower:.1%} to {result.upper:.1%})"
                )
                row[ADJUSTED_P] = format_p(result.p_value)
        return row


ADJUSTED_ESTIMATE = "Design-adjusted UMVUE (95% CI), primary"
ADJUSTED_P = "Design-adjusted one-sided p vs p0, primary"


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
    design_adjusted: DesignAdjusted | None = None,
) -> ResponseRate:
    if n == 0:
        return ResponseRate(endpoint, population, 0, 0, None, None, p0, design_adjusted)
    ci = binomial_ci(responders, n)
    test = None if p0 is None else exact_binomial_test(responders, n, p0, "greater")
    return ResponseRate(endpoint, population, responders, n, ci, test, p0, design_adjusted)


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
    design: TrialDesign | None = None,
) -> ResponseRate:
    """Proportion of ``population_flag`` subjects whose ``paramcd`` response is 'Y'.

    Parameters
    ----------
    adsl : DataFrame
        USUBJID and the population flag (default EFFFL, efficacy evaluable); EOSSTT and RFICDT
        (the enrolment date) too when ``design`` is given
        (:func:`inodli.report.stage1.stage1_cohort`).
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
    design : TrialDesign, optional
        The two-stage design the primary endpoint (CRPRIM among EFFFL) was monitored with
        (``TRIAL_DESIGN``): adds the design-adjusted analysis (:func:`design_adjusted_analysis`,
        needs ``p0``), with stage 1 taken by :func:`inodli.report.stage1.stage1_cohort`.

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
    adjusted = None
    if design is not None:
        if null is None:
            raise InputError("p0", "a null response rate for the design-adjusted test", p0)
        if (paramcd, population_flag) != ("CRPRIM", "EFFFL"):
            raise InputError(
                "design",
                "None unless the endpoint is the primary one (paramcd CRPRIM, population EFFFL)",
                f"a design with paramcd {paramcd!r}, population {population_flag!r}",
            )
        cohort = stage1_cohort(adsl, adrs, n1=design.n1, pending=exclude)
        adjusted = design_adjusted_analysis(cohort, design, null)
    return _rate(endpoint, population_flag, len(responders), len(population), null, adjusted)


def design_adjusted_analysis(
    cohort: Stage1Cohort,
    design: TrialDesign,
    p0: float,
    *,
    confidence_level: float = 0.95,
) -> DesignAdjusted:
    """The stage-wise analysis of the design's outcome, once the data show one.

    Parameters
    ----------
    cohort : Stage1Cohort
        The evaluable patients, their responders, who may still become evaluable, and the
        stage-1 count (:func:`inodli.report.stage1.stage1_cohort` with ``n1 = design.n1``).
    design : TrialDesign
        Stop after ``n1`` evaluable patients if ``r1`` or fewer respond, else treat ``n``.
    p0 : float
        Null response rate of the stage-wise test.
    confidence_level : float, default 0.95

    Returns
    -------
    DesignAdjusted
        With ``inference`` when the trial stopped after stage 1 (exactly ``n1`` evaluable,
        stage-1 count <= ``r1``) or completed stage 2 (exactly ``n`` evaluable, stage-1
        count > ``r1``); otherwise without, and ``status`` says which condition fails.

    References
    ----------
    .. [1] Koyama T, Chen H. Statistics in Medicine 2008;27:3145-3154.
    .. [2] Jung SH, Kim KM. Statistics in Medicine 2004;23:881-896.
    """
    n1, r1, n = design.n1, design.r1, design.n
    if cohort.n1 != n1:
        raise InputError("cohort", f"a stage-1 cohort of the design's n1 = {n1}", cohort.n1)
    rule = stage1_rule(design)
    evaluable, total = len(cohort.evaluable), len(cohort.responders)
    # Anyone who may still join the evaluable population changes the design's outcome, so
    # the analysis waits until nobody is left; the stage-1 count may be known already.
    if cohort.awaiting_assessment:
        waiting = len(cohort.awaiting_assessment)
        return DesignAdjusted(
            None, cohort.count, f"{waiting} patient(s) still await the primary assessment.", rule
        )
    if cohort.not_yet_evaluable:
        later = cohort.not_yet_evaluable
        return DesignAdjusted(
            None,
            cohort.count,
            f"{len(later)} patient(s) on study may still become evaluable (no first dose or "
            f"no response assessment yet: {', '.join(later)}).",
            rule,
        )
    first = cohort.count
    if first is None:
        return DesignAdjusted(None, None, cohort.status, rule)
    counted = f"Stage 1: {first} of the first {n1} evaluable patients by enrolment responded."
    if first <= r1 and evaluable > n1:
        return DesignAdjusted(
            None,
            first,
            f"{counted} The design stops there ({r1} or fewer), yet {evaluable} patients are "
            "evaluable; the design-adjusted analysis assumes the design was followed.",
            rule,
        )
    if first > r1 and evaluable < n:
        return DesignAdjusted(
            None,
            first,
            f"{counted} {evaluable} of the planned {n} patients are evaluable: the "
            f"design-adjusted analysis is made when stage 2 is complete ({n} evaluable). A trial "
            f"that ends short of {n} needs the adjustment for an under-running stage 2 (Koyama & "
            "Chen 2008), which is not implemented here.",
            rule,
        )
    if evaluable > n:
        return DesignAdjusted(
            None,
            first,
            f"{counted} {evaluable} patients are evaluable, more than the {n} planned; an "
            "over-running stage 2 is not covered by this analysis.",
            rule,
        )
    stage = 1 if first <= r1 else 2
    result = two_stage_inference(
        stage, first, total, n1=n1, r1=r1, n=n, p0=p0, confidence_level=confidence_level
    )
    ended = "stopped after stage 1" if stage == 1 else "completed stage 2"
    return DesignAdjusted(result, first, f"{counted} The trial {ended}.", rule)


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
