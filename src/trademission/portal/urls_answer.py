"""Public and token-link pages of this area (no account needed)."""

from django.urls import URLPattern, path

from trademission.portal.views import answer

urlpatterns: list[URLPattern] = [
    path("invitation/<str:token>/", answer.AnswerView.as_view(), name="answer"),
]
