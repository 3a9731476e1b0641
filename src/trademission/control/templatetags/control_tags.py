from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from trademission.control.navigation import mission_tabs
from trademission.missions.rules import PERMISSIONS

register = template.Library()


@register.inclusion_tag("control/_tabs.html", takes_context=True)
def tabs(context: dict[str, Any]) -> dict[str, Any]:
    """The mission's tabs the current role may open, the current one marked."""
    mission, role = context["mission"], context["role"]
    match = context["request"].resolver_match
    current = match.url_name if match else ""
    items = [
        {
            "url": reverse(f"control:{tab.url_name}", kwargs={"mission": mission.slug}),
            "label": tab.label,
            "current": tab.url_name == current
            or current.startswith(tab.url_name.split("_")[0] + "_"),
        }
        for tab in mission_tabs()
        if role in PERMISSIONS[tab.permission]
    ]
    return {"tabs": items}
