"""Label Table 4 (dose modification by how long dosing was interrupted): NOT verified.

The Pfizer label page confirms that Table 4 exists ("Modify the dose of BESPONSA for
toxicities (see Tables 2-4)"), but none of the retrieved sources showed its rows. The rows in
``rules/ino_dose_modification.toml`` ``[table4]`` are recalled (clinical-facts 1.4, tag [M]).
So :func:`interruption_guidance` returns *no rule* by default; only with
``use_unverified_table4=True`` does it return the recalled row, marked ``verified=False``.
Once the label text is checked, set ``verified = true`` in the rule table.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from inodli.errors import InputError
from inodli.protocol._dosing_inputs import as_flag
from inodli.protocol._ruletable import RuleTableError, load_rule_table

__all__ = ["InterruptionGuidance", "interruption_guidance"]


@dataclass(frozen=True)
class _Table4Row:
    rule_id: str
    min_days: int
    max_days: int
    action: str
    recalled_text: str


@dataclass(frozen=True)
class _Table4:
    verified: bool
    rows: tuple[_Table4Row, ...]


@cache
def _table4() -> _Table4:
    data = load_rule_table("ino_dose_modification")
    try:
        section = data["table4"]
        table = _Table4(
            verified=section["verified"],
            rows=tuple(
                _Table4Row(
                    str(row["rule_id"]),
                    int(row["min_days"]),
                    int(row["max_days"]),
                    str(row["action"]),
                    str(row["recalled_text"]),
                )
                for row in section["rows"]
            ),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise RuleTableError(f"ino_dose_modification [table4] is malformed: {error!r}") from error
    if not isinstance(table.verified, bool):
        raise RuleTableError("ino_dose_modification [table4] verified must be a bool")
    return table


@dataclass(frozen=True)
class InterruptionGuidance:
    """What label Table 4 says for an interruption of ``days`` (when it may be used at all)."""

    days: int
    verified: bool
    rule_id: str | None
    action: str
    text: str


def interruption_guidance(
    days: Any, *, use_unverified_table4: bool = False
) -> InterruptionGuidance:
    """Guidance for a dosing interruption of ``days`` days for toxicity (label Table 4).

    Table 4 could not be verified against the label text (see the rule table), so by default
    this returns *no rule*: the investigator decides from the label itself. With
    ``use_unverified_table4=True`` the recalled row is returned, marked ``verified=False``.

    Examples
    --------
    >>> interruption_guidance(15).rule_id is None
    True
    """
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise InputError("days", "an integer >= 0 (days of interruption)", days)
    table = _table4()
    verified = table.verified
    if not (verified or as_flag(use_unverified_table4, "use_unverified_table4")):
        return InterruptionGuidance(
            days, False, None, "investigator decision",
            "Label Table 4 is not encoded: its text could not be verified. Apply the label "
            "(section 2.3, Table 4) by hand and record the decision.",
        )  # fmt: skip
    for row in table.rows:
        if row.min_days <= days <= row.max_days:
            text = row.recalled_text
            prefix = "" if verified else "UNVERIFIED (recalled, not checked against the label): "
            return InterruptionGuidance(days, verified, row.rule_id, row.action, prefix + text)
    raise RuleTableError(f"ino_dose_modification table4 has no row for {days} days")
