"""URLs and tabs of this area of a mission's pages (see control/navigation.py)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from trademission.control.navigation import Tab
from trademission.control.views import profiling as views

TABS: list[Tab] = [Tab("profiling", _("Profiling"), "profile_smes")]

_M = "missions/<slug:mission>/profiling"
_S = f"{_M}/<int:pk>"
urlpatterns: list[URLPattern] = [
    path(f"{_M}/", views.ProfilingListView.as_view(), name="profiling"),
    path(f"{_S}/", views.ProfileView.as_view(), name="profiling_sme"),
    path(f"{_S}/notes/", views.AddNoteView.as_view(), name="profiling_note_add"),
    path(f"{_S}/notes/<int:note>/", views.EditNoteView.as_view(), name="profiling_note_edit"),
    path(
        f"{_S}/notes/<int:note>/delete/",
        views.DeleteNoteView.as_view(),
        name="profiling_note_delete",
    ),
    path(f"{_S}/expectations/", views.ExpectationsView.as_view(), name="profiling_expectations"),
    path(f"{_S}/wishes/", views.AddWishView.as_view(), name="profiling_wish_add"),
    path(f"{_S}/exclusions/", views.AddExclusionView.as_view(), name="profiling_exclusion_add"),
    path(
        f"{_S}/matches/<int:match>/remove/",
        views.RemoveMatchView.as_view(),
        name="profiling_match_remove",
    ),
]
