"""The clinical course of the demo patients, recorded through the clinical apps' services.

Filled in as the treatment, assessments and safety apps land; each step runs only when its app
is installed, so the demo always works with what exists.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.apps import apps

__all__ = ["record_clinical_course"]


def record_clinical_course(
    patients: list[Any], users: dict[str, Any], rng: random.Random, today: dt.date
) -> dict[str, int]:
    """Record treatment, assessments and safety for ``patients``; returns counts per record type."""
    counts: dict[str, int] = {}
    if not apps.is_installed("inodli.edc.treatment"):
        return counts
    return counts
