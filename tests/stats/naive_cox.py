"""A deliberately plain Cox partial likelihood and concordance, for checking the fast code.

One Python loop over the distinct event times of each stratum, risk sets found by direct
comparison, Efron's terms summed one death at a time. Slow (O(n * event times)) and obvious.
"""

from __future__ import annotations

import numpy as np


def naive_partial_likelihood(
    time: np.ndarray,
    event: np.ndarray,
    x: np.ndarray,
    beta: np.ndarray,
    ties: str,
    strata: np.ndarray | None = None,
) -> tuple[float, np.ndarray, np.ndarray]:
    """Log partial likelihood, score and information (Cox 1972; Efron 1977; Breslow 1974)."""
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=bool)
    x = np.asarray(x, dtype=float).reshape(len(time), -1)
    strata = np.zeros(len(time), dtype=int) if strata is None else np.asarray(strata)
    p = x.shape[1]
    risk = np.exp(x @ beta)
    loglik = 0.0
    score = np.zeros(p)
    information = np.zeros((p, p))
    for stratum in np.unique(strata):
        here = strata == stratum
        for t in np.unique(time[here & event]):
            dying = here & event & (time == t)
            at_risk = here & (time >= t)
            d = int(dying.sum())
            s0 = risk[at_risk].sum()
            s1 = (risk[at_risk, None] * x[at_risk]).sum(axis=0)
            s2 = np.einsum("i,ij,ik->jk", risk[at_risk], x[at_risk], x[at_risk])
            e0 = risk[dying].sum()
            e1 = (risk[dying, None] * x[dying]).sum(axis=0)
            e2 = np.einsum("i,ij,ik->jk", risk[dying], x[dying], x[dying])
            loglik += float((x[dying] @ beta).sum())
            score += x[dying].sum(axis=0)
            for l in range(d):
                f = l / d if ties == "efron" else 0.0
                denominator = s0 - f * e0
                mean = (s1 - f * e1) / denominator
                loglik -= np.log(denominator)
                score -= mean
                information += (s2 - f * e2) / denominator - np.outer(mean, mean)
    return loglik, score, information


def naive_concordance(
    time: np.ndarray,
    event: np.ndarray,
    predictor: np.ndarray,
    strata: np.ndarray | None = None,
) -> tuple[int, int, int]:
    """(concordant, discordant, tied on predictor) over all comparable pairs, as R counts them.

    A pair is comparable when the first had an event and the second was still at risk after
    it (a later time, or the same time and censored); both in the same stratum.
    """
    strata = np.zeros(len(time), dtype=int) if strata is None else np.asarray(strata)
    concordant = discordant = tied = 0
    for i in range(len(time)):
        if not event[i]:
            continue
        for j in range(len(time)):
            if j == i or strata[j] != strata[i]:
                continue
            if time[j] > time[i] or (time[j] == time[i] and not event[j]):
                if predictor[i] > predictor[j]:
                    concordant += 1
                elif predictor[i] < predictor[j]:
                    discordant += 1
                else:
                    tied += 1
    return concordant, discordant, tied
