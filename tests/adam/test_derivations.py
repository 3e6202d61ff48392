"""ADSL, ADRS, ADTTE and ADAE of the literal study, compared by USUBJID (and PARAMCD).

Every expected value is worked out by hand from the dates in tests/adam/literal.py; the
arithmetic is in the comments (day counts: Jan 31, Feb 28 in 2025, 2024 is a leap year).
"""

from __future__ import annotations

import pandas as pd
import pytest
from tests.adam.literal import literal_frames, literal_study

from inodli.adam.adae import derive_adae
from inodli.adam.adrs import PrimaryWindow, derive_adrs, derive_param_crprim
from inodli.adam.adsl import derive_adsl
from inodli.adam.adtte import derive_adtte
from inodli.errors import InputError


@pytest.fixture(scope="module")
def raw():  # type: ignore[no-untyped-def]
    return literal_study()


@pytest.fixture(scope="module")
def adsl(raw):  # type: ignore[no-untyped-def]
    return derive_adsl(raw)


def _by_key(frame: pd.DataFrame, keys: list[str], columns: list[str]) -> dict[tuple, tuple]:
    return {tuple(r[k] for k in keys): tuple(r[c] for c in columns) for _, r in frame.iterrows()}


def test_it_derives_populations_and_dates(adsl: pd.DataFrame) -> None:
    got = _by_key(adsl, ["USUBJID"], ["SAFFL", "EFFFL", "DLIFL", "DTHFL", "EOSSTT", "DCSREAS"])
    assert got == {
        ("S01",): ("Y", "Y", "N", "N", "ONGOING", ""),
        ("S02",): ("Y", "Y", "N", "N", "DISCONTINUED", "LOST TO FOLLOW-UP"),
        ("S03",): ("Y", "Y", "N", "Y", "DISCONTINUED", "DEATH"),
        ("S04",): ("Y", "Y", "Y", "Y", "DISCONTINUED", "DEATH"),
        ("S05",): ("Y", "Y", "N", "N", "ONGOING", ""),
        ("S06",): ("N", "N", "N", "N", "ONGOING", ""),  # never dosed
        ("S07",): ("Y", "N", "N", "N", "DISCONTINUED", "WITHDRAWAL"),  # no assessment, alive
    }
    s01 = adsl.set_index("USUBJID").loc["S01"]
    # EX: 0.8 + 0.5 + 0.5 + 0.5 mg/m2 from 2025-01-01 to 2025-01-22 (22 days inclusive).
    assert (s01["TRTSDT"], s01["TRTEDT"]) == (
        pd.Timestamp("2025-01-01"),
        pd.Timestamp("2025-01-22"),
    )
    assert (s01["TRTDURD"], s01["NDOSES"], s01["NCYCLES"]) == (22.0, 4.0, 2.0)
    assert s01["CUMDOSE"] == pytest.approx(2.3, abs=1e-12)
    # 2022-01-15 to 2022-11-20: 16 (rest of Jan) + 273 (Feb-Oct) + 20 = 309 days.
    assert s01["HSCTRLD"] == 309.0


def test_it_traces_last_known_alive_to_its_record(adsl: pd.DataFrame) -> None:
    got = _by_key(adsl, ["USUBJID"], ["LSTALVDT", "LALVDOM", "LALVVAR"])
    assert got[("S01",)] == (pd.Timestamp("2025-07-20"), "DS", "DSSTDTC")  # LAST KNOWN ALIVE
    # lost to follow-up 2025-05-01 is not a contact; the AE end 2025-03-20 is the last one
    assert got[("S02",)] == (pd.Timestamp("2025-03-20"), "AE", "AEENDTC")
    assert got[("S03",)] == (pd.Timestamp("2025-04-15"), "DM", "DTHDTC")
    assert got[("S06",)] == (pd.Timestamp("2022-12-01"), "DM", "RFICDTC")


