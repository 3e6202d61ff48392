"""Versioned rule tables shipped with the package (``protocol/rules/*.toml``).

Every table carries, at its top, ``table`` (its name), ``version``, ``source`` (the documents
it encodes) and, beside each structured threshold, the verbatim ``source_text`` it came from.
A table is read once (cached) and validated by the module that owns it when it builds its
frozen dataclasses; nothing is ever evaluated from a string.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["RuleTableError", "load_rule_table"]

REQUIRED_HEADER = ("table", "version", "source")


class RuleTableError(RuntimeError):
    """A shipped rule table is malformed: a packaging error, never a user error."""


@cache
def load_rule_table(name: str) -> dict[str, Any]:
    """Return the parsed rule table ``rules/<name>.toml``.

    Parameters
    ----------
    name : str
        File stem, e.g. ``"ctcae_v5_labs"``.

    Raises
    ------
    RuleTableError
        If the file is missing, is not valid TOML, or lacks ``table``/``version``/``source``, or
        its ``table`` differs from ``name``.
    """
    resource = resources.files("inodli.protocol").joinpath("rules", f"{name}.toml")
    try:
        text = resource.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise RuleTableError(
            f"rule table {name!r} is not shipped in inodli/protocol/rules"
        ) from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleTableError(f"rule table {name!r} is not valid TOML: {error}") from error
    missing = [key for key in REQUIRED_HEADER if key not in data]
    if missing:
        raise RuleTableError(f"rule table {name!r} lacks header keys {missing}")
    if data["table"] != name:
        raise RuleTableError(f"rule table file {name!r} declares table = {data['table']!r}")
    return data
