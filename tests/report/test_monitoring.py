"""Counts for the monitoring rules (hand counts on literal frames) and the design's decision.

Stage 1 itself (who forms it, pending patients, ties) is tested in ``test_stage1.py``.
"""

from __future__ import annotations

import pandas as pd

from inodli.report.monitoring import MonitoringCounts, monitoring_counts, monitoring_status

T0 = pd.Timestamp("2025-01-01")


def _frames(n: int, responders: set[int]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    ids = [f"S{i:02d}" for i in range(1, n + 1)]
    adsl = pd.DataFrame(
        {
            "USUBJID": ids,
            "SAFFL": "Y",
            "DLIFL": ["Y" if i <= 3 else "N" for i in range(1, n + 1)],
            "DLIDT": [T0 + pd.Timedelta(days=40) if i <= 3 else pd.NaT for i in range(1, n + 1)],
            "TRTSDT": [T0 + pd.Timedelta(days=10 * i) for i in range(1, n + 1)],
            # consented a week before the first dose, in subject order
            "RFICDT": [T0 + pd.Timedelta(days=10 * i - 7) for i in range(1, n + 1)],
            "EFFFL": "Y",
            "EOSSTT": "ONGOING",
        }
    )
    adrs = pd.DataFrame(
        {"USUBJID": ids, "PARAMCD": "CRPRIM",
         "AVALC": ["Y" if i in responders else "N" for i in range(1, n + 1)]}
    )  # fmt: skip
    adae = pd.DataFrame(
        [
            ("S01", "Sinusoidal obstruction syndrome", 3, T0 + pd.Timedelta(days=20), "Y"),
            ("S01", "Sinusoidal obstruction syndrome", 4, T0 + pd.Timedelta(days=25), "Y"),
            ("S04", "Hepatic veno-occlusive disease", 2, T0 + pd.Timedelta(days=60), "Y"),
            ("S05", "Sinusoidal obstruction syndrome", 3, T0 + pd.Timedelta(days=60), "N"),
            # aGVHD: S02 grade 3 after DLI (counts), S03 grade 3 before DLI (not), S01 grade 2
            ("S02", "Acute graft versus host disease", 3, T0 + pd.Timedelta(days=50), "Y"),
            ("S03", "Acute graft versus host disease", 3, T0 + pd.Timedelta(days=30), "Y"),
            ("S01", "Acute graft versus host disease", 2, T0 + pd.Timedelta(days=70), "Y"),
        ],
        columns=["USUBJID", "AETERM", "ATOXGR", "ASTDT", "TRTEMFL"],
    )
    return adsl, adrs, adae


def test_it_counts_the_events_each_rule_monitors() -> None:
    counts = monitoring_counts(*_frames(12, {1, 2, 3, 5, 6, 11}))
    # responses: 6 of 12; the first 10 by consent (S01-S10) hold S01 S02 S03 S05 S06 -> 5
    assert (counts.responses, counts.evaluable, counts.stage1_responses) == (6, 12, 5)
    # VOD: S01 (twice, once counted) and S04; S05's event is not treatment-emergent
    assert (counts.vod_events, counts.vod_patients) == (2, 12)
    # aGVHD III-IV after DLI among S01-S03: only S02
    assert (counts.agvhd_events, counts.agvhd_patients) == (1, 3)


def test_it_has_no_stage_one_count_before_ten_are_evaluable() -> None:
    counts = monitoring_counts(*_frames(6, {1}))
    assert counts.stage1_responses is None


def test_it_lets_the_design_decide_futility() -> None:
    # TRIAL_DESIGN stage 1: stop if <= 4 of the first 10 respond (inodli.design.trial)
    counts = MonitoringCounts(4, 10, 4, 0, 10, 0, 2)
    status = monitoring_status(counts)
    assert status.decision == "stop: futility"
    assert status.boundary_crossed


def test_it_lets_the_design_stop_for_vod() -> None:
    counts = MonitoringCounts(6, 10, 6, 8, 12, 0, 2)
    status = monitoring_status(counts)
    assert status.decision == "stop: VOD/SOS"
    assert any("STOP for safety" in line for line in status.explanation)


def test_it_leaves_out_patients_whose_primary_window_is_still_open() -> None:
    import datetime as dt

    from inodli.adam.adrs import PrimaryWindow
    from inodli.report.monitoring import primary_pending

    day = pd.Timestamp
    adrs = pd.DataFrame(
        {
            "USUBJID": ["S01", "S02", "S03"],
            "PARAMCD": "CRPRIM",
            "AVALC": ["Y", "N", "N"],
            # S02: no assessment in a window that closed (missed); S03: window still open
            "ADT": [day("2025-03-01"), pd.NaT, pd.NaT],
        }
    )
    windows = {
        "S01": PrimaryWindow("S01", day("2025-03-01"), day("2025-02-22"), day("2025-03-08")),
        "S02": PrimaryWindow("S02", day("2025-04-01"), day("2025-03-25"), day("2025-04-08")),
        "S03": PrimaryWindow("S03", day("2025-05-01"), day("2025-04-24"), day("2025-05-08")),
    }
    assert primary_pending(adrs, windows, dt.date(2025, 5, 1)) == {"S03"}
    assert primary_pending(adrs, windows, dt.date(2025, 5, 8)) == frozenset()
    adsl, _, adae = _frames(3, set())
    counts = monitoring_counts(adsl, adrs, adae, pending={"S03"})
    assert (counts.responses, counts.evaluable) == (1, 2)


def test_it_counts_no_acute_gvhd_before_anyone_has_received_dli() -> None:
    # early in the trial: nobody has had DLI yet (S02's aGVHD grade 3 is before any DLI)
    adsl, adrs, adae = _frames(4, {1})
    adsl = adsl.assign(DLIFL="N", DLIDT=pd.NaT)
    counts = monitoring_counts(adsl, adrs, adae)
    assert (counts.agvhd_events, counts.agvhd_patients) == (0, 0)
    assert (counts.vod_events, counts.vod_patients) == (2, 4)