def test_it_derives_responses(raw, adsl: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    adrs = derive_adrs(adsl, raw)
    summary = adrs[adrs["PARAMCD"] != "OVRLRESP"]
    got = _by_key(summary, ["USUBJID", "PARAMCD"], ["AVALC", "SRCDOM", "SRCSEQ"])
    nan = got[("S02", "CRCRI")][2]
    expected = {
        # S01: CRi day 21, CR 2025-03-07 = Day 66, the PRIMARY target for a first dose
        # 2025-01-01 with cycle 2 on Day 22 (22 + 14 + 30 = Day 66), window Days 59-73.
        ("S01", "BOR"): ("CR", "RS", 2.0),
        ("S01", "CRCRI"): ("Y", "RS", 1.0),
        ("S01", "CRPRIM"): ("Y", "RS", 2.0),
        ("S01", "MRDNEG"): ("Y", "MB", 1.0),
        ("S02", "BOR"): ("REFRACTORY", "RS", 1.0),
        ("S02", "CRCRI"): ("N", "", nan),
        ("S02", "CRPRIM"): ("N", "", nan),
        ("S02", "MRDNEG"): ("N", "", nan),
        # S03: CR on Day 22 but no assessment in the window 2025-03-09..03-23 -> N
        ("S03", "BOR"): ("CR", "RS", 1.0),
        ("S03", "CRCRI"): ("Y", "RS", 1.0),
        ("S03", "CRPRIM"): ("N", "", nan),
        ("S03", "MRDNEG"): ("N", "", nan),
        ("S04", "BOR"): ("CR", "RS", 1.0),
        ("S04", "CRCRI"): ("Y", "RS", 1.0),
        ("S04", "CRPRIM"): ("Y", "RS", 2.0),
        ("S04", "MRDNEG"): ("N", "", nan),  # MRD positive
        ("S05", "BOR"): ("CR", "RS", 1.0),
        ("S05", "CRCRI"): ("Y", "RS", 1.0),
        ("S05", "CRPRIM"): ("N", "", nan),
        ("S05", "MRDNEG"): ("N", "", nan),
        ("S07", "BOR"): ("NE", "", nan),
        ("S07", "CRCRI"): ("N", "", nan),
        ("S07", "CRPRIM"): ("N", "", nan),
        ("S07", "MRDNEG"): ("N", "", nan),
    }
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key][:2] == value[:2], key
        assert got[key][2] == value[2] or (pd.isna(got[key][2]) and pd.isna(value[2])), key
    assert len(adrs[adrs["PARAMCD"] == "OVRLRESP"]) == 11  # every RS record is post-dose


def test_it_counts_a_relapse_before_the_primary_window_as_failure(adsl: pd.DataFrame) -> None:
    frames = literal_frames()
    extra = {
        "USUBJID": "S01",
        "RSSEQ": 9,
        "VISIT": "UNSCHED",
        "RSDTC": "2025-02-10",
        "RSSTRESC": "RELAPSE",
        "RSOVRFL": "Y",
    }
    frames["rs"] = pd.concat([frames["rs"], pd.DataFrame([extra])], ignore_index=True)
    raw = literal_study(rs=frames["rs"])
    row = derive_param_crprim(derive_adsl(raw), raw).set_index("USUBJID").loc["S01"]
    assert (row["AVALC"], row["SRCSEQ"], row["RSOVRFL"]) == ("N", 9.0, "Y")


def test_it_requires_a_window_for_every_treated_subject(raw, adsl) -> None:  # type: ignore[no-untyped-def]
    day = pd.Timestamp("2025-03-07")
    with pytest.raises(InputError, match="windows"):
        derive_param_crprim(adsl, raw, {"S01": PrimaryWindow("S01", day, day, day)})


