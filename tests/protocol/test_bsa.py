"""Body surface area against the published formulas (evaluated by hand here, as printed).

Sources: Mosteller RD, N Engl J Med 1987;317:1098: BSA = sqrt(height_cm x weight_kg / 3600).
DuBois D, DuBois EF, Arch Intern Med 1916;17:863: BSA = 0.007184 x H^0.725 x W^0.425.
Haycock GB et al., J Pediatr 1978;93:62: BSA = 0.024265 x H^0.3964 x W^0.5378.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from inodli.errors import InputError
from inodli.protocol.bsa import BSA_FORMULAS, body_surface_area


def test_it_offers_the_three_formulas_of_the_issue() -> None:
    assert set(BSA_FORMULAS) == {"mosteller", "dubois", "haycock"}


@pytest.mark.parametrize(
    ("height", "weight", "expected"),
    [
        (180, 80, 2.0),  # sqrt(180 x 80 / 3600) = sqrt(4) = 2 exactly (Mosteller 1987)
        (144, 25, 1.0),  # sqrt(144 x 25 / 3600) = sqrt(1) = 1 exactly
        (170, 65, math.sqrt(170 * 65 / 3600)),  # 1.75198...
        (100, 15, math.sqrt(100 * 15 / 3600)),  # a child: 0.6455
    ],
)
def test_it_computes_mosteller_as_printed(height: float, weight: float, expected: float) -> None:
    result = body_surface_area(height, weight)
    assert result.formula == "mosteller"
    assert result.bsa_m2 == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("formula", "height", "weight", "expected"),
    [
        ("dubois", 170, 65, 0.007184 * 170**0.725 * 65**0.425),  # 1.7536
        ("dubois", 180, 80, 1.9964),  # hand calculation, DuBois 1916 formula
        ("haycock", 170, 65, 0.024265 * 170**0.3964 * 65**0.5378),  # 1.7543
        ("haycock", 100, 15, 0.6461),  # hand calculation, Haycock 1978 formula
    ],
)
def test_it_computes_dubois_and_haycock_as_printed(
    formula: str, height: float, weight: float, expected: float
) -> None:
    assert body_surface_area(height, weight, formula).bsa_m2 == pytest.approx(expected, abs=5e-5)


def test_it_rounds_the_dosing_bsa_half_up_to_two_decimals_and_says_so() -> None:
    result = body_surface_area(170, 65)  # 1.75198 -> 1.75
    assert result.bsa_for_dosing_m2 == 1.75
    assert "0.01 m2" in result.rounding
    assert body_surface_area(158, 49).bsa_for_dosing_m2 == 1.47  # 1.46648 -> 1.47


def test_it_rounds_an_exact_half_up() -> None:
    # Mosteller with H x W = 3600 x 1.245^2 = 5580.09: BSA = 1.245 exactly -> 1.25 (half up),
    # where binary round() would give 1.24 or 1.25 depending on representation.
    weight = 5580.09 / 180
    result = body_surface_area(180, weight)
    assert Decimal(repr(result.bsa_m2)).quantize(Decimal("0.0001")) == Decimal("1.2450")
    assert result.bsa_for_dosing_m2 == 1.25


def test_it_uses_actual_weight_and_no_cap_by_default() -> None:
    # ASCO (Griggs 2012): actual body weight, no capping. 190 cm, 150 kg -> 2.81 m2 uncapped.
    result = body_surface_area(190, 150)
    assert result.bsa_for_dosing_m2 == pytest.approx(round(math.sqrt(190 * 150 / 3600), 2))
    assert result.capped is False
    assert result.cap_m2 is None
    assert result.weight_basis == "actual body weight"


def test_it_caps_only_when_a_cap_is_configured() -> None:
    capped = body_surface_area(190, 150, cap_m2=2.0)
    assert capped.bsa_for_dosing_m2 == 2.0
    assert capped.capped is True
    assert "capped at 2 m2" in capped.rounding
    below = body_surface_area(170, 65, cap_m2=2.0)
    assert below.bsa_for_dosing_m2 == 1.75
    assert below.capped is False


@pytest.mark.parametrize(("height", "weight"), [(30, 2), (250, 350), (30, 350), (250, 2)])
def test_it_accepts_the_edges_of_the_plausible_ranges(height: float, weight: float) -> None:
    assert body_surface_area(height, weight).bsa_m2 > 0


@pytest.mark.parametrize(
    ("height", "weight", "field"),
    [
        (29.99, 65, "height_cm"),
        (250.01, 65, "height_cm"),
        (170, 1.99, "weight_kg"),
        (170, 350.01, "weight_kg"),
        (float("nan"), 65, "height_cm"),
        (170, float("inf"), "weight_kg"),
        (True, 65, "height_cm"),
        (170, False, "weight_kg"),
        ("170", 65, "height_cm"),
        (None, 65, "height_cm"),
        (170, [65], "weight_kg"),
    ],
)
def test_it_refuses_implausible_or_non_numeric_input(
    height: object, weight: object, field: str
) -> None:
    with pytest.raises(InputError) as caught:
        body_surface_area(height, weight)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: expected a number in")


def test_it_refuses_an_unknown_formula_naming_the_allowed_ones() -> None:
    with pytest.raises(
        InputError, match="formula: expected one of mosteller, dubois, haycock, got 'boyd'"
    ):
        body_surface_area(170, 65, "boyd")


@pytest.mark.parametrize("cap", [0, -1, float("nan"), "2"])
def test_it_refuses_a_non_positive_or_non_numeric_cap(cap: object) -> None:
    with pytest.raises(InputError, match="cap_m2"):
        body_surface_area(170, 65, cap_m2=cap)


def test_it_keeps_the_formula_text_and_inputs_for_the_record() -> None:
    result = body_surface_area(170, 65, "dubois")
    assert "0.007184" in result.formula_text
    assert (result.height_cm, result.weight_kg) == (170.0, 65.0)
    assert "BSA 1.75 m2 (dubois" in str(result)
