"""The visit calendar of a subject (filled in once ``inodli.protocol.schedule`` lands)."""

from __future__ import annotations

from typing import Any


def subject_calendar(subject: Any) -> list[Any]:
    return []
