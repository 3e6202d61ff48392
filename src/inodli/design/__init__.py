"""inodli.design: Phase II designs, monitoring rules, their operating characteristics and the
inference after a two-stage design."""

from inodli.design.bayes import (
    StoppingBoundary,
    posterior_probability,
    posterior_stopping_boundaries,
    predictive_probability,
    predictive_stopping_boundaries,
    toxicity_stopping_boundaries,
)
from inodli.design.bop2 import Bop2Design, bop2_boundaries, bop2_design
from inodli.design.oc import (
    MonitoringPlan,
    OperatingCharacteristics,
    exact_operating_characteristics,
    operating_characteristics,
    simulate_operating_characteristics,
)
from inodli.design.simon import (
    SimonDesign,
    SimonResult,
    simon_design_for_n,
    simon_operating_characteristics,
    simon_two_stage,
)
from inodli.design.single_stage import (
    SingleStageDesign,
    exact_single_stage,
    power_curve,
    single_stage_design,
)
from inodli.design.trial import (
    TRIAL_DESIGN,
    CandidateDesign,
    MonitoringStatus,
    ToxicityRule,
    TrialDesign,
    candidate_designs,
    trial_monitoring_status,
)
from inodli.design.two_stage_inference import (
    TwoStageInference,
    stagewise_confidence_interval,
    stagewise_p_value,
    two_stage_inference,
    two_stage_median_unbiased,
    two_stage_umvue,
)

__all__ = [
    "TRIAL_DESIGN",
    "Bop2Design",
    "CandidateDesign",
    "MonitoringPlan",
    "MonitoringStatus",
    "OperatingCharacteristics",
    "SimonDesign",
    "SimonResult",
    "SingleStageDesign",
    "StoppingBoundary",
    "ToxicityRule",
    "TrialDesign",
    "TwoStageInference",
    "bop2_boundaries",
    "bop2_design",
    "candidate_designs",
    "exact_operating_characteristics",
    "exact_single_stage",
    "operating_characteristics",
    "posterior_probability",
    "posterior_stopping_boundaries",
    "power_curve",
    "predictive_probability",
    "predictive_stopping_boundaries",
    "simon_design_for_n",
    "simon_operating_characteristics",
    "simon_two_stage",
    "simulate_operating_characteristics",
    "single_stage_design",
    "stagewise_confidence_interval",
    "stagewise_p_value",
    "toxicity_stopping_boundaries",
    "trial_monitoring_status",
    "two_stage_inference",
    "two_stage_median_unbiased",
    "two_stage_umvue",
]
