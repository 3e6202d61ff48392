"""The synthetic study: valid, reproducible, and INO-VATE-like on a large sample."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from inodli.adam.export import analysis_datasets
from inodli.adam.synthetic import SyntheticRates, synthetic_raw_study
from inodli.errors import InputError
from inodli.stats.kaplan_meier import kaplan_meier


def test_it_is_reproducible_and_valid() -> None:
    first, again = synthetic_raw_study(seed=5), synthetic_raw_study(seed=5)
    for name, frame in first.frames().items():
        pd.testing.assert_frame_equal(frame, again.frames()[name], obj=name)
    assert len(first.dm) == 23
    other = synthetic_raw_study(seed=6)
    assert not first.ae.equals(other.ae)
    datasets = analysis_datasets(first)
    assert set(datasets["ADTTE"]["PARAMCD"]) == {"OS", "PFS", "DOR", "CIR", "NRM"}


def test_it_honours_an_early_cutoff() -> None:
    raw = synthetic_raw_study(seed=3, cutoff=dt.date(2025, 9, 1))
    assert raw.cutoff == dt.date(2025, 9, 1)
    assert raw.rs["RSDTC"].max() <= pd.Timestamp("2025-09-01")


def test_it_rejects_a_bad_size() -> None:
    with pytest.raises(InputError, match="n: expected"):
        synthetic_raw_study(n=0)


@pytest.mark.slow
def test_its_rates_match_ino_vate_on_a_large_sample() -> None:
    # INO-VATE (Kantarjian 2016, NEJM 375:740): CR/CRi 80.7% [72.1-87.7] overall, 73% in
    # cycle 1 (trial record), median OS 7.7 months, VOD 13%. The generator's parameters are
    # 0.72 CR/CRi and 0.14 VOD; with n = 600 the binomial SD is <= 0.02, so +-0.06 is 3 SD.
    raw = synthetic_raw_study(n=600, seed=11)
    data = analysis_datasets(raw)
    adsl, adrs, adtte, adae = data["ADSL"], data["ADRS"], data["ADTTE"], data["ADAE"]
    treated = adsl[adsl["SAFFL"] == "Y"]
    crcri = adrs[adrs["PARAMCD"] == "CRCRI"]
    assert (crcri["AVALC"] == "Y").mean() == pytest.approx(0.72 + 0.28 * 0.15, abs=0.06)
    vod = adae[adae["AETERM"] == "Sinusoidal obstruction syndrome"]["USUBJID"].nunique()
    assert vod / len(treated) == pytest.approx(SyntheticRates().p_vod, abs=0.05)
    os_ = adtte[adtte["PARAMCD"] == "OS"]
    median_months = kaplan_meier(os_["AVAL"], os_["CNSR"] == 0).median / 30.4375
    assert 5.0 <= median_months <= 11.0
    assert 0.3 <= (treated["DLIFL"] == "Y").mean() <= 0.45  # about half of the responders
