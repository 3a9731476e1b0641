"""Public and token-link pages of this area (no account needed)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
