"""The statistician's pages: who may see them, and what they show from the captured data.

The pages read the data through ``inodli.edc.analysis.services.current_raw_study`` (the EDC
extract). Tests of content give it the synthetic study; the end-to-end test at the bottom
builds the demo study in the database and reads it back through the real extract.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from django.test import Client

from inodli.adam.raw import RawStudy
from inodli.adam.synthetic import synthetic_raw_study
from inodli.edc.analysis import services
from tests.edc.personas import PersonaTest

pytestmark = pytest.mark.django_db

PAGES = ("analysis:index", "analysis:design", "analysis:report")


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


@pytest.fixture(scope="module")
def synthetic() -> RawStudy:
    return synthetic_raw_study(n=23, seed=20261124)


@pytest.fixture
def data(monkeypatch: pytest.MonkeyPatch, synthetic: RawStudy) -> RawStudy:
    monkeypatch.setattr(services, "current_raw_study", lambda cutoff=None: synthetic)
    return synthetic


def _with_vod(raw: RawStudy, patients: int) -> RawStudy:
    """``raw`` plus a grade 3 VOD/SOS on day 10 in the first ``patients`` treated subjects."""
    first = raw.ex.groupby("USUBJID")["EXSTDTC"].min().sort_index().iloc[:patients]
    seq = raw.ae.groupby("USUBJID")["AESEQ"].max()
    rows = pd.DataFrame(
        {
            "USUBJID": first.index,
            "AESEQ": [int(seq.get(u, 0)) + 1 for u in first.index],
            "AETERM": "Sinusoidal obstruction syndrome",
            "AESOC": "Hepatobiliary disorders",
            "AETOXGR": 3,
            "AESTDTC": first.to_numpy() + pd.Timedelta(days=10),
            "AEENDTC": pd.NaT,
            "AESER": "Y", "AEREL": "Y", "AERELDLI": "N", "AESI": "Y",
        }
    )  # fmt: skip
    frames = {k.lower(): v for k, v in raw.frames().items()}
    frames["ae"] = pd.concat([frames["ae"], rows], ignore_index=True)
    return RawStudy(cutoff=raw.cutoff, study_id=raw.study_id, **frames)


class TestWhoMaySee(PersonaTest):
    @pytest.mark.parametrize("name", ["analysis:index", "analysis:design"])
    def test_it_shows_the_pages_to_statistician_investigator_and_data_manager(
        self, client: Client, data: RawStudy, name: str
    ) -> None:
        # the report page (slow to build) is opened by each of these roles in TestReportPage
        for user in (self.statistician, self.investigator, self.data_manager):
            client.force_login(user)
            assert client.get(_url(name)).status_code == 200, (user, name)

    @pytest.mark.parametrize("name", PAGES)
    def test_it_refuses_nurse_pharmacist_monitor_and_outsider(
        self, client: Client, name: str
    ) -> None:
        for user in (self.nurse, self.pharmacist, self.monitor, self.outsider):
            client.force_login(user)
            assert client.get(_url(name)).status_code == 403, (user, name)

    def test_it_sends_anonymous_visitors_to_the_login_page(self, client: Client) -> None:
        response = client.get(_url("analysis:design"))
        assert response.status_code == 302
        assert "/login/" in response["Location"]


class TestDesignPage(PersonaTest):
    def test_it_explains_the_design_and_why(self, client: Client, data: RawStudy) -> None:
        client.force_login(self.statistician)
        page = client.get(_url("analysis:design")).content.decode()
        # inodli.design.trial.TRIAL_DESIGN: stage 1 = 10 patients, stop if <= 4 respond
        assert "Simon-type two-stage design at n = 23 (p0 = 0.30, p1 = 0.60)" in page
        assert "If 4 or fewer of them respond, the trial stops" in page
        assert "as low as 30%" in page
        assert 'id="candidates"' in page
        assert "grade III-IV acute GVHD after DLI" in page

    def test_it_shows_the_current_counts_from_the_captured_data(
        self, client: Client, data: RawStudy
    ) -> None:
        client.force_login(self.statistician)
        page = client.get(_url("analysis:design")).content.decode()
        treated = data.ex["USUBJID"].nunique()
        vod = data.ae.loc[data.ae["AETERM"] == "Sinusoidal obstruction syndrome", "USUBJID"]
        counts = page[page.index('id="current-counts"') :]
        assert f"<td>VOD/SOS</td><td>{vod.nunique()}</td><td>{treated}</td>" in counts
        dli = data.pr.loc[data.pr["PRTRT"] == "DLI", "USUBJID"].nunique()
        assert f"after DLI</td><td>0</td><td>{dli}</td>" in counts
        assert "No stopping boundary has been crossed." in page

    def test_it_says_so_when_a_safety_boundary_is_crossed(
        self, client: Client, monkeypatch: pytest.MonkeyPatch, synthetic: RawStudy
    ) -> None:
        # 12 of 21 treated patients with VOD/SOS: far above the 20% the rule tolerates
        crossed = _with_vod(synthetic, 12)
        monkeypatch.setattr(services, "current_raw_study", lambda cutoff=None: crossed)
        client.force_login(self.investigator)
        page = client.get(_url("analysis:design")).content.decode()
        assert "A stopping boundary has been crossed (stop: VOD/SOS)." in page
        assert "Decision: stop the trial for safety (VOD/SOS)." in page
        vod = crossed.ae.loc[crossed.ae["AETERM"] == "Sinusoidal obstruction syndrome", "USUBJID"]
        assert vod.nunique() >= 12  # the added 12 plus any the synthetic study already had
        assert f"STOP for safety: {vod.nunique()} of" in page

    def test_it_explains_when_there_is_nothing_to_count(
        self, client: Client, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def unavailable(cutoff: Any = None) -> RawStudy:
            raise services.DataUnavailableError("The EDC extract is not installed here.")

        monkeypatch.setattr(services, "current_raw_study", unavailable)
        client.force_login(self.statistician)
        page = client.get(_url("analysis:design")).content.decode()
        assert 'id="monitoring-unavailable"' in page
        assert "Simon-type two-stage design" in page  # the design is still explained


class TestReportPage(PersonaTest):
    def test_it_shows_the_study_report_with_every_section(
        self, client: Client, data: RawStudy
    ) -> None:
        from inodli.report.html import SECTIONS

        client.force_login(self.investigator)
        page = client.get(_url("analysis:report")).content.decode()
        assert f"data cut-off {data.cutoff}" in page
        for key in SECTIONS:
            assert f'<section id="{key}"' in page
        assert page.count("data:image/png;base64,") >= 8
        assert "&lt;" not in page[: page.index("<article")]  # the report is not double-escaped

    def test_it_offers_the_pdf(self, client: Client, data: RawStudy) -> None:
        client.force_login(self.data_manager)
        response = client.get(_url("analysis:report-pdf"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content[:5] == b"%PDF-"


class TestFromTheDatabase(PersonaTest):
    def test_it_reports_the_demo_study_read_through_the_extract(self, client: Client) -> None:
        from inodli.edc.demo.generator import build_demo_study

        build_demo_study(seed=20261124)
        client.force_login(self.statistician)
        design = client.get(_url("analysis:design")).content.decode()
        assert 'id="current-counts"' in design
        assert "monitoring-unavailable" not in design
        report = client.get(_url("analysis:report")).content.decode()
        assert '<section id="response"' in report
        assert "report-unavailable" not in report

    def test_it_explains_an_empty_database(self, client: Client) -> None:
        client.force_login(self.statistician)
        report = client.get(_url("analysis:report")).content.decode()
        assert "No patient has received InO yet" in report
        design = client.get(_url("analysis:design")).content.decode()
        assert "Decision: continue the trial" in design
