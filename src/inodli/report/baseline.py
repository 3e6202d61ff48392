"""Baseline characteristics (overall and by DLI) and the CONSORT-style participant flow."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from inodli.report._frames import dli_group, flag, percent, require_columns

__all__ = ["BASELINE_ITEMS", "BaselineItem", "ConsortCounts", "baseline_table", "consort_counts"]


@dataclass(frozen=True)
class BaselineItem:
    """One ADSL variable of the baseline table: continuous (median, range) or categorical."""

    label: str
    column: str
    continuous: bool
    levels: tuple[str, ...] = ()
    scale: float = 1.0  # divide by this before summarising (days -> months)


BASELINE_ITEMS = (
    BaselineItem("Age, years", "AGE", True),
    BaselineItem("Sex", "SEX", False, ("M", "F")),
    BaselineItem("Disease", "DISTYPE", False, ("B-ALL", "LBL")),
    BaselineItem("Philadelphia chromosome", "PHSTAT", False, ("POSITIVE", "NEGATIVE", "UNKNOWN")),
    BaselineItem("CD22-positive blasts, %", "CD22PCT", True),
    BaselineItem("Marrow blasts at baseline, %", "BLASTBL", True),
    BaselineItem("Donor type", "DONORTYP", False),
    BaselineItem("HSCT to relapse, months", "HSCTRLD", True, scale=365.25 / 12),
    BaselineItem("InO cycles received", "NCYCLES", True),
)


def _continuous(values: pd.Series, scale: float = 1.0) -> str:
    numbers = pd.to_numeric(values, errors="coerce").dropna() / scale
    if numbers.empty:
        return "-"
    return f"{np.median(numbers):.1f} ({numbers.min():.1f} to {numbers.max():.1f})"


def _level_label(level: str) -> str:
    """'MATCHED SIBLING' -> 'Matched sibling'; codes such as 'B-ALL', 'LBL', 'M' stay as they are."""
    if level.isupper() and len(level) > 4 and "-" not in level:
        return level.capitalize()
    return level


def baseline_table(
    adsl: pd.DataFrame, *, items: tuple[BaselineItem, ...] = BASELINE_ITEMS
) -> pd.DataFrame:
    """Baseline characteristics of the safety population: All, DLI, No DLI.

    Continuous variables as median (range), categorical as n (%) per level, with a
    "missing" row only when values are missing. Items whose column ADSL lacks are skipped.

    Returns
    -------
    DataFrame
        Columns ``Characteristic, All (N = n), DLI (N = n), No DLI (N = n)``.
    """
    require_columns(adsl, "adsl", ["USUBJID", "SAFFL", "DLIFL"])
    safety = adsl[flag(adsl["SAFFL"])]
    labels = dli_group(safety)
    groups = {
        "All": safety,
        "DLI": safety[safety["USUBJID"].map(labels).eq("DLI").to_numpy()],
        "No DLI": safety[safety["USUBJID"].map(labels).eq("No DLI").to_numpy()],
    }
    headers = {g: f"{g} (N = {len(frame)})" for g, frame in groups.items()}
    rows: list[dict[str, str]] = []
    for item in items:
        if item.column not in safety.columns:
            continue
        if item.continuous:
            row = {"Characteristic": f"{item.label}, median (range)"}
            row.update(
                {headers[g]: _continuous(f[item.column], item.scale) for g, f in groups.items()}
            )
            rows.append(row)
            continue
        rows.append({"Characteristic": item.label, **dict.fromkeys(headers.values(), "")})
        present = safety[item.column].replace("", np.nan).dropna().astype(str)
        levels = list(item.levels) or sorted(present.unique())
        levels += sorted(set(present.unique()) - set(levels))
        for level in levels:
            row = {"Characteristic": f"\u2003{_level_label(level)}"}
            for g, frame in groups.items():
                count = int(frame[item.column].astype(str).eq(level).sum())
                row[headers[g]] = percent(count, len(frame))
            rows.append(row)
        missing = {
            g: int(f[item.column].replace("", np.nan).isna().sum()) for g, f in groups.items()
        }
        if any(missing.values()):
            row = {"Characteristic": "\u2003Missing"}
            row.update({headers[g]: percent(missing[g], len(f)) for g, f in groups.items()})
            rows.append(row)
    return pd.DataFrame(rows, columns=["Characteristic", *headers.values()])


@dataclass(frozen=True)
class ConsortCounts:
    """Participant flow from enrolment to analysis (counts of subjects)."""

    enrolled: int
    not_treated: int
    treated: int
    evaluable: int
    not_evaluable: int
    dli: int
    no_dli: int
    died: int
    discontinued: int
    in_follow_up: int

    def boxes(self) -> list[tuple[str, str]]:
        """(stage, text) for each box of the flow diagram, top to bottom."""
        return [
            ("Enrolment", f"Enrolled (consented)\nn = {self.enrolled}"),
            ("Allocation", f"Received InO (safety population)\nn = {self.treated}"),
            ("Exclusion", f"Not treated\nn = {self.not_treated}"),
            ("DLI", f"Received DLI\nn = {self.dli}"),
            ("No DLI", f"No DLI\nn = {self.no_dli}"),
            (
                "Follow-up",
                f"Died n = {self.died}\nDiscontinued n = {self.discontinued}\n"
                f"In follow-up n = {self.in_follow_up}",
            ),
            ("Analysis", f"Evaluable for CR/CRi at 1 month\nn = {self.evaluable}"),
            ("Not evaluable", f"Not evaluable\nn = {self.not_evaluable}"),
        ]

    def as_table(self) -> pd.DataFrame:
        treated = self.treated
        return pd.DataFrame(
            [
                ("Enrolled (consented)", str(self.enrolled)),
                ("Not treated", str(self.not_treated)),
                ("Received InO (safety population)", str(treated)),
                ("Received DLI", percent(self.dli, treated)),
                ("No DLI", percent(self.no_dli, treated)),
                ("Evaluable for the primary endpoint", percent(self.evaluable, treated)),
                ("Not evaluable", percent(self.not_evaluable, treated)),
                ("Died", percent(self.died, treated)),
                ("Discontinued follow-up (alive)", percent(self.discontinued, treated)),
                ("Alive in follow-up at cut-off", percent(self.in_follow_up, treated)),
            ],
            columns=["Stage", "Subjects"],
        )


def consort_counts(adsl: pd.DataFrame) -> ConsortCounts:
    """Counts for the flow diagram from ADSL's population flags and end-of-study status.

    Reads USUBJID, SAFFL, EFFFL, DLIFL, DTHFL and EOSSTT ('DISCONTINUED' = left the study
    alive; anything else alive = in follow-up). Deaths and discontinuations count among
    treated subjects only.
    """
    require_columns(adsl, "adsl", ["USUBJID", "SAFFL", "EFFFL", "DLIFL", "DTHFL"])
    treated = adsl[flag(adsl["SAFFL"])]
    died = flag(treated["DTHFL"])
    if "EOSSTT" in treated.columns:
        left = treated["EOSSTT"].astype(str).str.upper().eq("DISCONTINUED") & ~died
    else:
        left = pd.Series(False, index=treated.index)
    dli = int(flag(treated["DLIFL"]).sum())
    evaluable = int(flag(treated["EFFFL"]).sum())
    return ConsortCounts(
        enrolled=len(adsl),
        not_treated=len(adsl) - len(treated),
        treated=len(treated),
        evaluable=evaluable,
        not_evaluable=len(treated) - evaluable,
        dli=dli,
        no_dli=len(treated) - dli,
        died=int(died.sum()),
        discontinued=int(left.sum()),
        in_follow_up=int((~died & ~left).sum()),
    )
