"""The tabs of a mission's pages, gathered from each area's URL module in workflow order."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.utils.translation import gettext_lazy as _

#: The workflow of a mission, in order; each has a ``control/urls_<area>.py``.
AREAS = [
    "setup",
    "selection",
    "profiling",
    "stakeholders",
    "recommendations",
    "invitations",
    "plan",
    "agendas",
]


@dataclass(frozen=True)
class Tab:
    url_name: str  # within the "control" namespace; takes the mission slug as ``mission``
    label: str  # a lazy translation
    permission: str = "view_mission"


def area_modules() -> list[object]:
    return [import_module(f"trademission.control.urls_{area}") for area in AREAS]


def mission_tabs() -> list[Tab]:
    tabs = [Tab("mission", _("Overview"))]
    for module in area_modules():
        tabs.extend(getattr(module, "TABS", []))
    return tabs
