"""The dosing rule tables ship with their header and source text, and a broken table fails loudly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from inodli.protocol import (
    bsa,
    dli,
    dose_modification,
    ino,
    interruption,
    intrathecal,
    preparation,
    schedule,
)
from inodli.protocol._ruletable import RuleTableError, load_rule_table

TABLES = (
    "bsa",
    "ino_regimen",
    "ino_product",
    "ino_dose_modification",
    "dli",
    "intrathecal",
    "visit_schedule",
)


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


@pytest.mark.parametrize("name", TABLES)
def test_it_ships_each_table_with_its_header(name: str) -> None:
    data = load_rule_table(name)
    assert data["table"] == name
    assert data["version"]
    assert data["source"]


@pytest.mark.parametrize(
    "name", ["ino_regimen", "ino_product", "ino_dose_modification", "dli", "intrathecal"]
)
def test_it_keeps_source_text_beside_every_rule(name: str) -> None:
    for path, section in _walk(load_rule_table(name)):
        if "rule_id" in section:
            assert section.get("source_text") or section.get("recalled_text"), path


def test_it_marks_table_4_as_unverified_and_never_as_source_text() -> None:
    table4 = load_rule_table("ino_dose_modification")["table4"]
    assert table4["verified"] is False
    assert all("source_text" not in row and row["recalled_text"] for row in table4["rows"])


LOADERS: list[tuple[Any, Callable[[], Any], Callable[[], Any]]] = [
    (bsa, bsa._rules, lambda: bsa.body_surface_area(170, 65)),
    (ino, ino._rules, lambda: ino.ino_cycle_plan(1, 1.7, False)),
    (preparation, preparation._product, lambda: preparation.preparation_sheet(1.36)),
    (dose_modification, dose_modification._table, lambda: None),
    (interruption, interruption._table4, lambda: None),
    (dli, dli._table, lambda: dli.dli_dose(60, 5e7)),
    (intrathecal, intrathecal._rules, lambda: None),
    (schedule, schedule._rules, lambda: None),
]


@pytest.mark.parametrize(("module", "loader", "_call"), LOADERS)
def test_it_refuses_a_malformed_table(
    monkeypatch: pytest.MonkeyPatch, module: Any, loader: Any, _call: Callable[[], Any]
) -> None:
    monkeypatch.setattr(
        module, "load_rule_table", lambda name: {"table": name, "version": "x", "source": "x"}
    )
    loader.cache_clear()
    try:
        with pytest.raises(RuleTableError, match=r"malformed|lacks|inconsistent"):
            loader()
    finally:
        monkeypatch.undo()
        loader.cache_clear()
    assert loader() is not None  # the shipped table loads again
