"""Demo users, one per study role, with their printed logins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from inodli.edc.core.models import UserProfile
from inodli.edc.core.roles import Role, assign_role

__all__ = ["DEMO_USERS", "DemoUser", "create_demo_users"]


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role
    full_name: str
    language: str = "en"


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("investigator", "demo-investigator", Role.INVESTIGATOR, "Dr Chen Wei"),
    DemoUser("yisheng", "demo-yisheng", Role.INVESTIGATOR, "Dr Li Na (中文)", "zh-hans"),
    DemoUser("nurse", "demo-nurse", Role.NURSE, "Wang Fang"),
    DemoUser("pharmacist", "demo-pharmacist", Role.PHARMACIST, "Zhao Lei"),
    DemoUser("datamanager", "demo-datamanager", Role.DATA_MANAGER, "Sun Yu"),
    DemoUser("monitor", "demo-monitor", Role.MONITOR, "Liu Yang"),
    DemoUser("statistician", "demo-statistician", Role.STATISTICIAN, "Zhou Min"),
    DemoUser("admin", "demo-admin", Role.ADMINISTRATOR, "Xu Jing"),
)


def create_demo_users() -> dict[str, Any]:
    """Create (or reuse) the demo users; returns them by username."""
    model = get_user_model()
    users: dict[str, Any] = {}
    for demo in DEMO_USERS:
        first, _, last = demo.full_name.partition(" ")
        user, created = model.objects.get_or_create(
            username=demo.username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(demo.password)
            user.save()
        assign_role(user, demo.role)
        UserProfile.objects.update_or_create(user=user, defaults={"language": demo.language})
        users[demo.username] = user
    return users