def test_it_derives_time_to_event_with_every_censoring_case(raw, adsl) -> None:  # type: ignore[no-untyped-def]
    adtte = derive_adtte(adsl, raw)
    got = _by_key(adtte, ["USUBJID", "PARAMCD"], ["AVAL", "CNSR", "CRSTAT"])
    expected = {
        # S01 alive at cut-off: last known alive 2025-07-20 = 31+28+31+30+31+30+19 = 200 days
        # after 2025-01-01; last relapse-free assessment 2025-06-30 = 180 days; DOR from the
        # first CRi 2025-01-21 (day 20): 180 - 20 = 160.
        ("S01", "OS"): (200.0, 1, 0),
        ("S01", "PFS"): (180.0, 1, 0),
        ("S01", "DOR"): (160.0, 1, 0),
        ("S01", "CIR"): (180.0, 1, 0),
        ("S01", "NRM"): (180.0, 1, 0),
        # S02 lost to follow-up: alive on 2025-03-20 = 27 + 20 = 47 days after 2025-02-01;
        # last assessment (refractory, not a relapse) 2025-02-21 = 20 days. Not in DOR.
        ("S02", "OS"): (47.0, 2, 0),
        ("S02", "PFS"): (20.0, 2, 0),
        ("S02", "CIR"): (20.0, 2, 0),
        ("S02", "NRM"): (20.0, 2, 0),
        # S03 death without relapse 2025-04-15: 21 + 28 + 31 + 15 = 95 days after 2025-01-10;
        # PFS event; DOR from 2025-01-31: 95 - 21 = 74; a competing event for CIR (CNSR 6).
        ("S03", "OS"): (95.0, 0, 0),
        ("S03", "PFS"): (95.0, 0, 0),
        ("S03", "DOR"): (74.0, 0, 0),
        ("S03", "CIR"): (95.0, 6, 2),
        ("S03", "NRM"): (95.0, 0, 2),
        # S04 relapse 2025-05-01 (day 120) then death 2025-06-10 (day 160): OS counts the death,
        # PFS/DOR/CIR the relapse (DOR 120 - 20 = 100); NRM sees the competing relapse.
        ("S04", "OS"): (160.0, 0, 0),
        ("S04", "PFS"): (120.0, 0, 0),
        ("S04", "DOR"): (100.0, 0, 0),
        ("S04", "CIR"): (120.0, 0, 1),
        ("S04", "NRM"): (120.0, 6, 1),
        # S05 relapse 2025-03-01, after the horizon 2023-01-01 + 730 days = 2024-12-31: all
        # censored at 730 (DOR 730 - 20 = 710) with CNSR 4.
        ("S05", "OS"): (730.0, 4, 0),
        ("S05", "PFS"): (730.0, 4, 0),
        ("S05", "DOR"): (710.0, 4, 0),
        ("S05", "CIR"): (730.0, 4, 0),
        ("S05", "NRM"): (730.0, 4, 0),
        # S07 withdrew on 2025-03-05 (4 days); no assessment: PFS/CIR/NRM censored at Day 0.
        ("S07", "OS"): (4.0, 3, 0),
        ("S07", "PFS"): (0.0, 5, 0),
        ("S07", "CIR"): (0.0, 5, 0),
        ("S07", "NRM"): (0.0, 5, 0),
    }
    assert got == expected


def test_it_traces_every_time_to_event_row(raw, adsl) -> None:  # type: ignore[no-untyped-def]
    adtte = derive_adtte(adsl, raw)
    got = _by_key(adtte, ["USUBJID", "PARAMCD"], ["SRCDOM", "SRCVAR"])
    assert got[("S01", "OS")] == ("DS", "DSSTDTC")
    assert got[("S04", "PFS")] == ("RS", "RSSTRESC")
    assert got[("S03", "OS")] == ("DM", "DTHDTC")
    assert got[("S05", "OS")] == ("ADSL", "TRTSDT")  # horizon: TRTSDT + 730


