"""Render a :class:`~inodli.report.study.StudyReport` as one self-contained HTML document.

Figures are embedded as base64 PNG, so the file needs nothing beside it; the same markup is
printed to PDF by WeasyPrint (:mod:`inodli.report.pdf`) and shown by the web application
(:func:`render_report_body` without the ``<html>`` shell). Every value is escaped here.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable

import pandas as pd
from matplotlib.figure import Figure

from inodli.design.trial import TRIAL_DESIGN
from inodli.report import figures
from inodli.report._frames import DLI_CAVEAT, format_p
from inodli.report.efficacy import P0_JUSTIFICATION, ResponseRate
from inodli.report.safety import ae_incidence_display
from inodli.report.study import KM_ENDPOINTS, StudyReport
from inodli.report.survival import SURVIVAL_METHODS

__all__ = ["SECTIONS", "render_report_body", "render_report_html"]

SECTIONS = {
    "summary": "Summary for the data monitoring committee",
    "flow": "Participant flow",
    "baseline": "Baseline characteristics",
    "response": "Primary endpoint: CR/CRi at 1 month",
    "survival": "Survival, progression-free survival and duration of remission",
    "competing": "Cumulative incidence of relapse and non-relapse mortality",
    "patients": "Individual patients: swimmer plot and marrow blast waterfall",
    "safety": "Adverse events",
    "monitoring": "Trial design and monitoring",
    "methods": "Methods and conventions",
}

CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
        @bottom-center { content: "NCT06861348 study report - page " counter(page) " of " counter(pages);
                         font-size: 8pt; color: #555; } }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9.5pt; color: #1b1b1b;
       line-height: 1.35; max-width: 60em; margin: auto; }
h1 { font-size: 17pt; color: #1f3b73; margin-bottom: 0.2em; }
h2 { font-size: 12.5pt; color: #1f3b73; border-bottom: 1px solid #1f3b73; margin-top: 1.4em;
     page-break-after: avoid; }
h3 { font-size: 10.5pt; margin-bottom: 0.3em; page-break-after: avoid; }
table { border-collapse: collapse; margin: 0.4em 0 0.8em 0; font-size: 8.5pt;
        page-break-inside: auto; }
th, td { border-bottom: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #eef1f7; }
tr { page-break-inside: avoid; }
figure { margin: 0.6em 0; page-break-inside: avoid; }
figure img { max-width: 100%; width: 82%; }
figure.wide img { width: 100%; }
figcaption { font-size: 8.5pt; color: #444; }
.meta td:first-child { font-weight: bold; }
.decision { border: 2px solid #1f3b73; padding: 0.5em 0.8em; background: #f4f6fb; }
.caveat { border-left: 4px solid #c0392b; padding: 0.3em 0.8em; background: #fbf0ef; }
section.break { page-break-before: always; }
"""


def _e(value: object) -> str:
    return html.escape(str(value))


def _table(frame: pd.DataFrame, table_id: str = "") -> str:
    attr = f' id="{_e(table_id)}"' if table_id else ""
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure(figure: Figure, caption: str, figure_id: str, *, wide: bool = False) -> str:
    data = base64.b64encode(figures.figure_to_png(figure)).decode("ascii")
    css = ' class="wide"' if wide else ""
    return (
        f'<figure id="{_e(figure_id)}"{css}><img alt="{_e(caption)}" '
        f'src="data:image/png;base64,{data}"><figcaption>{_e(caption)}</figcaption></figure>'
    )


def _paragraphs(lines: Iterable[str]) -> str:
    return "".join(f"<p>{_e(line)}</p>" for line in lines)


def _section(key: str, content: str, *, page_break: bool = False) -> str:
    css = ' class="break"' if page_break else ""
    return f'<section id="{key}"{css}><h2>{_e(SECTIONS[key])}</h2>{content}</section>'


def _rates(rates: Iterable[ResponseRate], groups: Iterable[str]) -> pd.DataFrame:
    rows = []
    for group, rate in zip(groups, rates, strict=True):
        row = rate.as_row()
        row["Population"] = group
        rows.append(row)
    return pd.DataFrame(rows)


def _p_phrase(p_value: float) -> str:
    text = format_p(p_value)
    return text if text.startswith("<") else f"= {text}"


def _summary(report: StudyReport) -> str:
    primary = report.primary
    flow = report.consort
    lines = [
        f"Data cut-off {report.cutoff}: {flow.enrolled} patients enrolled, {flow.treated} "
        f"treated with InO, {flow.dli} of them also received DLI.",
    ]
    if primary.ci is not None and primary.test is not None:
        lines.append(
            f"CR/CRi at 1 month: {primary.responders} of {primary.n} evaluable patients "
            f"({primary.ci.estimate:.1%}; exact 95% CI {primary.ci.lower:.1%} to "
            f"{primary.ci.upper:.1%}); one-sided exact p {_p_phrase(primary.test.p_value)} against "
            f"p0 = {report.p0:g} (plain test, ignores the two-stage design)."
        )
    if primary.design_adjusted is not None:
        lines.append(primary.design_adjusted.summary())
    os_all = report.survival.get("OS", {}).get("All")
    if os_all is not None:
        lines.append(
            f"Overall survival: {os_all.events} deaths; {os_all.as_row()['Median, months (95% CI)']}"
            " months median (95% CI)."
        )
    decision = report.monitoring.explanation[0]
    return (
        _paragraphs(lines)
        + f'<div class="decision" id="summary-decision">{_e(decision)}</div>'
        + f'<p class="caveat">{_e(DLI_CAVEAT)}</p>'
        + _paragraphs(report.notes)
    )


