"""The plan board (a day's timeline per SME or stakeholder) and one meeting's page, where an
organiser pins, moves (checked at once by the planner's validator) or cancels it.

Every change carries the plan version and the meeting version the page showed: a change made
meanwhile by somebody else is refused with who changed the plan and when.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from trademission.control.forms.plan import CancelForm, MoveForm, PinForm
from trademission.control.views.mixins import MissionMixin
from trademission.meetings.domain import planning
from trademission.meetings.domain.queries.plan_board import plan_board
from trademission.meetings.enums import MeetingStatus
from trademission.meetings.models import Meeting
from trademission.missions.enums import VenueKind


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class PlanBoardView(MissionMixin, TemplateView):
    template_name = "control/plan/board.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        get = self.request.GET
        board = plan_board(
            self.mission,
            day=_int(get.get("day")),
            view=get.get("view", "smes"),
            page=get.get("page", 1),
        )
        query = urlencode({"day": board.day.index, "view": board.view, "page": board.page.number})
        prefix = reverse(
            "control:plan_meeting", kwargs={"mission": self.mission.slug, "meeting": 0}
        )[: -len("0/")]
        context.update(
            board=board,
            plan=board.plan,
            plan_version=board.plan.version if board.plan else 1,
            back=f"{self.request.path}?{query}",
            query=query,
            prefix=prefix,
            pin_forms=("pin", "unpin"),
            pin_label=_("Pin"),
            unpin_label=_("Unpin"),
        )
        return context


def _places(mission: Any, meeting: Meeting) -> list[tuple[str, str]]:
    """Where the meeting could be held, as ids of the planner adapter and names."""
    places = []
    if meeting.host_id:
        places.append(
            (f"h{meeting.host_id}", _("%(name)s (their premises)") % {"name": meeting.host.name})
        )
    online = False
    for venue in mission.venues.order_by("kind", "name"):
        if venue.kind == VenueKind.HOTEL:
            continue
        online = online or venue.kind == VenueKind.ONLINE
        places.append((f"v{venue.pk}", str(venue)))
    if not online:
        places.append((planning.SYNTHETIC_ONLINE, _("Online")))
    return places


class PlanMeetingView(MissionMixin, TemplateView):
    """One meeting: move it (day, time, place), pin or unpin it, cancel it."""

    template_name = "control/plan/meeting.html"
    change_permission = "change_plan"

    def get_meeting(self) -> Meeting:
        return get_object_or_404(
            Meeting.objects.select_related("host__organisation", "venue", "mission").exclude(
                status=MeetingStatus.CANCELLED
            ),
            mission=self.mission,
            pk=self.kwargs["meeting"],
        )

    def back(self) -> str:
        back = self.request.POST.get("back") or self.request.GET.get("back") or ""
        if back.startswith("/") and not back.startswith("//"):
            return back
        board = reverse("control:plan_board", kwargs={"mission": self.mission.slug})
        get = self.request.GET
        params = {k: get[k] for k in ("day", "view", "page") if get.get(k, "").isalnum()}
        return f"{board}?{urlencode(params)}" if params else board

    def move_form(self, meeting: Meeting, data: Any = None) -> MoveForm:
        tz = self.mission.tz
        plan = planning.plan_row(self.mission)
        start = meeting.start.astimezone(tz)
        mapping_venue = (
            f"v{meeting.venue_id}"
            if meeting.venue_id
            else (planning.SYNTHETIC_ONLINE if meeting.mode == "online" else f"h{meeting.host_id}")
        )
        return MoveForm(
            data,
            mission=self.mission,
            places=_places(self.mission, meeting),
            initial={
                "day": start.date().isoformat(),
                "time": start.strftime("%H:%M"),
                "venue": mapping_venue,
                "version": meeting.version,
                "plan_version": plan.version,
            },
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting_obj") or self.get_meeting()
        plan = planning.plan_row(self.mission)
        tz = self.mission.tz
        context.update(
            meeting=meeting,
            counterpart=str(meeting.host.name if meeting.host else meeting.venue),
            start=meeting.start.astimezone(tz),
            end=meeting.end.astimezone(tz),
            smes=[p.sme.name for p in meeting.participations.select_related("sme")],
            plan=plan,
            form=kwargs.get("form") or self.move_form(meeting),
            violations=kwargs.get("violations", []),
            checked=kwargs.get("checked", False),
            back=self.back(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        meeting = self.get_meeting()
        action = request.POST.get("action", "move")
        try:
            if action == "pin":
                return self.pin(request, meeting)
            if action == "cancel":
                return self.cancel(request, meeting)
            return self.move(request, meeting, check_only=action == "check")
        except planning.PlanChanged as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.back())

    def pin(self, request: HttpRequest, meeting: Meeting) -> HttpResponse:
        form = PinForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("This meeting has changed meanwhile; reload the page."))
            return HttpResponseRedirect(self.back())
        pinned = form.cleaned_data["pinned"]
        planning.set_pinned(
            meeting,
            pinned=pinned,
            version=form.cleaned_data["version"],
            plan_version=form.cleaned_data["plan_version"],
            user=request.user,
        )
        messages.success(
            request,
            (
                _("Pinned: %(name)s stays where it is when re-planning.")
                if pinned
                else _("Unpinned: %(name)s.")
            )
            % {"name": str(meeting.host or meeting.venue)},
        )
        return HttpResponseRedirect(self.back())

    def cancel(self, request: HttpRequest, meeting: Meeting) -> HttpResponse:
        form = CancelForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("This meeting has changed meanwhile; reload the page."))
            return HttpResponseRedirect(self.back())
        planning.cancel_meeting(
            meeting,
            version=form.cleaned_data["version"],
            plan_version=form.cleaned_data["plan_version"],
            user=request.user,
        )
        messages.success(request, _("The meeting is cancelled."))
        return HttpResponseRedirect(self.back())

    def move(self, request: HttpRequest, meeting: Meeting, *, check_only: bool) -> HttpResponse:
        form = self.move_form(meeting, request.POST)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(meeting_obj=meeting, form=form), status=400
            )
        start, venue = form.start(), form.cleaned_data["venue"]
        if check_only:
            violations, _problem, _mapping = planning.check_move(
                self.mission, meeting, start=start, venue=venue
            )
            context = {"violations": violations, "checked": True}
            if request.headers.get("HX-Request") == "true":
                return render(request, "control/plan/_violations.html", context)
            return self.render_to_response(
                self.get_context_data(meeting_obj=meeting, form=form, **context)
            )
        try:
            planning.move_meeting(
                meeting,
                start=start,
                venue=venue,
                version=form.cleaned_data["version"],
                plan_version=form.cleaned_data["plan_version"],
                user=request.user,
            )
        except planning.MoveRefused as exc:
            return self.render_to_response(
                self.get_context_data(
                    meeting_obj=meeting, form=form, violations=exc.messages, checked=True
                ),
                status=409,
            )
        messages.success(request, _("The meeting is moved."))
        return HttpResponseRedirect(self.back())
