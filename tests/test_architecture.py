"""The layering rules of docs/ARCHITECTURE: core packages never import Django."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import inodli

PACKAGE_DIR = Path(inodli.__file__).parent
CORE_PACKAGES = ("protocol", "stats", "design", "adam", "report")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", CORE_PACKAGES)
def test_it_keeps_django_out_of_core_package_source(package: str) -> None:
    offenders = []
    for path in sorted((PACKAGE_DIR / package).rglob("*.py")):
        for module in _imported_modules(path):
            if module == "django" or module.startswith(("django.", "rest_framework", "inodli.edc")):
                offenders.append(f"{path.relative_to(PACKAGE_DIR)} imports {module}")
    assert offenders == []


@pytest.mark.parametrize("package", CORE_PACKAGES)
def test_it_imports_core_package_without_loading_django(package: str) -> None:
    # A fresh interpreter: importing every module of the package must not pull Django in,
    # directly or through a dependency.
    modules = sorted(
        "inodli."
        + ".".join(p.relative_to(PACKAGE_DIR).with_suffix("").parts).removesuffix(".__init__")
        for p in (PACKAGE_DIR / package).rglob("*.py")
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(' '.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from django.db import models\nimport numpy\n", encoding="utf-8")
    assert "django.db" in _imported_modules(bad)
