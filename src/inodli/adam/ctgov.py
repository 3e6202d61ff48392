"""A ClinicalTrials.gov-style results summary: participant flow, baseline, outcomes, AEs.

The sections follow the ClinicalTrials.gov results data element definitions (participant
flow, baseline characteristics, outcome measures, adverse events with the number at risk).
Numbers come from the analysis datasets and :mod:`inodli.stats`: the CR/CRi rate with the
Clopper-Pearson 95% CI and the one-sided exact binomial test against ``p0`` (default 0.30:
the trial record puts the CR rate after post-transplant relapse "as low as 30%"),
Kaplan-Meier medians and 1-/2-year rates, and Aalen-Johansen cumulative incidences. Times
are in days from the first InO dose (Day 0); one year is 365 days.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from inodli.adam.export import analysis_datasets
from inodli.adam.raw import RawStudy
from inodli.errors import InputError
from inodli.stats.binomial import binomial_ci, exact_binomial_test
from inodli.stats.cumulative_incidence import cumulative_incidence
from inodli.stats.kaplan_meier import kaplan_meier

__all__ = ["P0_DEFAULT", "ctgov_summary", "ctgov_text"]

P0_DEFAULT = 0.30
YEARS = (365.0, 730.0)


def _num(value: Any, digits: int = 4) -> float | None:
    value = float(value)
    return None if math.isnan(value) else round(value, digits)


def _counts(frame: pd.DataFrame, column: str) -> dict[str, int]:
    return {str(k): int(v) for k, v in frame[column].value_counts().sort_index().items()}


def _flow(adsl: pd.DataFrame) -> dict[str, Any]:
    treated = adsl[adsl["SAFFL"] == "Y"]
    return {
        "enrolled": int((adsl["ENRLFL"] == "Y").sum()),
        "started_treatment": len(treated),
        "received_dli": int((treated["DLIFL"] == "Y").sum()),
        "completed": int((treated["EOSSTT"] == "COMPLETED").sum()),
        "ongoing_at_cutoff": int((treated["EOSSTT"] == "ONGOING").sum()),
        "not_completed": _counts(treated[treated["EOSSTT"] == "DISCONTINUED"], "DCSREAS"),
        "never_treated": int((adsl["SAFFL"] != "Y").sum()),
    }


def _baseline(adsl: pd.DataFrame) -> dict[str, Any]:
    treated = adsl[adsl["SAFFL"] == "Y"]
    age = treated["AGE"]
    return {
        "n": len(treated),
        "age_years": {
            "mean": _num(age.mean(), 2),
            "sd": _num(age.std(), 2),
            "median": _num(age.median(), 1),
            "min": _num(age.min(), 1),
            "max": _num(age.max(), 1),
        },
        "age_group": _counts(treated, "AGEGR1"),
        "sex": _counts(treated, "SEX"),
        "disease_type": _counts(treated, "DISTYPE"),
        "philadelphia_chromosome": _counts(treated, "PHSTAT"),
        "donor_type": _counts(treated, "DONORTYP"),
        "cd22_percent_median": _num(treated["CD22PCT"].median(), 1),
        "days_from_hsct_to_relapse_median": _num(treated["HSCTRLD"].median(), 1),
    }


def _rate(adrs: pd.DataFrame, adsl: pd.DataFrame, paramcd: str, p0: float | None) -> dict[str, Any]:
    evaluable = set(adsl.loc[adsl["EFFFL"] == "Y", "USUBJID"])
    rows = adrs[(adrs["PARAMCD"] == paramcd) & adrs["USUBJID"].isin(evaluable)]
    n, k = len(rows), int((rows["AVALC"] == "Y").sum())
    out: dict[str, Any] = {"population": "efficacy evaluable (EFFFL)", "n": n, "count": k}
    if n == 0:
        return out
    ci = binomial_ci(k, n)
    out.update(
        rate=_num(ci.estimate),
        ci95=[_num(ci.lower), _num(ci.upper)],
        ci_method="Clopper-Pearson exact",
    )
    if p0 is not None:
        test = exact_binomial_test(k, n, p0, "greater")
        out["test"] = {
            "h0": f"p <= {p0}",
            "alternative": "greater",
            "method": "exact binomial",
            "p_value": _num(test.p_value, 6),
        }
    return out


def _km(adtte: pd.DataFrame, paramcd: str) -> dict[str, Any]:
    rows = adtte[adtte["PARAMCD"] == paramcd]
    out: dict[str, Any] = {"n": len(rows), "events": int((rows["CNSR"] == 0).sum())}
    if rows.empty:
        return out
    fit = kaplan_meier(rows["AVAL"].to_numpy(), (rows["CNSR"] == 0).to_numpy())
    low, high = fit.median_ci
    at = fit.survival_at(list(YEARS))
    out.update(
        median_days=_num(fit.median, 1),
        median_ci95=[_num(low, 1), _num(high, 1)],
        rate_1y=_num(at["survival"].iloc[0]),
        rate_2y=_num(at["survival"].iloc[1]),
        rate_ci95_1y=[_num(at["lower"].iloc[0]), _num(at["upper"].iloc[0])],
        rate_ci95_2y=[_num(at["lower"].iloc[1]), _num(at["upper"].iloc[1])],
    )
    return out


def _cif(adtte: pd.DataFrame, paramcd: str, cause: int) -> dict[str, Any]:
    rows = adtte[adtte["PARAMCD"] == paramcd]
    out: dict[str, Any] = {"n": len(rows), "events": int((rows["CRSTAT"] == cause).sum())}
    if rows.empty:
        return out
    if out["events"] == 0:
        # No event of this cause: the incidence is 0 up to the last follow-up time, unknown
        # after it (cmprsk::timepoints gives NA there); no interval is estimable.
        last = float(rows["AVAL"].max())
        out.update(
            incidence_1y=0.0 if last >= YEARS[0] else None,
            incidence_2y=0.0 if last >= YEARS[1] else None,
            ci95_1y=[None, None],
            ci95_2y=[None, None],
        )
        return out
    fit = cumulative_incidence(rows["AVAL"].to_numpy(), rows["CRSTAT"].to_numpy(), cause=cause)
    at = fit.at(list(YEARS))
    out.update(
        incidence_1y=_num(at["estimate"].iloc[0]),
        incidence_2y=_num(at["estimate"].iloc[1]),
        ci95_1y=[_num(at["lower"].iloc[0]), _num(at["upper"].iloc[0])],
        ci95_2y=[_num(at["lower"].iloc[1]), _num(at["upper"].iloc[1])],
    )
    return out


def _ae_table(adae: pd.DataFrame, at_risk: int, subset: pd.Series) -> list[dict[str, Any]]:
    rows = adae[(adae["TRTEMFL"] == "Y") & subset]
    table = []
    for (soc, term), group in rows.groupby(["AESOC", "AETERM"]):
        table.append(
            {
                "organ_system": soc,
                "term": term,
                "subjects_affected": group["USUBJID"].nunique(),
                "at_risk": at_risk,
                "events": len(group),
            }
        )
    return sorted(table, key=lambda r: (-r["subjects_affected"], r["organ_system"], r["term"]))


def _adverse_events(adae: pd.DataFrame, adsl: pd.DataFrame, window: int) -> dict[str, Any]:
    at_risk = int((adsl["SAFFL"] == "Y").sum())
    te = adae[adae["TRTEMFL"] == "Y"]

    def subjects(mask: pd.Series) -> int:
        return int(te.loc[mask, "USUBJID"].nunique())

    deaths = adsl[(adsl["SAFFL"] == "Y") & (adsl["DTHFL"] == "Y")]
    return {
        "time_frame": f"first InO dose to last InO dose (or last DLI) + {window} days",
        "source_vocabulary": "CTCAE v5.0",
        "at_risk": at_risk,
        "all_cause_mortality": len(deaths),
        "any_teae": subjects(te["USUBJID"].notna()),
        "grade_3_or_more": subjects(te["ATOXGR"] >= 3),
        "serious": subjects(te["AESER"] == "Y"),
        "related": subjects(te["ARELFL"] == "Y"),
        "special_interest": subjects(te["AESIFL"] == "Y"),
        "serious_adverse_events": _ae_table(adae, at_risk, adae["AESER"] == "Y"),
        "other_adverse_events": _ae_table(adae, at_risk, adae["AESER"] != "Y"),
    }


def ctgov_summary(
    raw: RawStudy, *, p0: float = P0_DEFAULT, teae_window_days: int = 30
) -> dict[str, Any]:
    """The results summary of ``raw`` as a JSON-ready dictionary (sections in the module doc)."""
    if isinstance(p0, bool) or not isinstance(p0, int | float) or not 0 < p0 < 1:
        raise InputError("p0", "a proportion strictly between 0 and 1", p0)
    data = analysis_datasets(raw, teae_window_days=teae_window_days)
    adsl, adrs, adtte, adae = data["ADSL"], data["ADRS"], data["ADTTE"], data["ADAE"]
    outcomes = {
        "primary_cr_cri_at_1_month": {
            "title": "Complete remission rate (CR/CRi) 1 month after InO treatment",
            "time_frame": "primary assessment window (30 days after cycle 2 day 15, +-7 days)",
            **_rate(adrs, adsl, "CRPRIM", p0),
        },
        "cr_cri_any_time": {
            "title": "CR/CRi at any assessment",
            **_rate(adrs, adsl, "CRCRI", None),
        },
        "mrd_negativity": {"title": "MRD-negative marrow", **_rate(adrs, adsl, "MRDNEG", None)},
        "overall_survival": {
            "title": "Overall survival",
            "time_frame": "2 years",
            **_km(adtte, "OS"),
        },
        "progression_free_survival": {
            "title": "Progression-free survival",
            "time_frame": "2 years",
            **_km(adtte, "PFS"),
        },
        "duration_of_remission": {
            "title": "Duration of remission (responders)",
            "time_frame": "2 years",
            **_km(adtte, "DOR"),
        },
        "cumulative_incidence_relapse": {
            "title": "Cumulative incidence of relapse or progression",
            "time_frame": "2 years",
            **_cif(adtte, "CIR", 1),
        },
        "non_relapse_mortality": {
            "title": "Cumulative incidence of non-relapse mortality",
            "time_frame": "2 years",
            **_cif(adtte, "NRM", 2),
        },
    }
    return {
        "study": raw.study_id,
        "data_cutoff": raw.cutoff.isoformat(),
        "time_origin": "Day 0 = first InO dose; times in days",
        "participant_flow": _flow(adsl),
        "baseline_characteristics": _baseline(adsl),
        "outcome_measures": outcomes,
        "adverse_events": _adverse_events(adae, adsl, teae_window_days),
    }


def _pct(value: Any) -> str:
    return "NE" if value is None else f"{100 * value:.1f}%"


def _val(value: Any) -> str:
    return "NE" if value is None else f"{value:g}"


def ctgov_text(summary: dict[str, Any]) -> str:
    """A plain-text rendering of :func:`ctgov_summary` for reading and review."""
    flow, base, out, ae = (
        summary[k]
        for k in (
            "participant_flow",
            "baseline_characteristics",
            "outcome_measures",
            "adverse_events",
        )
    )
    lines = [
        f"Results summary {summary['study']} (data cut-off {summary['data_cutoff']})",
        f"{summary['time_origin']}",
        "",
        "Participant flow",
        f"  enrolled {flow['enrolled']}, started InO {flow['started_treatment']}, "
        f"received DLI {flow['received_dli']}, ongoing {flow['ongoing_at_cutoff']}",
        "  not completed: "
        + (", ".join(f"{k} {v}" for k, v in flow["not_completed"].items()) or "none"),
        "",
        f"Baseline (n = {base['n']})",
        f"  age median {_val(base['age_years']['median'])} (range "
        f"{_val(base['age_years']['min'])}-{_val(base['age_years']['max'])}); sex {base['sex']}; disease {base['disease_type']}",
        "",
        "Outcome measures",
    ]
    for item in out.values():
        if "rate" in item:
            test = item.get("test")
            extra = f"; one-sided exact p = {test['p_value']} vs {test['h0']}" if test else ""
            lines.append(
                f"  {item['title']}: {item['count']}/{item['n']} = {_pct(item['rate'])} "
                f"(95% CI {_pct(item['ci95'][0])} to {_pct(item['ci95'][1])}){extra}"
            )
        elif "median_days" in item:
            lines.append(
                f"  {item['title']}: n {item['n']}, events {item['events']}, median "
                f"{_val(item['median_days'])} days (95% CI {_val(item['median_ci95'][0])} to "
                f"{_val(item['median_ci95'][1])}); 1 year {_pct(item['rate_1y'])}, 2 years "
                f"{_pct(item['rate_2y'])}"
            )
        elif "incidence_1y" in item:
            lines.append(
                f"  {item['title']}: n {item['n']}, events {item['events']}; 1 year "
                f"{_pct(item['incidence_1y'])}, 2 years {_pct(item['incidence_2y'])}"
            )
        else:
            lines.append(f"  {item['title']}: n {item['n']} (not estimable)")
    lines += [
        "",
        f"Adverse events ({ae['time_frame']}; at risk {ae['at_risk']})",
        f"  any {ae['any_teae']}, grade >=3 {ae['grade_3_or_more']}, serious {ae['serious']}, "
        f"related {ae['related']}, special interest {ae['special_interest']}, "
        f"deaths {ae['all_cause_mortality']}",
        "  Serious adverse events:",
    ]
    lines += [
        f"    {r['term']} ({r['organ_system']}): {r['subjects_affected']}/{r['at_risk']} "
        f"subjects, {r['events']} events"
        for r in ae["serious_adverse_events"]
    ]
    return "\n".join(lines) + "\n"
