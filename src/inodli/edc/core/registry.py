"""The form registry: every case report form declares itself once, by its form code.

The visit calendar (:mod:`inodli.edc.visits`) asks the registry which records of a form were
entered for a visit; the generic views (:mod:`inodli.edc.core.views`) serve any registered form
at ``/subjects/<subject pk>/forms/<code>/...``. An app registers its forms in its
``AppConfig.ready``::

    register(FormSpec(code="INO_ADMIN", title=_("InO administration"),
                      model=InoAdministration, form_class=InoAdministrationForm))
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

if TYPE_CHECKING:
    pass

__all__ = ["FormSpec", "all_forms", "get_form", "register"]

#: ``(subject, window_start, window_end) -> records`` entered for a visit window.
EnteredLookup = Callable[[Any, dt.date, dt.date], QuerySet[Any]]


@dataclass(frozen=True)
class FormSpec:
    """One case report form.

    Parameters
    ----------
    code : str
        The form code used by the protocol schedule (``inodli.protocol.schedule``) and in URLs,
        e.g. ``"INO_ADMIN"``.
    title : str
        Human title (lazily translated).
    model, form_class :
        The :class:`~inodli.edc.core.models.SubjectRecord` subclass and its
        :class:`~inodli.edc.core.forms.RecordForm`.
    repeating : bool
        Many records per subject (labs, AEs) or at most one (consent, demographics).
    entered : callable, optional
        ``(subject, start, end) -> QuerySet`` of the records that count as "entered" for a visit
        whose window is ``[start, end]`` (closed). Default: the subject's records whose
        ``event_date_field`` lies in the window.
    view_class : type, optional
        A subclass of :class:`inodli.edc.core.views.RecordFormView` for forms that show more
        (a computed dose, a derived grade). Default: the generic view.
    template : str
        The template of the form page.
    order : int
        Position in the subject page's list of forms.
    """

    code: str
    title: Any
    model: type[Any]  # a SubjectRecord subclass
    form_class: type[Any]  # a RecordForm subclass
    repeating: bool = True
    entered: EnteredLookup | None = None
    view_class: type[Any] | None = None
    template: str = "core/record_form.html"
    order: int = 100
    extra: dict[str, Any] = field(default_factory=dict)

    def records(self, subject: Any) -> QuerySet[Any]:
        """All the subject's records of this form, newest clinical date first.

        The records they point to (an AE grade's adverse event, a DLI's HLA-loss test) come in
        the same query: their text names them, so a list of records reads them row by row otherwise.
        """
        queryset = self.model._default_manager.filter(subject=subject)
        if self.parents:
            queryset = queryset.select_related(*self.parents)
        date_field = self.model.event_date_field
        return (
            queryset.order_by(f"-{date_field}", "-id") if date_field else queryset.order_by("-id")
        )

    @functools.cached_property
    def parents(self) -> tuple[str, ...]:
        """The record's foreign keys to other records (not the subject, not the users)."""
        return tuple(
            field.name
            for field in self.model._meta.concrete_fields
            if field.many_to_one and field.name not in {"subject", "created_by", "modified_by"}
        )

    def entered_between(self, subject: Any, start: dt.date, end: dt.date) -> QuerySet[Any]:
        """The records that count as entered for a visit window ``[start, end]``."""
        if self.entered is not None:
            return self.entered(subject, start, end)
        date_field = self.model.event_date_field
        if date_field is None:
            return self.model._default_manager.filter(subject=subject)
        return self.model._default_manager.filter(
            subject=subject, **{f"{date_field}__gte": start, f"{date_field}__lte": end}
        )


_REGISTRY: dict[str, FormSpec] = {}


def register(spec: FormSpec) -> FormSpec:
    """Add ``spec``; registering a different form under a used code is an error."""
    existing = _REGISTRY.get(spec.code)
    if existing is not None and existing.model is not spec.model:
        raise ValueError(f"form code {spec.code!r} is already registered for {existing.model}")
    _REGISTRY[spec.code] = spec
    return spec


def get_form(code: str) -> FormSpec:
    return _REGISTRY[code]


def all_forms() -> list[FormSpec]:
    return sorted(_REGISTRY.values(), key=lambda spec: (spec.order, spec.code))
