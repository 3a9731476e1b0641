"""Public and token-link pages of this area (no account needed)."""

from django.urls import URLPattern, path

from trademission.portal.views import apply

urlpatterns: list[URLPattern] = [
    path("apply/<slug:mission>/", apply.ApplyView.as_view(), name="apply"),
    path("apply/<slug:mission>/thanks/", apply.ApplyDoneView.as_view(), name="apply_done"),
]
