"""inodli.report: the study's analyses, figures and report (HTML and PDF).

Analyses are pure functions over the ADaM frames of :mod:`inodli.adam` and return frozen
dataclasses or DataFrames:

- :mod:`~inodli.report.efficacy`: ``response_rate`` (CR/CRi with exact CI and the one-sided
  exact test against p0), ``response_rate_by_dli``, ``mrd_negative_rate``;
- :mod:`~inodli.report.survival`: ``time_to_event_summary`` (Kaplan-Meier OS/PFS/DOR, medians,
  1- and 2-year rates), ``competing_risks_summary`` (relapse and NRM, Gray's test);
- :mod:`~inodli.report.safety`: ``ae_incidence`` by SOC and term at worst grade;
- :mod:`~inodli.report.baseline`: ``baseline_table``, ``consort_counts``;
- :mod:`~inodli.report.monitoring`: counts for the trial's stopping rules and the decision of
  :func:`inodli.design.trial_monitoring_status`;
- :mod:`~inodli.report.timeline`: swimmer lanes/events and marrow blast change.

:func:`inodli.report.study.build_study_report` runs them all on a RawStudy;
:mod:`~inodli.report.figures` draws, :mod:`~inodli.report.html` and :mod:`~inodli.report.pdf`
render. Nothing here imports Django; matplotlib and WeasyPrint load only when used.
"""
