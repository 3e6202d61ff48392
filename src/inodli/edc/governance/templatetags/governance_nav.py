"""``{% exchange_link %}``: the navigation link to the exchange page, for the roles that may
export or import."""

from __future__ import annotations

from typing import Any

from django import template

from inodli.edc.governance.permissions import Action, allowed

register = template.Library()


@register.inclusion_tag("governance/_nav.html", takes_context=True)
def exchange_link(context: dict[str, Any]) -> dict[str, Any]:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"may_exchange": False}
    return {"may_exchange": allowed(user, Action.EXPORT) or allowed(user, Action.IMPORT)}
