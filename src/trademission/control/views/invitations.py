"""Invitations: the board of who answered what, sending invitations, reminders, links.

Seeing the pages needs ``view_mission``; every action (prepare, send, remind, resend or revoke
a link) needs ``send_invitations``. Sending and revoking ask for confirmation first.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import ListView, TemplateView

from trademission.control.forms.invitations import BoardActionForm, BoardFilterForm, RulesForm
from trademission.control.views.mixins import MissionMixin
from trademission.meetings.domain import invitations as domain
from trademission.meetings.domain.queries import invitations as queries
from trademission.meetings.enums import RequestStatus
from trademission.meetings.models import MissionPlan
from trademission.missions.rules import PERMISSIONS
from trademission.participants.models import Stakeholder


def board_url(mission_slug: str) -> str:
    return reverse("control:invitations", kwargs={"mission": mission_slug})


def _names(stakeholders: list[Stakeholder]) -> str:
    return ", ".join(s.name for s in stakeholders)


class InvitationBoardView(MissionMixin, ListView):  # type: ignore[type-arg]
    """Per stakeholder: the SMEs proposed, each request's status, times, place, availability
    and note. POST ``action=prepare`` drafts requests from accepted recommendations;
    ``action=remind`` expires overdue requests and sends the reminders that are due."""

    template_name = "control/invitations/board.html"
    change_permission = "send_invitations"
    context_object_name = "rows"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Stakeholder]:
        self.filter_form = BoardFilterForm(self.request.GET or None)
        self.status = self.filter_form.status_value()
        return queries.board_rows(self.mission, status=self.status)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        tz = self.mission.tz
        for stakeholder in context["rows"]:
            # A link can be resent once something was sent (not for drafts only).
            stakeholder.was_sent = any(r.sent_at for r in stakeholder.board_requests)
            for request in stakeholder.board_requests:
                request.spans = [queries.format_span(span, tz) for span in request.availability]
                request.smes = [p.sme for p in request.participations.all()]
        counts = queries.status_counts(self.mission)
        plan = MissionPlan.objects.filter(mission=self.mission).first() or MissionPlan()
        context.update(
            filter_form=self.filter_form,
            status=self.status,
            counts=counts,
            total=sum(counts.values()),
            statuses=[
                (value, label, counts[value], "?" + urlencode({"status": value}))
                for value, label in RequestStatus.choices
            ],
            page_query=urlencode({"status": self.status}) if self.status else "",
            plan=plan,
            rules_form=kwargs.get("rules_form")
            or RulesForm(
                initial={
                    "invitation_valid_days": plan.invitation_valid_days,
                    "reminder_after_days": plan.reminder_after_days,
                }
            ),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("action") == "rules":
            return self.set_rules(request)
        form = BoardActionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Unknown action."))
        elif form.cleaned_data["action"] == "prepare":
            created = domain.prepare_requests(self.mission)
            if created:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d meeting request prepared from the accepted recommendations.",
                        "%(count)d meeting requests prepared from the accepted recommendations.",
                        created,
                    )
                    % {"count": created},
                )
            else:
                messages.info(
                    request, _("Every accepted recommendation already has a meeting request.")
                )
        else:
            expired, report = domain.expire_and_remind(self.mission)
            text = ngettext(
                "Reminders sent to %(count)d stakeholder.",
                "Reminders sent to %(count)d stakeholders.",
                len(report.stakeholders),
            ) % {"count": len(report.stakeholders)}
            if expired:
                text += " " + ngettext(
                    "%(count)d request expired.", "%(count)d requests expired.", expired
                ) % {"count": expired}
            messages.success(request, text)
            if report.no_email:
                messages.warning(
                    request,
                    _("Not reminded, no contact e-mail: %(names)s.")
                    % {"names": _names(report.no_email)},
                )
        return HttpResponseRedirect(request.get_full_path())

    def set_rules(self, request: HttpRequest) -> HttpResponse:
        form = RulesForm(request.POST)
        if form.is_valid():
            domain.set_invitation_rules(self.mission, **form.cleaned_data)
            messages.success(request, _("Invitation rules saved."))
            return HttpResponseRedirect(request.get_full_path())
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(rules_form=form), status=400)


class SendInvitationsView(MissionMixin, TemplateView):
    """The confirmation page: who will receive which requests, who lacks an e-mail; POST
    sends the invitations."""

    template_name = "control/invitations/send.html"
    change_permission = "send_invitations"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        groups = queries.outgoing(self.mission)
        for group in groups:
            for request in group.requests:
                request.smes = [p.sme for p in request.participations.all()]  # type: ignore[attr-defined]
        plan = MissionPlan.objects.filter(mission=self.mission).first() or MissionPlan()
        context.update(
            reachable=[g for g in groups if g.recipients],
            unreachable=[g for g in groups if not g.recipients],
            n_requests=sum(len(g.requests) for g in groups if g.recipients),
            n_mails=sum(len(g.recipients) for g in groups),
            plan=plan,
            board_url=board_url(self.mission.slug),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = domain.send_invitations(self.mission, user=request.user)
        if report.stakeholders:
            messages.success(
                request,
                ngettext(
                    "Invitations sent to %(count)d stakeholder (%(mails)d e-mails).",
                    "Invitations sent to %(count)d stakeholders (%(mails)d e-mails).",
                    len(report.stakeholders),
                )
                % {"count": len(report.stakeholders), "mails": report.mails},
            )
        else:
            messages.info(request, _("No invitation was sent."))
        if report.no_email:
            messages.warning(
                request,
                _("Not sent, no contact e-mail: %(names)s. Add an e-mail address and send again.")
                % {"names": _names(report.no_email)},
            )
        return HttpResponseRedirect(board_url(self.mission.slug))


class _StakeholderLinkView(MissionMixin, TemplateView):
    """A confirmation page about one stakeholder's link; GET needs ``send_invitations`` too."""

    change_permission = "send_invitations"

    def get_stakeholder(self) -> Stakeholder:
        return get_object_or_404(
            Stakeholder.objects.select_related("organisation", "mission"),
            mission=self.mission,
            pk=self.kwargs["stakeholder"],
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.role not in PERMISSIONS["send_invitations"]:
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        stakeholder = self.get_stakeholder()
        context.update(
            stakeholder=stakeholder,
            recipients=list(stakeholder.contacts.exclude(email="").order_by("name", "pk")),
            valid_tokens=list(stakeholder.tokens.valid().order_by("-expires_at")),
            board_url=board_url(self.mission.slug),
        )
        return context


class ResendLinkView(_StakeholderLinkView):
    template_name = "control/invitations/resend.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        stakeholder = self.get_stakeholder()
        try:
            report = domain.resend_link(stakeholder, user=request.user)
        except domain.InvitationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if report.no_email:
                messages.warning(
                    request,
                    _("Not sent: %(name)s has no contact e-mail.") % {"name": stakeholder.name},
                )
            else:
                messages.success(
                    request,
                    _("A new link was sent to %(name)s.") % {"name": stakeholder.name},
                )
        return HttpResponseRedirect(board_url(self.mission.slug))


class RevokeLinkView(_StakeholderLinkView):
    template_name = "control/invitations/revoke.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        stakeholder = self.get_stakeholder()
        count = domain.revoke_links(stakeholder)
        messages.success(
            request,
            ngettext(
                "%(count)d link of %(name)s revoked.",
                "%(count)d links of %(name)s revoked.",
                count,
            )
            % {"count": count, "name": stakeholder.name},
        )
        return HttpResponseRedirect(board_url(self.mission.slug))
