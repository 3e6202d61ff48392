"""GVHD stages, grade and global severity of the GVHD forms, computed by ``inodli.protocol``.

Acute: :func:`inodli.protocol.gvhd_acute.assess_agvhd` (MAGIC organ stages and the overall
grade by its pattern rules). Chronic: ``inodli.protocol.gvhd_chronic.cgvhd_global_severity``
(NIH 2014). Both run on every save (the models' ``clean``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from inodli.errors import InputError
from inodli.protocol.gvhd_acute import AgvhdAssessment, assess_agvhd
from inodli.protocol.gvhd_chronic import CgvhdSeverityResult, cgvhd_global_severity

if TYPE_CHECKING:
    from inodli.edc.safety.models import AcuteGvhdAssessment, ChronicGvhdAssessment

__all__ = ["CGVHD_ORGANS", "complete_acute_gvhd", "complete_chronic_gvhd"]

#: Form field of each acute GVHD input named by the protocol's InputError.
_ACUTE_FIELDS = {
    "erythema_bsa_pct": "skin_erythema_bsa_pct",
    "bullae_desquamation_bsa_pct": "skin_bullae_bsa_pct",
    "bilirubin": "bilirubin",
    "unit": "bilirubin_unit",
    "weight_kg": "weight_kg",
    "stool_ml_per_day": "stool_ml_per_day",
    "episodes_per_day": "stool_episodes_per_day",
    "unquantified_episodes": "unquantified_episodes",
}

#: Form field -> organ name of ``inodli.protocol.gvhd_chronic.cgvhd_organs()``.
CGVHD_ORGANS = {
    "skin": "skin",
    "mouth": "mouth",
    "eyes": "eyes",
    "gi_tract": "gi",
    "liver": "liver",
    "lungs": "lungs",
    "joints_fascia": "joints_fascia",
    "genital_tract": "genital",
}


def complete_acute_gvhd(record: AcuteGvhdAssessment) -> AgvhdAssessment:
    """Stage the four organs and grade them; store stages, grade and the reasons."""
    try:
        result = assess_agvhd(
            skin_erythema_bsa_pct=record.skin_erythema_bsa_pct,
            bullae_desquamation_bsa_pct=record.skin_bullae_bsa_pct or 0.0,
            bilirubin=record.bilirubin,
            bilirubin_unit=record.bilirubin_unit,
            upper_gi_persistent=record.upper_gi_persistent,
            weight_kg=float(record.weight_kg),
            stool_ml_per_day=record.stool_ml_per_day,
            stool_episodes_per_day=record.stool_episodes_per_day,
            unquantified_episodes=record.unquantified_episodes or 0,
            severe_abdominal_pain=record.severe_abdominal_pain,
            grossly_bloody_stool=record.grossly_bloody_stool,
        )
    except InputError as error:
        raise ValidationError({_ACUTE_FIELDS.get(error.field, "__all__"): str(error)}) from error
    stages = {stage.organ: stage for stage in result.organ_stages}
    record.skin_stage = stages["skin"].stage
    record.liver_stage = stages["liver"].stage
    record.upper_gi_stage = stages["upper_gi"].stage
    record.lower_gi_stage = stages["lower_gi"].stage
    record.overall_grade = result.overall.grade
    record.grade_detail = "; ".join(
        [f"{s.organ} {s.stage}: {s.reason}" for s in result.organ_stages]
        + [f"grade {result.overall.roman}: {result.overall.rule}"]
    )
    return result


def complete_chronic_gvhd(record: ChronicGvhdAssessment) -> CgvhdSeverityResult:
    """Global severity (none, mild, moderate, severe) from the eight NIH organ scores."""
    scores = {organ: getattr(record, field) for field, organ in CGVHD_ORGANS.items()}
    try:
        result = cgvhd_global_severity(scores)
    except InputError as error:
        field = {organ: field for field, organ in CGVHD_ORGANS.items()}.get(error.field, "__all__")
        raise ValidationError({field: str(error)}) from error
    record.global_severity = result.severity.value
    record.severity_detail = "; ".join(result.reasons)[:300]
    return result
