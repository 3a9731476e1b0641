"""Tenancy for every mission page: the mission is looked up among those the user may see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404

from trademission.missions.domain.queries.access import role_on, visible_missions
from trademission.missions.models import Mission


class MissionMixin(LoginRequiredMixin):
    """Sets ``self.mission`` and ``self.role``; a mission the user may not see is a 404."""

    mission: Mission
    role: str
    allowed_roles: frozenset[str] | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.mission = get_object_or_404(
            visible_missions(request.user).select_related("project"), slug=kwargs["mission"]
        )
        role = role_on(request.user, self.mission)
        if role is None or (self.allowed_roles is not None and role not in self.allowed_roles):
            raise Http404
        self.role = role
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(mission=self.mission, role=self.role)
        return context
