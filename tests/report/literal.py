"""Small literal ADaM frames shared by the report tests (8 subjects, 4 with DLI)."""

from __future__ import annotations

import pandas as pd

IDS = [f"S0{i}" for i in range(1, 9)]
DLI = ["Y", "Y", "Y", "Y", "N", "N", "N", "N"]
OS_DAYS = [100, 200, 300, 400, 500, 600, 800, 900]
OS_EVENT = [1, 0, 1, 1, 0, 1, 0, 0]
CR_STATUS = [1, 0, 2, 1, 0, 1, 2, 0]  # 1 relapse, 2 NRM, 0 censored


def adsl() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "USUBJID": [*IDS, "S09"],
            "SAFFL": ["Y"] * 8 + ["N"],
            "EFFFL": ["Y"] * 7 + ["N", "N"],
            "DLIFL": [*DLI, "N"],
            "DTHFL": ["Y", "N", "Y", "Y", "N", "Y", "N", "N", "N"],
            "EOSSTT": ["DISCONTINUED", "DISCONTINUED", "DISCONTINUED", "DISCONTINUED",
                       "ONGOING", "DISCONTINUED", "ONGOING", "COMPLETED", "DISCONTINUED"],
            "AGE": [30.0, 40, 50, 60, 20, 35, 45, 70, 50],
            "SEX": ["M", "F", "M", "M", "F", "F", "M", "F", "M"],
            "HSCTRLD": [365.25, 730.5, 182.625, 365.25, 91.3125, 365.25, 365.25, 730.5, 100],
        }
    )  # fmt: skip


def adrs() -> pd.DataFrame:
    # CR1M responders among the 7 evaluable: S01, S03, S05 (S08 is not evaluable)
    cr = ["Y", "N", "Y", "N", "Y", "N", "N", "Y"]
    mrd = ["Y", "N", "N", "N", "Y", "N", "N", "Y"]
    return pd.DataFrame(
        {
            "USUBJID": IDS * 2,
            "PARAMCD": ["CRPRIM"] * 8 + ["MRDNEG"] * 8,
            "AVALC": cr + mrd,
        }
    )


def adtte() -> pd.DataFrame:
    os_ = pd.DataFrame(
        {"USUBJID": IDS, "PARAMCD": "OS", "AVAL": OS_DAYS,
         "CNSR": [1 - e for e in OS_EVENT], "CRSTAT": 0}
    )  # fmt: skip
    cr = pd.DataFrame(
        {"USUBJID": IDS, "PARAMCD": "CIR", "AVAL": OS_DAYS,
         "CNSR": [int(s == 0) for s in CR_STATUS], "CRSTAT": CR_STATUS}
    )  # fmt: skip
    return pd.concat([os_, cr], ignore_index=True)


def adae() -> pd.DataFrame:
    rows = [
        # subject, soc, term, grade, serious, related InO, related DLI, emergent
        ("S01", "Hepatobiliary disorders", "Hepatic VOD", 3, "Y", "Y", "N", "Y"),
        ("S01", "Hepatobiliary disorders", "Hepatic VOD", 4, "Y", "Y", "N", "Y"),
        ("S02", "Hepatobiliary disorders", "Hepatic VOD", 2, "N", "Y", "N", "Y"),
        ("S02", "Blood disorders", "Febrile neutropenia", 3, "N", "N", "N", "Y"),
        ("S05", "Blood disorders", "Febrile neutropenia", 3, "Y", "N", "N", "Y"),
        ("S06", "Blood disorders", "Anaemia", 1, "N", "N", "Y", "Y"),
        ("S07", "Blood disorders", "Anaemia", 2, "N", "N", "N", "N"),  # before Day 0
        ("S09", "Blood disorders", "Anaemia", 2, "N", "N", "N", "Y"),  # not treated
    ]
    cols = ["USUBJID", "AESOC", "AETERM", "ATOXGR", "AESER", "ARELINO", "ARELDLI", "TRTEMFL"]
    frame = pd.DataFrame(rows, columns=cols)
    either = (frame["ARELINO"] == "Y") | (frame["ARELDLI"] == "Y")
    return frame.assign(ARELFL=either.map({True: "Y", False: "N"}))
