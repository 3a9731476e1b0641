from __future__ import annotations

from typing import Any

from django import template

from trademission.missions.domain.queries.setup import coordinated_projects

register = template.Library()


@register.simple_tag
def may_create_missions(user: Any) -> bool:
    """Whether the user's organisation coordinates a project (and so creates missions)."""
    return coordinated_projects(user).exists()
