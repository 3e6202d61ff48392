"""Records the clinical tests build through the services (the same calls as the forms).

Reference ranges are typical adult SI ranges, chosen for the tests (not clinical advice):
bilirubin ULN 21 umol/L, AST ULN 40 U/L, ALT ULN 40 U/L.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from inodli.edc.assessments.services import record_labs

NORMAL_LIVER = {"bilirubin": (10.0, 3.0, 21.0), "ast": (25.0, 10.0, 40.0), "alt": (30.0, 7.0, 40.0)}


def liver_tests(
    subject: Any, user: Any, on: dt.date, **values: tuple[float, float | None, float | None]
) -> Any:
    """A liver panel on ``on``: normal values unless given (``bilirubin=(40, 3, 21)``)."""
    return record_labs(subject, user, collected_on=on, results={**NORMAL_LIVER, **values})


def blood_count(
    subject: Any,
    user: Any,
    on: dt.date,
    *,
    anc: float,
    platelets: float,
    pb_blasts_pct: float = 0.0,
) -> Any:
    return record_labs(
        subject,
        user,
        collected_on=on,
        results={
            "anc": (anc, 1.8, 6.3),
            "platelets": (platelets, 125.0, 350.0),
            "pb_blasts_pct": (pb_blasts_pct, None, None),
        },
    )


def remission_after_cycle_1(subject: Any, user: Any, on: dt.date, *, in_remission: bool) -> Any:
    """Marrow, blood count, no extramedullary disease and the response after cycle 1.

    In remission: marrow blasts 2%, ANC 1.5, platelets 150 (CR by the trial record's
    definition: blasts <=5%, platelets >100 and ANC >1 x 10^9/L). Not: marrow blasts 30%.
    """
    from inodli.edc.assessments.services import (
        record_extramedullary,
        record_marrow,
        record_response,
    )

    record_marrow(
        subject, user, sampled_on=on, blast_pct=2.0 if in_remission else 30.0,
        mrd_level_pct=0.0, mrd_sensitivity_pct=0.01,
    )  # fmt: skip
    blood_count(subject, user, on, anc=1.5, platelets=150.0)
    record_extramedullary(subject, user, assessed_on=on, method="clinical", status="none")
    return record_response(subject, user, assessed_on=on, after_cycle=1)
