"""Who may see which mission. Every mission-owned query starts from these."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from trademission.missions.enums import Role


def visible_missions(user: Any, queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """Missions of projects the user's organisations take part in, plus explicit roles."""
    from trademission.missions.models import Mission

    qs = Mission.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(Q(project__partners__memberships__user=user) | Q(team__user=user)).distinct()


def role_on(user: Any, mission: Any) -> str | None:
    """The user's role on a mission, or None when they have none.

    An explicit team role wins; otherwise staff of the coordinating organisation are
    coordinators and staff of the other partners are partner staff.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.COORDINATOR
    explicit = mission.team.filter(user=user).values_list("role", flat=True).first()
    if explicit:
        return str(explicit)
    partner_flags = list(
        mission.project.partnerships.filter(organisation__memberships__user=user).values_list(
            "is_coordinator", flat=True
        )
    )
    if not partner_flags:
        return None
    return Role.COORDINATOR if any(partner_flags) else Role.PARTNER_STAFF
