"""Reads for the set-up pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trademission.missions.models import Project


def coordinated_projects(user: Any) -> QuerySet[Project]:
    """Projects whose coordinating partner employs the user: they may create missions."""
    if not getattr(user, "is_authenticated", False):
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(
        partnerships__is_coordinator=True, partnerships__organisation__memberships__user=user
    ).distinct()
