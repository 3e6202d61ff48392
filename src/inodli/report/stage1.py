"""Stage 1 of the two-stage design: which patients form it and how many of them responded.

This is the one place that decides the stage-1 cohort; the interim monitoring
(:mod:`inodli.report.monitoring`) and the design-adjusted primary analysis
(:mod:`inodli.report.efficacy`) both call :func:`stage1_cohort`, so they cannot disagree.

The definition (:func:`stage1_rule` says it in words, for the report):

- **Population**: the efficacy-evaluable patients of the primary endpoint, ADSL.EFFFL = ``Y``
  (treated, and either assessed on or after the first dose or dead before any assessment;
  :mod:`inodli.adam.adsl`), less those whose primary assessment window is still open at the
  cut-off (:func:`inodli.report.monitoring.primary_pending`). Their response is ADRS.CRPRIM.
- **Order**: enrolment, i.e. the date of informed consent (ADSL.RFICDT, the only enrolment
  date ADSL carries). Stage 1 is the first ``n1`` evaluable patients in that order.
- **Ties**: consents on the same day are not ordered further (the time of day is not
  recorded, and the subject number is not an enrolment order). When such patients straddle
  the end of stage 1, the count is still fixed if every choice among them gives the same
  number of responders; otherwise it is *undetermined* and reported as a range.
- **Not settled yet**: a patient who may still become evaluable - primary window still open,
  or still on study (ADSL.EOSSTT ``ONGOING``) without a first dose or without a response
  assessment - makes stage 1 incomplete when consented on or before the day of the
  ``n1``-th evaluable patient, since that patient may yet belong to stage 1.

The protocol team must confirm this definition (docs/clinical-rules.md, primary inference).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

import pandas as pd

from inodli.report._frames import flag, require_columns

__all__ = ["Stage1Cohort", "stage1_cohort", "stage1_rule"]


def stage1_rule(n1: int) -> str:
    """How the stage-1 cohort and count are taken from the data, in words."""
    return (
        f"Stage 1 is the first {n1} efficacy-evaluable patients in order of enrolment "
        "(date of informed consent, ADSL.RFICDT); the stage-1 count is the CR/CRi among them. "
        "Efficacy-evaluable (ADSL.EFFFL) means treated and either assessed after the first "
        "dose or dead before any assessment; a patient whose primary assessment window is "
        "still open is not counted yet. Stage 1 is incomplete while a patient consented on or "
        f"before the day of the {n1}th evaluable patient may still become evaluable (primary "
        "window open, or on study without a first dose or a response assessment). Patients "
        "consented on the same day are not ordered further: if they straddle the end of "
        "stage 1 and differ in response, the stage-1 count is reported as undetermined. The "
        "interim monitoring and the primary analysis use this one definition."
    )


@dataclass(frozen=True)
class Stage1Cohort:
    """The stage-1 cohort at a data cut, or why it is not settled.

    Attributes
    ----------
    n1 : int
        Stage-1 size of the design.
    evaluable : tuple of str
        Every efficacy-evaluable patient whose primary response is known, in enrolment order
        (same-day consents listed by USUBJID, which is not an order; missing dates last).
    responders : frozenset of str
        The CR/CRi among ``evaluable`` (ADRS.CRPRIM = ``Y``).
    awaiting_assessment : tuple of str
        Patients whose primary assessment window is still open (the ``pending`` given).
    not_yet_evaluable : tuple of str
        Patients still on study who are not evaluable yet: no first dose, or no response
        assessment yet.
    members : tuple of str
        Evaluable patients certainly in stage 1 (all of it once stage 1 is settled, unless
        same-day consents share its last places).
    count : int or None
        Responders in stage 1; None while stage 1 is incomplete or its count undetermined.
    status : str
        Empty when ``count`` is known; otherwise why it is not, in one or two sentences.
    """

    n1: int
    evaluable: tuple[str, ...]
    responders: frozenset[str]
    awaiting_assessment: tuple[str, ...]
    not_yet_evaluable: tuple[str, ...]
    members: tuple[str, ...]
    count: int | None
    status: str

    @property
    def unsettled(self) -> tuple[str, ...]:
        """Everyone who may still join the evaluable population."""
        return self.awaiting_assessment + self.not_yet_evaluable


def _ordered(ids: pd.Series, dates: pd.Series) -> list[str]:
    frame = pd.DataFrame({"id": ids.astype(str).to_numpy(), "date": dates.to_numpy()})
    frame = frame.sort_values(["date", "id"], na_position="last", kind="stable")
    return [str(u) for u in frame["id"]]


def _list(ids: Collection[str]) -> str:
    return ", ".join(sorted(ids))


def stage1_cohort(
    adsl: pd.DataFrame, adrs: pd.DataFrame, *, n1: int, pending: Collection[str] = ()
) -> Stage1Cohort:
    """Decide the stage-1 cohort and its responder count (module docstring).

    Parameters
    ----------
    adsl : DataFrame
        USUBJID, EFFFL, EOSSTT and (to order patients) RFICDT. Without RFICDT the count is
        reported as not identifiable rather than guessed.
    adrs : DataFrame
        USUBJID, PARAMCD, AVALC; the CRPRIM rows give the primary response.
    n1 : int
        Stage-1 size (``TRIAL_DESIGN.n1``).
    pending : collection of str
        Subjects whose primary window is still open at the cut-off
        (:func:`inodli.report.monitoring.primary_pending`).

    Returns
    -------
    Stage1Cohort

    References
    ----------
    .. [1] Simon R. Optimal two-stage designs for phase II clinical trials. Controlled Clinical
       Trials 1989;10:1-10 (stage 1 = the first n1 evaluable patients).
    """
    require_columns(adsl, "adsl", ["USUBJID", "EFFFL", "EOSSTT"])
    require_columns(adrs, "adrs", ["USUBJID", "PARAMCD", "AVALC"])
    ids = adsl["USUBJID"].astype(str)
    waiting = ids.isin({str(u) for u in pending})
    efficacy = flag(adsl["EFFFL"])
    on_study = adsl["EOSSTT"].fillna("").astype(str).str.upper().eq("ONGOING")
    known = efficacy & ~waiting
    # Not evaluable yet but still followed: a first dose or an assessment may still come,
    # and EFFFL would then turn to Y.
    later = ~efficacy & ~waiting & on_study
    dates = (
        pd.to_datetime(adsl["RFICDT"], errors="coerce")
        if "RFICDT" in adsl.columns
        else pd.Series(pd.NaT, index=adsl.index)
    )
    evaluable = _ordered(ids[known], dates[known])
    primary = adrs[adrs["PARAMCD"] == "CRPRIM"]
    responded = {str(u) for u in primary.loc[flag(primary["AVALC"]), "USUBJID"]}
    responders = frozenset(responded & set(evaluable))
    base = Stage1Cohort(
        n1=n1,
        evaluable=tuple(evaluable),
        responders=responders,
        awaiting_assessment=tuple(_ordered(ids[waiting], dates[waiting])),
        not_yet_evaluable=tuple(_ordered(ids[later], dates[later])),
        members=(),
        count=None,
        status="",
    )
    if len(evaluable) < n1:
        # Every evaluable patient is in stage 1 whatever the order: it is not full yet.
        return replace(
            base,
            members=tuple(evaluable),
            count=None,
            status=f"stage 1 is not complete ({len(evaluable)} of {n1} evaluable).",
        )
    unsettled = waiting | later
    if "RFICDT" not in adsl.columns:
        return replace(
            base,
            members=(),
            count=None,
            status="ADSL has no enrolment date (RFICDT), so stage 1 cannot be identified.",
        )
    undated_evaluable = int(dates[known].isna().sum())
    undated_unsettled = int(dates[unsettled].isna().sum())
    if undated_evaluable or undated_unsettled:
        parts = []
        if undated_evaluable:
            parts.append(f"{undated_evaluable} evaluable patient(s) have no enrolment date")
        if undated_unsettled:
            parts.append(
                f"{undated_unsettled} patient(s) who may still become evaluable have no "
                "enrolment date"
            )
        return replace(
            base,
            members=(),
            count=None,
            status=f"{' and '.join(parts)} (RFICDT), so stage 1 cannot be identified.",
        )
    day = dict(zip(ids, dates, strict=True))
    last_day = day[evaluable[n1 - 1]]
    blocking = [u for u in ids[unsettled] if day[u] <= last_day]
    if blocking:
        first_open = min(day[u] for u in blocking)
        reasons = []
        early_waiting = [u for u in blocking if u in base.awaiting_assessment]
        early_later = [u for u in blocking if u not in early_waiting]
        if early_waiting:
            reasons.append(f"{_list(early_waiting)} still await(s) the primary assessment")
        if early_later:
            reasons.append(
                f"{_list(early_later)} is/are on study without a first dose or a response "
                "assessment yet"
            )
        return replace(
            base,
            members=tuple(u for u in evaluable if day[u] < first_open),
            count=None,
            status=(
                f"stage 1 is not complete: {'; '.join(reasons)}, and was consented on or "
                f"before {last_day.date()}, the enrolment day of the {n1}th evaluable "
                "patient, so may yet belong to stage 1."
            ),
        )
    before = [u for u in evaluable if day[u] < last_day]
    same_day = [u for u in evaluable if day[u] == last_day]
    taken = n1 - len(before)
    counted = sum(u in responders for u in before)
    tied_responders = sum(u in responders for u in same_day)
    # Patients sharing the last stage-1 enrolment day: the count is fixed only when every
    # choice of `taken` of them gives the same number of responders.
    fewest = max(0, taken - (len(same_day) - tied_responders))
    most = min(taken, tied_responders)
    members = tuple(before + same_day) if taken == len(same_day) else tuple(before)
    if fewest != most:
        return replace(
            base,
            members=members,
            count=None,
            status=(
                f"{len(same_day)} patients enrolled on {last_day.date()} straddle the end of "
                "stage 1 and differ in response; the order of enrolment within the day is not "
                f"recorded, so the stage-1 count is undetermined ({counted + fewest} to "
                f"{counted + most})."
            ),
        )
    return replace(base, members=members, count=counted + fewest)
