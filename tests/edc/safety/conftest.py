"""Each test starts in English: a page request activates its user's language in the thread,
and the messages these tests read are the English ones."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    translation.activate("en")
    yield
    translation.activate("en")