def test_it_counts_a_death_from_relapse_without_a_relapse_record_as_relapse() -> None:
    frames = literal_frames()
    frames["ds"].loc[frames["ds"]["USUBJID"] == "S03", "DSCAUSE"] = "RELAPSE"
    raw = literal_study(ds=frames["ds"])
    adtte = derive_adtte(derive_adsl(raw), raw)
    got = _by_key(adtte[adtte["USUBJID"] == "S03"], ["PARAMCD"], ["CNSR", "CRSTAT"])
    assert got[("CIR",)] == (0, 1)
    assert got[("NRM",)] == (6, 1)


def test_it_flags_treatment_emergent_and_worst_events(raw, adsl) -> None:  # type: ignore[no-untyped-def]
    adae = derive_adae(adsl, raw)
    got = _by_key(adae, ["USUBJID", "AESEQ"], ["TRTEMFL", "AWTERMFL", "AWSUBJFL", "ARELFL"])
    assert got == {
        ("S01", 1.0): ("Y", "N", "N", "N"),  # nausea grade 1, the grade 2 is worse
        ("S01", 2.0): ("Y", "Y", "N", "N"),
        ("S01", 3.0): ("Y", "Y", "Y", "Y"),  # grade 3 VOD: worst of the subject, related
        ("S01", 4.0): ("N", "N", "N", "N"),  # before the first dose
        ("S01", 5.0): ("Y", "Y", "N", "N"),  # 2025-02-21 = last dose 2025-01-22 + 30 days
        ("S01", 6.0): ("N", "N", "N", "N"),  # one day later: outside the window
        ("S02", 1.0): ("N", "N", "N", "N"),  # 37 days after the only dose
        ("S04", 1.0): ("Y", "Y", "Y", "Y"),  # 21 days after DLI 2025-03-20, related to DLI
    }
    wide = derive_adae(adsl, raw, window_days=730)
    assert set(wide.loc[wide["TRTEMFL"] == "N", "AESEQ"]) == {4.0}  # only the pre-dose AE
    with pytest.raises(InputError, match="window_days"):
        derive_adae(adsl, raw, window_days=-1)


def test_it_derives_without_optional_domains() -> None:
    from inodli.adam.export import analysis_datasets
    from inodli.adam.raw import empty_frame

    raw = literal_study(pr=empty_frame("PR"), mb=empty_frame("MB"))
    data = analysis_datasets(raw)
    assert set(data["ADSL"]["DLIFL"]) == {"N"}
    assert data["ADSL"]["DLIDT"].isna().all()
    mrd = data["ADRS"][data["ADRS"]["PARAMCD"] == "MRDNEG"]
    assert set(mrd["AVALC"]) == {"N"}


def test_it_takes_the_earliest_exit_as_the_reason_and_codes_it() -> None:
    frames = literal_frames()
    extra = pd.DataFrame(
        [
            {
                "USUBJID": "S01",
                "DSSEQ": 2,
                "DSDECOD": "OFF STUDY",
                "DSSTDTC": "2025-07-01",
                "DSCAUSE": None,
            },
            {
                "USUBJID": "S01",
                "DSSEQ": 3,
                "DSDECOD": "WITHDRAWAL",
                "DSSTDTC": "2025-08-01",
                "DSCAUSE": None,
            },
        ]
    )
    raw = literal_study(ds=pd.concat([frames["ds"], extra], ignore_index=True))
    adsl = derive_adsl(raw)
    s01 = adsl.set_index("USUBJID").loc["S01"]
    assert (s01["EOSSTT"], s01["DCSREAS"]) == ("DISCONTINUED", "OFF STUDY")
    assert s01["EOSDT"] == pd.Timestamp("2025-07-01")
    # last contact is now the withdrawal on 2025-08-01: 31+28+31+30+31+30+31 = 212 days
    os_ = derive_adtte(adsl, raw).set_index(["USUBJID", "PARAMCD"]).loc[("S01", "OS")]
    assert (os_["AVAL"], os_["CNSR"]) == (212.0, 7)