def _flow(report: StudyReport) -> str:
    return _figure(
        figures.consort_figure(report.consort),
        "Figure 1. Participant flow (CONSORT-style).",
        "figure-consort",
    ) + _table(report.consort.as_table(), "table-flow")


def _design_adjusted(report: StudyReport) -> list[str]:
    """Sentences on the primary inference: what it is, how stage 1 is counted, the result."""
    adjusted = report.primary.design_adjusted
    if adjusted is None:
        return []
    design = TRIAL_DESIGN
    alpha, _, _, _ = design.attained()
    lines = [
        "Primary inference, as the design prescribes: the trial has a two-stage design "
        f"(stop after {design.n1} evaluable patients if {design.r1} or fewer respond, "
        f"{design.n} in total), so its outcome is analysed over the outcomes that design can "
        "produce, ordered stage-wise (any outcome that went on to stage 2 counts as more "
        "extreme than any stop after stage 1; then more responses are more extreme). The "
        "p-value is one-sided (H1: p > p0) under that ordering; the exact 95% confidence "
        "interval inverts the same ordering (2.5% in each tail); the point estimate is the "
        "UMVUE (Jung & Kim 2004), unbiased under the design (Koyama & Chen 2008). A "
        f"stage-wise p-value at or below the design's attained alpha ({alpha:.4f}) is the "
        "same as reaching the design's efficacy boundary.",
        "The plain exact test and the Clopper-Pearson interval beside it treat all evaluable "
        "patients as one fixed-size sample and ignore the futility stop; they are shown for "
        "reference only.",
        adjusted.rule,
        adjusted.summary(),
    ]
    # The monitoring counts take stage 1 from the same function (inodli.report.stage1), so
    # the interim and the primary stage-1 counts cannot differ and need no check here.
    return lines


def _response(report: StudyReport) -> str:
    overall = [report.primary, report.primary_by_dli["DLI"], report.primary_by_dli["No DLI"]]
    mrd = [report.mrd, report.mrd_by_dli["DLI"], report.mrd_by_dli["No DLI"]]
    groups = ("All evaluable", "DLI", "No DLI")
    return (
        _table(_rates(overall, groups).fillna(""), "table-primary")
        + f'<div id="primary-inference">{_paragraphs(_design_adjusted(report))}</div>'
        + f"<p>{_e(P0_JUSTIFICATION)} The plain test is one-sided (H1: p > p0), exact "
        "(R binom.test); its interval is the two-sided exact Clopper-Pearson 95% CI. The "
        "DLI/no-DLI rows are descriptive, without a test.</p>"
        + "<h3>MRD negativity (any marrow after the first dose)</h3>"
        + _table(_rates(mrd, groups).fillna(""), "table-mrd")
    )


def _survival(report: StudyReport) -> str:
    rows = [s.as_row() for summaries in report.survival.values() for s in summaries.values()]
    parts = [_table(pd.DataFrame(rows), "table-survival")] if rows else []
    for number, (paramcd, summaries) in enumerate(report.survival.items(), start=2):
        shown = {k: v for k, v in summaries.items() if k != "All"} or summaries
        label = KM_ENDPOINTS[paramcd]
        parts.append(
            _figure(
                figures.km_figure({"All": summaries["All"]}, label),
                f"Figure {number}a. {label}, all patients (95% log-log band, + censored).",
                f"figure-km-{paramcd.lower()}",
            )
        )
        if len(shown) > 1:
            parts.append(
                _figure(
                    figures.km_figure(shown, f"{label}: DLI vs no DLI"),
                    f"Figure {number}b. {label} by DLI (descriptive; DLI was not randomised).",
                    f"figure-km-{paramcd.lower()}-dli",
                )
            )
    return "".join(parts) or "<p>No time-to-event data yet.</p>"


def _competing(report: StudyReport) -> str:
    if report.competing is None:
        return "<p>No relapse or non-relapse death yet.</p>"
    return _table(pd.DataFrame(report.competing.rows()), "table-competing") + _figure(
        figures.cumulative_incidence_figure(report.competing, "Cumulative incidence"),
        "Figure 5. Cumulative incidence of relapse/progression and non-relapse mortality "
        "(competing risks; Gray's test for DLI vs no DLI in the table).",
        "figure-cif",
        wide=True,
    )


