"""inodli.design: Phase II designs, interim monitoring rules and their operating characteristics."""

from inodli.design.simon import (
    SimonDesign,
    SimonResult,
    simon_operating_characteristics,
    simon_two_stage,
)

__all__ = [
    "SimonDesign",
    "SimonResult",
    "simon_operating_characteristics",
    "simon_two_stage",
]
