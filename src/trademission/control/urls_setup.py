"""URLs and tabs of this area of a mission's pages (see control/navigation.py)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from trademission.control.navigation import Tab
from trademission.control.views import setup as views

TABS: list[Tab] = [Tab("setup", _("Set-up"))]

_M = "missions/<slug:mission>/setup"
_LISTS = {"stop": "itinerary", "venue": "venues", "programme": "programme", "criterion": "criteria"}

urlpatterns: list[URLPattern] = [
    path("new-mission/", views.NewMissionView.as_view(), name="setup_new_mission"),
    path(f"{_M}/", views.SetupBasicsView.as_view(), name="setup"),
    path(f"{_M}/calendar/", views.SetupCalendarView.as_view(), name="setup_calendar"),
    path(f"{_M}/call/", views.SetupCallView.as_view(), name="setup_call"),
]
for _name, _plural in _LISTS.items():
    _kind = views.KINDS[_name]
    urlpatterns += [
        path(f"{_M}/{_plural}/", views.RowListView.as_view(kind=_kind), name=f"setup_{_plural}"),
        path(
            f"{_M}/{_plural}/<int:pk>/",
            views.RowEditView.as_view(kind=_kind),
            name=f"setup_{_name}_edit",
        ),
        path(
            f"{_M}/{_plural}/<int:pk>/delete/",
            views.RowDeleteView.as_view(kind=_kind),
            name=f"setup_{_name}_delete",
        ),
    ]
