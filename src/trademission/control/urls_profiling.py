"""URLs and tabs of this area of a mission's pages (see control/navigation.py)."""

from django.urls import URLPattern

from trademission.control.navigation import Tab

TABS: list[Tab] = []
urlpatterns: list[URLPattern] = []
