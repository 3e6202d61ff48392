"""``{% account_links %}``: the navigation links to the account pages a user may open."""

from __future__ import annotations

from typing import Any

from django import template

from inodli.edc.core.roles import can_read
from inodli.edc.governance.permissions import Action, allowed

register = template.Library()


@register.inclusion_tag("accounts/_nav.html", takes_context=True)
def account_links(context: dict[str, Any]) -> dict[str, Any]:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {}
    return {
        "may_manage_users": allowed(user, Action.MANAGE_USERS),
        "may_view_login_log": allowed(user, Action.VIEW_LOGIN_LOG),
        "may_change_password": can_read(user),
    }
