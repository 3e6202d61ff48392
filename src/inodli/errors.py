"""The one error type for bad input, shared by every layer.

Every message names the field, the values allowed and the value received, so that a
form, the importer, the CLI and the API can all show the same clear sentence.
"""

from __future__ import annotations

from typing import Any

__all__ = ["InputError"]


class InputError(ValueError):
    """Bad input for a named field.

    Parameters
    ----------
    field : str
        The parameter, form field or CSV column that was wrong.
    allowed : str
        A human description of the values accepted, e.g. ``"a number in 30-250"``.
    received : Any
        The value that was given.
    detail : str, optional
        A further sentence (why it matters, what to do).

    Examples
    --------
    >>> err = InputError("height_cm", "a number in 30-250 (cm)", 900)
    >>> str(err)
    'height_cm: expected a number in 30-250 (cm), got 900'
    """

    def __init__(self, field: str, allowed: str, received: Any, detail: str = "") -> None:
        self.field = field
        self.allowed = allowed
        self.received = received
        self.detail = detail
        message = f"{field}: expected {allowed}, got {received!r}"
        if detail:
            message = f"{message}. {detail}"
        super().__init__(message)
