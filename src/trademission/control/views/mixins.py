"""Tenancy for every mission page: the mission is looked up among those the user may see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404

from trademission.missions.domain.queries.access import role_on, visible_missions
from trademission.missions.models import Mission
from trademission.missions.rules import PERMISSIONS


class MissionMixin(LoginRequiredMixin):
    """Sets ``self.mission`` and ``self.role``; a mission the user may not see is a 404.

    ``permission`` is needed to see the page (GET), ``change_permission`` to post to it; both
    name entries of :data:`trademission.missions.rules.PERMISSIONS`. Without the first the
    mission does not exist for the user (404); with it but without the second, 403.
    """

    mission: Mission
    role: str
    permission = "view_mission"
    change_permission: str | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.mission = get_object_or_404(
            visible_missions(request.user).select_related("project"), slug=kwargs["mission"]
        )
        role = role_on(request.user, self.mission)
        if role is None or role not in PERMISSIONS[self.permission]:
            raise Http404
        changing = request.method not in ("GET", "HEAD", "OPTIONS")
        if changing and self.change_permission and role not in PERMISSIONS[self.change_permission]:
            raise PermissionDenied
        self.role = role
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(
            mission=self.mission,
            role=self.role,
            can={name: self.role in roles for name, roles in PERMISSIONS.items()},
        )
        return context
