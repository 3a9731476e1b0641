"""URLs and tabs of this area of a mission's pages (see control/navigation.py)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from trademission.control.navigation import Tab
from trademission.control.views import selection as views

TABS: list[Tab] = [Tab("selection", _("Selection"), "score_applications")]

_M = "missions/<slug:mission>/selection"
urlpatterns: list[URLPattern] = [
    path(f"{_M}/", views.SelectionListView.as_view(), name="selection"),
    path(f"{_M}/<int:pk>/", views.SelectionDetailView.as_view(), name="selection_detail"),
    path(f"{_M}/<int:pk>/decide/", views.SelectionDecideView.as_view(), name="selection_decide"),
]
