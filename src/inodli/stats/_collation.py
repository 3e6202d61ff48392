"""The order in which R sorts text labels into factor levels, without ICU.

R's ``factor()`` sorts the distinct labels with the locale's collation, which on a usual
installation (R built with ICU, any UTF-8 locale other than ``C``) is the Unicode Collation
Algorithm with CLDR root weights. That order decides the reference level of a Cox term, the
order of groups in ``survdiff`` and the names of curves. Python's ``sorted`` compares code
points instead, which puts every capital letter before every small one ("Treatment" before
"control"); R puts "control" first.

:func:`collation_key` reproduces the root collation for the labels a trial uses (Latin letters
with or without accents, digits, spaces, ASCII punctuation; other scripts in code-point
order): compare the characters ignoring case and accents first (white space, then
punctuation and symbols, then digits, then letters), then the accents, then the case, small
before capital. Digits are characters, not numbers ("10" sorts before "9"), as in R. Under
``LC_COLLATE=C`` R compares code points instead; that is not reproduced.

References
----------
.. [1] Unicode Technical Standard #10, Unicode Collation Algorithm (three comparison levels).
.. [2] R Core Team. ``?Comparison`` and ``?icuSetCollate`` (R sorts strings with ICU where
   available).
"""

from __future__ import annotations

import unicodedata
from typing import Any

__all__ = ["collation_key", "sort_labels"]

# ASCII punctuation and symbols in the order of the CLDR root collation, as R 4.2.2 (ICU)
# sorts them: sort(strsplit("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "")[[1]])
_PUNCTUATION = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"


def _primary_weight(character: str) -> tuple[int, int]:
    if character.isspace():
        return (0, ord(character))
    position = _PUNCTUATION.find(character)
    if position >= 0:
        return (1, position)
    if character.isdigit():
        return (2, ord(character))
    if character.isalpha():
        return (3, ord(character))
    return (1, len(_PUNCTUATION) + ord(character))  # other symbols: with the punctuation


def collation_key(label: str) -> tuple[tuple[Any, ...], ...]:
    """Sort key for ``label``: letters ignoring case and accents, then accents, then case."""
    decomposed = unicodedata.normalize("NFD", label)
    bases: list[str] = []
    accents: list[tuple[int, ...]] = []
    for character in decomposed:
        if unicodedata.combining(character) and bases:
            accents[-1] = (*accents[-1], ord(character))
        else:
            bases.append(character)
            accents.append(())
    primary = tuple(_primary_weight(c) for c in "".join(bases).casefold())
    case = tuple(c != c.lower() for c in bases)  # small letters first
    return (primary, tuple(accents), case)


def sort_labels(labels: list[Any]) -> list[Any]:
    """Labels in R's factor-level order: text by :func:`collation_key`, others as they sort."""
    if labels and all(isinstance(label, str) for label in labels):
        return sorted(labels, key=collation_key)
    return sorted(labels)
