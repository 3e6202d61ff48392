"""Upper plausibility limits for blood counts in 10^9/L (``rules/plausible_counts.toml``).

An input guard shared by the response and dose-modification functions, so a count typed per
mm3 (800 for 0.8 x 10^9/L) is refused with the unit named instead of read as a recovery.
"""

from __future__ import annotations

from functools import cache

from inodli.protocol._ruletable import RuleTableError, load_rule_table

__all__ = ["count_limit"]


@cache
def _limits() -> dict[str, float]:
    data = load_rule_table("plausible_counts")
    try:
        return {str(name): float(limit) for name, limit in data["max_per_nl"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise RuleTableError(f"rule table 'plausible_counts' is malformed: {error!r}") from error


def count_limit(kind: str) -> float:
    """Largest plausible count of ``kind`` (anc, platelets, blasts, wbc, lymphocytes), x 10^9/L."""
    limits = _limits()
    if kind not in limits:
        raise RuleTableError(f"plausible_counts has no limit for {kind!r}")
    return limits[kind]
