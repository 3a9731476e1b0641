"""The stakeholder's token page: answer the delegation's meeting requests without an account.

The link's secret is looked up by its hash (one indexed query). An unknown secret is a 404;
an expired or revoked link is a 410 page that says whom to contact. The page only ever reads
and writes the requests of the link's own stakeholder.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from trademission.meetings.domain.invitations import InvitationError, answer_requests
from trademission.meetings.domain.queries import invitations as queries
from trademission.participants.models import StakeholderToken
from trademission.portal.forms.answer import AnswerForm

LANGUAGES = ("en", "fr")


def _url(raw: str, language: str) -> str:
    with translation.override(language):
        return reverse("portal:answer", kwargs={"token": raw})


@method_decorator(never_cache, name="dispatch")
class AnswerView(TemplateView):
    template_name = "portal/answer/page.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = StakeholderToken.objects.find(kwargs["token"])
        if token is None:
            raise Http404
        self.token = token
        self.stakeholder = token.stakeholder
        self.mission = token.stakeholder.mission
        if not token.is_valid:
            return render(
                request,
                "portal/answer/expired.html",
                {
                    "mission": self.mission,
                    "organiser_email": queries.organiser_email(self.mission),
                    "revoked": token.revoked,
                },
                status=410,
            )
        preferred = self.stakeholder.profile_language
        if (
            request.method == "GET"
            and get_language_from_path(request.path_info) is None
            and "lang" not in request.GET
            and not request.COOKIES.get("django_language")
            and preferred in LANGUAGES
            and preferred != translation.get_language()
        ):
            return HttpResponseRedirect(_url(kwargs["token"], preferred))
        return super().dispatch(request, *args, **kwargs)

    def forms(self, data: Any = None) -> list[AnswerForm]:
        now = timezone.now()
        places = queries.allowed_places(self.mission)
        halves = queries.half_days(self.mission, self.stakeholder.city)
        default_place = self.stakeholder.meeting_place
        forms = []
        for request in queries.stakeholder_requests(self.stakeholder):
            form = AnswerForm(
                data,
                request=request,
                places=places,
                halves=halves,
                default_place=default_place,
                is_open=queries.is_open(request, now=now),
            )
            form.smes = [p.sme for p in request.participations.all()]  # type: ignore[attr-defined]
            form.reasons = queries.why_recommended(request)  # type: ignore[attr-defined]
            forms.append(form)
        return forms

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        raw = self.kwargs["token"]
        forms = kwargs.get("forms") or self.forms()
        context.update(
            mission=self.mission,
            stakeholder=self.stakeholder,
            token=self.token,
            forms=forms,
            any_open=any(form.is_open for form in forms),
            days=queries.days_in_city(self.mission, self.stakeholder.city),
            organiser_email=queries.organiser_email(self.mission),
            language_links=[
                ("en", "English", _url(raw, "en") + "?lang=en"),
                ("fr", "Français", _url(raw, "fr")),
            ],
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        forms = self.forms(request.POST)
        if all(form.is_valid() for form in forms):
            answers = {}
            for form in forms:
                answer = form.answer()
                if answer is not None:
                    answers[form.request.pk] = answer
            try:
                saved = answer_requests(self.token, answers)
            except InvitationError as exc:
                self._attach(forms, exc)
            else:
                if saved:
                    messages.success(
                        request,
                        _("Thank you: your answers are saved. You can change them until %(date)s.")
                        % {"date": self._until()},
                    )
                else:
                    messages.info(request, _("Nothing was changed."))
                return HttpResponseRedirect(request.get_full_path())
        context = self.get_context_data(forms=forms)
        context["has_errors"] = True
        return self.render_to_response(context, status=400)

    def _until(self) -> str:
        from django.utils.formats import date_format

        moment = timezone.localtime(self.token.expires_at, self.mission.tz)
        return f"{date_format(moment, 'j F Y')} {moment:%H:%M} ({self.mission.timezone})"

    @staticmethod
    def _attach(forms: list[AnswerForm], exc: InvitationError) -> None:
        pk = getattr(exc, "request_pk", None)
        target = next((form for form in forms if form.request.pk == pk), None)
        if target is None:
            target = forms[0] if forms else None
        if target is None:
            return
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                name = "half_days" if field == "availability" else field
                for error in errors:
                    target.add_error(name if name in target.fields else None, error)
        else:
            target.add_error(None, exc.messages)