def _patients(report: StudyReport) -> str:
    parts = [
        _figure(
            figures.swimmer_figure(report.swimmer_lanes, report.swimmer_events),
            "Figure 6. Swimmer plot: each treated patient from the first InO dose; shaded bars "
            "are InO cycles, markers DLI, intrathecal courses, first CR/CRi, relapse and death.",
            "figure-swimmer",
            wide=True,
        )
    ]
    if report.waterfall.empty:
        parts.append("<p>No patient has both a baseline and a later marrow blast count.</p>")
    else:
        parts.append(
            _figure(
                figures.waterfall_figure(report.waterfall),
                "Figure 7. Waterfall: best percent change of marrow blasts from baseline "
                "(capped at +100%); dotted line at -50%.",
                "figure-waterfall",
            )
        )
    return "".join(parts)


def _safety(report: StudyReport) -> str:
    counts = report.ae_counts
    parts = [
        "<p>Treatment-emergent adverse events, CTCAE v5.0; each patient counted once per term "
        "and system organ class at the worst grade; denominator: safety population. Related = "
        "related to InO or to DLI.</p>",
        "<h3>All treated patients</h3>",
        _table(ae_incidence_display(counts, "All"), "table-ae-all"),
    ]
    for group in ("DLI", "No DLI"):
        shown = ae_incidence_display(counts, group)
        if len(shown):
            parts.append(f"<h3>{_e(group)} (descriptive)</h3>")
            parts.append(_table(shown, f"table-ae-{group}"))
    return "".join(parts)


def _monitoring(report: StudyReport) -> str:
    design = TRIAL_DESIGN
    return (
        f"<p><strong>{_e(design.name)}</strong></p>"
        + _paragraphs(design.rule_in_words())
        + "<h3>Why this design</h3>"
        + _paragraphs(design.justification)
        + "<h3>Current counts</h3>"
        + _table(report.monitoring_counts.as_table(), "table-monitoring")
        + f'<div class="decision" id="monitoring-decision">{_paragraphs(report.monitoring.explanation)}</div>'
    )


def _methods(report: StudyReport) -> str:
    lines = [
        "Populations: enrolled = consented; safety = any InO received; efficacy evaluable = "
        "treated with a response assessment after the first dose, or died before one.",
        "Primary endpoint: CR or CRi at the primary assessment one month after InO "
        "(ADRS.CRPRIM); patients without it (no assessment in the window, earlier relapse or "
        "death) count as non-responders. Primary inference: design-adjusted for the two-stage "
        "design (stage-wise ordering: one-sided p-value and exact 95% CI, Koyama & Chen 2008; "
        "UMVUE, Jung & Kim 2004), made once the trial stopped after stage 1 or all patients "
        f"are evaluable; stage 1 = the first {TRIAL_DESIGN.n1} evaluable patients by date of "
        "informed consent. "
        "Shown beside it: exact Clopper-Pearson 95% CI and one-sided exact binomial test of "
        f"H0: p <= {report.p0:g}, which ignore the design.",
        *SURVIVAL_METHODS,
        "DOR starts at the first CR/CRi and is estimated among responders only.",
        "Non-relapse mortality: death without prior relapse/progression (competing risk).",
        DLI_CAVEAT,
        "Analysis datasets are derived by inodli.adam; every number here can be traced to its "
        "source record (SRCDOM/SRCVAR/SRCSEQ in the datasets).",
    ]
    return "<ul>" + "".join(f"<li>{_e(line)}</li>" for line in lines) + "</ul>"


def _meta(report: StudyReport) -> str:
    rows = pd.DataFrame(
        [
            ("Study", "NCT06861348: InO +/- DLI for B-ALL/LBL relapsed after allo-HSCT (n = 23)"),
            ("Data source", report.source),
            ("Data cut-off", str(report.cutoff)),
            ("Analysis date", str(report.analysis_date)),
            ("Software", f"inodli {report.software_version}"),
            ("Day 0", "the date of the first InO dose"),
        ],
        columns=["Item", "Value"],
    )
    return _table(rows, "table-meta").replace("<table", '<table class="meta"', 1)


def render_report_body(report: StudyReport) -> str:
    """The report's sections as an HTML fragment (for embedding in a web page)."""
    contents = "".join(f'<li><a href="#{k}">{_e(t)}</a></li>' for k, t in SECTIONS.items())
    return "".join(
        [
            _meta(report),
            f'<nav id="contents"><h3>Contents</h3><ol>{contents}</ol></nav>',
            _section("summary", _summary(report)),
            _section("flow", _flow(report)),
            _section("baseline", _table(report.baseline, "table-baseline"), page_break=True),
            _section("response", _response(report)),
            _section("survival", _survival(report), page_break=True),
            _section("competing", _competing(report), page_break=True),
            _section("patients", _patients(report), page_break=True),
            _section("safety", _safety(report), page_break=True),
            _section("monitoring", _monitoring(report), page_break=True),
            _section("methods", _methods(report)),
        ]
    )


def render_report_html(report: StudyReport) -> str:
    """A complete, self-contained HTML document of the report."""
    title = f"NCT06861348 study report, data cut-off {report.cutoff}"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{_e(title)}</h1>{render_report_body(report)}</body></html>"
    )
