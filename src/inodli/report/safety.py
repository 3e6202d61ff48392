"""Adverse-event incidence by system organ class and term at each subject's worst grade.

A subject counts once per term (at the worst grade of that term) and once per system organ
class; the denominator is the safety population (any InO received). Only treatment-emergent
events (ADAE.TRTEMFL = 'Y') are counted. "Related" means related to InO or to DLI.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from inodli.report._frames import dli_group, flag, percent, require_columns

__all__ = ["AE_COLUMNS", "AeColumns", "ae_incidence", "ae_incidence_display"]

CATEGORIES = ("Any grade", "Grade >=3", "Serious", "Related")
ALL_SOCS = "Any adverse event"


@dataclass(frozen=True)
class AeColumns:
    """Where ADAE keeps each item (the names :mod:`inodli.adam` derives)."""

    soc: str = "AESOC"
    term: str = "AETERM"
    grade: str = "ATOXGR"
    serious: str = "AESER"
    related: tuple[str, ...] = ("ARELFL",)
    emergent: str = "TRTEMFL"


AE_COLUMNS = AeColumns()


def _subject_flags(adae: pd.DataFrame, cols: AeColumns) -> pd.DataFrame:
    """Per record: the four category flags."""
    grade = pd.to_numeric(adae[cols.grade], errors="coerce").fillna(0)
    related = pd.Series(False, index=adae.index)
    for column in cols.related:
        if column in adae.columns:
            related |= flag(adae[column])
    return pd.DataFrame(
        {
            "USUBJID": adae["USUBJID"],
            "soc": adae[cols.soc].astype(str),
            "term": adae[cols.term].astype(str),
            "Any grade": True,
            "Grade >=3": grade >= 3,
            "Serious": flag(adae[cols.serious]),
            "Related": related,
        }
    )


def ae_incidence(
    adae: pd.DataFrame,
    adsl: pd.DataFrame,
    *,
    by_dli: bool = False,
    columns: AeColumns = AE_COLUMNS,
) -> pd.DataFrame:
    """Number of subjects with each SOC and term, in each category, per group.

    Parameters
    ----------
    adae : DataFrame
        USUBJID, system organ class, term, grade, serious, relatedness and TRTEMFL columns
        (names in ``columns``).
    adsl : DataFrame
        USUBJID, SAFFL (the denominator) and, for ``by_dli``, DLIFL.
    by_dli : bool
        Count within "DLI" and "No DLI" as well as "All".

    Returns
    -------
    DataFrame
        Columns ``group, N, soc, term, Any grade, Grade >=3, Serious, Related`` (counts of
        subjects); ``term`` is "" on the SOC rows and the first row of each group (``soc`` =
        "Any adverse event") counts subjects with any event. Sorted by descending any-grade
        count within the group, then alphabetically.
    """
    require_columns(adsl, "adsl", ["USUBJID", "SAFFL"])
    wanted = ["USUBJID", columns.soc, columns.term, columns.grade, columns.serious]
    require_columns(adae, "adae", [*wanted, columns.emergent])
    safety = adsl[flag(adsl["SAFFL"])]
    events = adae[flag(adae[columns.emergent]) & adae["USUBJID"].isin(safety["USUBJID"])]
    records = _subject_flags(events, columns)
    groups = {"All": set(safety["USUBJID"])}
    if by_dli:
        labels = dli_group(safety)
        groups.update({g: set(labels.index[labels == g]) for g in ("DLI", "No DLI")})
    frames = []
    for group, ids in groups.items():
        mine = records[records["USUBJID"].isin(ids)]
        frames.append(_count_group(mine, group, len(ids)))
    return pd.concat(frames, ignore_index=True)


def _count_group(records: pd.DataFrame, group: str, n: int) -> pd.DataFrame:
    cats = list(CATEGORIES)

    def subjects(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        per_subject = frame.groupby([*keys, "USUBJID"])[cats].any()
        return per_subject.groupby(level=keys).sum().astype(int).reset_index()

    overall = records.groupby("USUBJID")[cats].any().sum().astype(int)
    top = pd.DataFrame([{"soc": ALL_SOCS, "term": "", **overall.to_dict()}])
    if records.empty:
        top[cats] = 0
        out = top
    else:
        soc = subjects(records, ["soc"]).assign(term="")
        term = subjects(records, ["soc", "term"])
        soc = soc.sort_values(["Any grade", "soc"], ascending=[False, True])
        pieces = [top]
        for name in soc["soc"]:
            pieces.append(soc[soc["soc"] == name])
            terms = term[term["soc"] == name].sort_values(
                ["Any grade", "term"], ascending=[False, True]
            )
            pieces.append(terms)
        out = pd.concat(pieces, ignore_index=True)
    out.insert(0, "N", n)
    out.insert(0, "group", group)
    return out[["group", "N", "soc", "term", *cats]]


def ae_incidence_display(counts: pd.DataFrame, group: str = "All") -> pd.DataFrame:
    """The counts of one group as 'n (%)' strings, SOC rows first, terms indented."""
    rows = counts[counts["group"] == group]
    if rows.empty:
        return pd.DataFrame(columns=["System organ class / term", *CATEGORIES])
    n = int(rows["N"].iloc[0])
    label = [
        soc if term == "" else f"\u2003{term}"
        for soc, term in zip(rows["soc"], rows["term"], strict=True)
    ]
    out = pd.DataFrame({f"System organ class / term (N = {n})": label})
    for cat in CATEGORIES:
        out[cat] = [percent(int(v), n) for v in rows[cat]]
    return out
