"""Parts of a page rendered once per distinct input: the calendar table, the forms list.

A busy page is mostly the same HTML request after request (a subject's calendar changes when a
record is saved, not when the page is opened again). :func:`render_fragment` renders a template
from plain values only (no request, no user, no CSRF token) and remembers the HTML for those
values, the active language and the URL prefix. The values must be hashable and equal only when
they render the same: text, integers, dates, booleans used as flags, tuples and frozen
dataclasses of these (a ``Decimal`` is not: ``Decimal("1.0") == Decimal("1.00")``).
"""

from __future__ import annotations

import functools
from collections.abc import Hashable

from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

__all__ = ["clear_fragments", "render_fragment"]


@functools.lru_cache(maxsize=2048)
def _render(
    template_name: str, values: tuple[tuple[str, Hashable], ...], language: str, prefix: str
) -> str:
    return str(get_template(template_name).render(dict(values)))


def render_fragment(template_name: str, **values: Hashable) -> SafeString:
    """The HTML of ``template_name`` rendered with ``values`` (remembered for equal values)."""
    key = tuple(sorted(values.items()))
    return mark_safe(_render(template_name, key, translation.get_language(), get_script_prefix()))


def clear_fragments() -> None:
    """Forget every remembered fragment (tests that change templates or translations)."""
    _render.cache_clear()
