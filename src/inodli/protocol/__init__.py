"""inodli.protocol: the trial protocol as code.

Pure functions over plain values, results as frozen dataclasses, every threshold in a
versioned rule table (``rules/*.toml``) that keeps the verbatim source text beside the value.

Sources, in order: the trial record (NCT06861348), the BESPONSA label, CTCAE v5.0, MAGIC
(Harris 2016) and NIH 2014 (Jagasia 2015). Modules:

- ``bsa``: body surface area (Mosteller, DuBois, Haycock)
- ``ino``, ``preparation``: InO cycle plans, dosing windows and the preparation sheet
- ``dose_modification``, ``interruption``: give / hold / discontinue before each dose
- ``dli``: DLI eligibility and CD3+ cell dose
- ``intrathecal``: the monthly intrathecal course schedule
- ``schedule``: the visit calendar in study days (Day 1 = first InO dose)
- ``response``, ``mrd``, ``cns``: response categories, MRD status and CNS status
- ``ctcae``: CTCAE v5.0 lab grades
- ``gvhd_acute``, ``gvhd_chronic``: MAGIC acute staging/grade, NIH chronic severity
"""

from __future__ import annotations

from inodli.protocol.bsa import (
    BSA_FORMULAS,
    BodySurfaceArea,
    BsaFormula,
    body_surface_area,
)
from inodli.protocol.cns import CnsAssessment, CnsStatus, classify_cns_status
from inodli.protocol.ctcae import (
    CtcaeGrade,
    GradeRow,
    LabGradeSuggestions,
    LabTerm,
    ctcae_grade,
    list_ctcae_lab_terms,
    suggest_lab_grades,
)
from inodli.protocol.dli import (
    HLA_LOSS_RESULTS,
    DliCriterion,
    DliDose,
    DliEligibility,
    dli_dose,
    dli_eligibility,
)
from inodli.protocol.dose_modification import (
    DoseDecision,
    InterruptionGuidance,
    Reason,
    interruption_guidance,
    next_dose_decision,
)
from inodli.protocol.gvhd_acute import (
    AgvhdAssessment,
    AgvhdGrade,
    OrganStage,
    agvhd_overall_grade,
    assess_agvhd,
    stage_liver,
    stage_lower_gi,
    stage_skin,
    stage_upper_gi,
)
from inodli.protocol.gvhd_chronic import (
    CgvhdSeverity,
    CgvhdSeverityResult,
    cgvhd_global_severity,
    cgvhd_organs,
)
from inodli.protocol.ino import (
    CyclePlan,
    DoseDayCheck,
    PlannedDose,
    check_dose_day,
    ino_cycle_plan,
)
from inodli.protocol.intrathecal import (
    IntrathecalCourse,
    IntrathecalSchedule,
    intrathecal_schedule,
)
from inodli.protocol.mrd import (
    MrdAssessment,
    MrdStatus,
    classify_mrd,
)
from inodli.protocol.preparation import (
    PreparationSheet,
    preparation_sheet,
    render_dosing_sheet,
)
from inodli.protocol.response import (
    ExtramedullaryStatus,
    ResponseAssessment,
    ResponseCategory,
    ResponseCriteria,
    classify_response,
    response_criteria,
)
from inodli.protocol.schedule import (
    FORM_CODES,
    Visit,
    VisitSchedule,
    visit_schedule,
)

__all__ = [
    "BSA_FORMULAS",
    "FORM_CODES",
    "HLA_LOSS_RESULTS",
    "AgvhdAssessment",
    "AgvhdGrade",
    "BodySurfaceArea",
    "BsaFormula",
    "CgvhdSeverity",
    "CgvhdSeverityResult",
    "CnsAssessment",
    "CnsStatus",
    "CtcaeGrade",
    "CyclePlan",
    "DliCriterion",
    "DliDose",
    "DliEligibility",
    "DoseDayCheck",
    "DoseDecision",
    "ExtramedullaryStatus",
    "GradeRow",
    "InterruptionGuidance",
    "IntrathecalCourse",
    "IntrathecalSchedule",
    "LabGradeSuggestions",
    "LabTerm",
    "MrdAssessment",
    "MrdStatus",
    "OrganStage",
    "PlannedDose",
    "PreparationSheet",
    "Reason",
    "ResponseAssessment",
    "ResponseCategory",
    "ResponseCriteria",
    "Visit",
    "VisitSchedule",
    "agvhd_overall_grade",
    "assess_agvhd",
    "body_surface_area",
    "cgvhd_global_severity",
    "cgvhd_organs",
    "check_dose_day",
    "classify_cns_status",
    "classify_mrd",
    "classify_response",
    "ctcae_grade",
    "dli_dose",
    "dli_eligibility",
    "ino_cycle_plan",
    "interruption_guidance",
    "intrathecal_schedule",
    "list_ctcae_lab_terms",
    "next_dose_decision",
    "preparation_sheet",
    "render_dosing_sheet",
    "response_criteria",
    "stage_liver",
    "stage_lower_gi",
    "stage_skin",
    "stage_upper_gi",
    "suggest_lab_grades",
    "visit_schedule",
]
