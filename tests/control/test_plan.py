"""The plan pages: build, progress, cancel, board, moves checked at once, locking, publishing."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    TORONTO,
    ContactFactory,
    MeetingFactory,
    MembershipFactory,
    MissionMemberFactory,
    ParticipationFactory,
    ProgrammeItemFactory,
    ProjectPartnerFactory,
    StakeholderFactory,
    UserFactory,
)
from trademission.core.models import Job
from trademission.meetings.models import Meeting, MeetingRequest, MissionPlan, Notification

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def at(hour, minute=0, day=29):
    return dt.datetime(2023, 5, day, hour, minute, tzinfo=TORONTO)


def url(name, mission, **kwargs):
    return reverse(f"control:{name}", kwargs={"mission": mission.slug, **kwargs})


def planned(mission, host, smes, start, minutes=45, **fields):
    """An accepted request and its meeting in the plan."""
    request = MeetingRequest.objects.create(mission=mission, stakeholder=host, status="accepted")
    request.participations.set(smes)
    meeting = MeetingFactory(
        mission=mission,
        host=host,
        request=request,
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        **fields,
    )
    meeting.participations.set(smes)
    return meeting


@pytest.fixture
def plan(tenant):
    """Two SMEs and two stakeholders 20 km apart, one meeting each, on 29 May in Montreal."""
    mission = tenant.mission
    mission.lunch_start, mission.lunch_end = dt.time(12), dt.time(13)
    mission.save()
    alpha = ParticipationFactory(mission=mission, sme__name="Alpha Optics")
    beta = ParticipationFactory(mission=mission, sme__name="Beta Radar")
    cae = StakeholderFactory(
        mission=mission, organisation__name="CAE", latitude=45.50, longitude=-73.57
    )
    port = StakeholderFactory(
        mission=mission, organisation__name="Port of Montreal", latitude=45.68, longitude=-73.57
    )
    first = planned(mission, cae, [alpha], at(10))
    second = planned(mission, port, [beta], at(14))
    ProgrammeItemFactory(mission=mission, title="Joint briefing", start=at(9), end=at(9, 45))
    MissionPlan.objects.create(mission=mission)
    return type(
        "Plan",
        (),
        dict(
            mission=mission, alpha=alpha, beta=beta, cae=cae, port=port, first=first, second=second
        ),
    )


def move(client, plan, meeting, *, hour, minute=0, venue=None, **extra):
    meeting.refresh_from_db()
    data = {
        "action": "move",
        "day": "2023-05-29",
        "time": f"{hour:02d}:{minute:02d}",
        "venue": venue or f"h{meeting.host_id}",
        "version": meeting.version,
        "plan_version": MissionPlan.objects.get(mission=plan.mission).version,
        **extra,
    }
    return client.post(url("plan_meeting", plan.mission, meeting=meeting.pk), data)


# ------------------------------------------------------------------------------ permissions


def test_partner_staff_sees_the_pages_but_cannot_change_the_plan(client, plan, tenant):
    staff = MembershipFactory(
        organisation=ProjectPartnerFactory(
            project=tenant.project, is_coordinator=False
        ).organisation
    ).user
    client.force_login(staff)
    assert client.get(url("plan", plan.mission)).status_code == 200
    assert client.get(url("plan_board", plan.mission)).status_code == 200
    assert client.post(url("plan", plan.mission), {"time_limit": 10}).status_code == 403
    assert move(client, plan, plan.first, hour=11).status_code == 403
    assert client.post(url("plan_publish", plan.mission), {}).status_code == 403
    assert not Job.objects.filter(mission=plan.mission).exists()


def test_advisor_changes_the_plan_but_does_not_publish(client, plan):
    advisor = MissionMemberFactory(mission=plan.mission, role="advisor").user
    client.force_login(advisor)
    assert move(client, plan, plan.first, hour=11).status_code == 302
    response = client.post(
        url("plan_publish", plan.mission), {"status": "final", "plan_version": 2}
    )
    assert response.status_code == 403
    assert MissionPlan.objects.get(mission=plan.mission).status == "draft"


def test_foreign_meeting_is_not_found(client, plan, tenant):
    client.force_login(tenant.user)
    other = MeetingFactory()
    assert client.get(url("plan_meeting", plan.mission, meeting=other.pk)).status_code == 404


# ------------------------------------------------------------------------------ building


def test_build_starts_one_run_and_refuses_a_second(client, plan, tenant):
    client.force_login(tenant.user)
    response = client.post(url("plan", plan.mission), {"time_limit": 10, "replan": "on"})
    assert response.status_code == 302
    job = Job.objects.get(mission=plan.mission, kind="planning")
    assert (job.status, job.started_by) == ("queued", tenant.user)
    response = client.post(url("plan", plan.mission), {"time_limit": 10}, follow=True)
    assert "The plan is already being built." in response.content.decode()
    assert Job.objects.filter(mission=plan.mission).count() == 1


def test_progress_fragment_shows_best_bound_and_polls_until_the_end(client, plan, tenant):
    client.force_login(tenant.user)
    job = Job.objects.create(
        mission=plan.mission,
        kind="planning",
        status="running",
        progress={"phase": "meetings", "best": 40, "bound": 44, "seconds": 3.2},
    )
    page = client.get(url("plan_status", plan.mission), {"polling": "1"}, **HTMX)
    text = page.content.decode()
    assert 'hx-trigger="every 1s"' in text
    assert "Placing as many meetings as possible" in text
    assert '<dd data-progress="best">40</dd>' in text
    assert '<dd data-progress="bound">44</dd>' in text
    response = client.post(url("plan_cancel", plan.mission), **HTMX)
    assert "Cancelling…" in response.content.decode()
    job.refresh_from_db()
    assert job.cancel_requested
    Job.objects.filter(pk=job.pk).update(status="cancelled")
    done = client.get(url("plan_status", plan.mission), {"polling": "1"}, **HTMX)
    assert done["HX-Refresh"] == "true"


def _finished_planning(mission, **result):
    """A succeeded planning job whose result the build page shows."""
    base = {"status": "OPTIMAL", "placed": 1, "requested": 2, "breaks": [], "objectives": {}}
    base.update(gap=0.0, seconds=1.0, replan=False)
    Job.objects.create(
        mission=mission, kind="planning", status="succeeded", result={**base, **result}
    )


def test_build_page_shows_the_last_result(client, plan, tenant):
    client.force_login(tenant.user)
    _finished_planning(
        plan.mission,
        travel_minutes=35,
        moved=0,
        not_placed=[{"meeting": "CAE — Alpha Optics", "reason": "CAE is in meeting X"}],
        breaks=[{"name": "Alpha Optics", "breaks": 1, "delegate": True}],
        objectives={"breaks": 1},
        created=1,
        changed=0,
        removed=0,
        kept=0,
    )
    text = client.get(url("plan", plan.mission)).content.decode()
    assert '<dd data-result="placed">1 / 2</dd>' in text
    assert '<dd data-result="travel">35</dd>' in text
    assert "CAE is in meeting X" in text
    assert "1 of 2 meetings placed" in text


def test_build_page_says_what_is_proven_of_the_breaks(client, plan, tenant):
    client.force_login(tenant.user)
    _finished_planning(plan.mission, objectives={"breaks": 6}, bound={"breaks": 4})
    text = client.get(url("plan", plan.mission)).content.decode()
    assert 'data-result="breaks-bound">(no plan has fewer than 4)</span>' in text
    Job.objects.all().delete()
    _finished_planning(plan.mission, objectives={"breaks": 4}, bound={"breaks": 4.0})
    text = client.get(url("plan", plan.mission)).content.decode()
    assert 'data-result="breaks-bound">(the fewest possible)</span>' in text
    Job.objects.all().delete()
    _finished_planning(plan.mission, objectives={"breaks": 3}, bound={"breaks": 0})
    text = client.get(url("plan", plan.mission)).content.decode()
    assert 'data-result="breaks-bound"' not in text
    Job.objects.all().delete()  # last: the reader's language sticks once chosen
    _finished_planning(plan.mission, objectives={"breaks": 6}, bound={"breaks": 4})
    french = client.get("/fr" + url("plan", plan.mission)).content.decode()
    assert 'data-result="breaks-bound">(aucun planning n\'en a moins de 4)</span>' in french


def test_build_page_shows_the_reasons_in_the_reader_language(client, plan, tenant):
    client.force_login(tenant.user)
    reason = {"en": "m1: it lasts longer than any opening hours", "fr": "m1 : il dure trop"}
    _finished_planning(
        plan.mission, not_placed=[{"meeting": "CAE — Alpha Optics", "reason": reason}]
    )
    english = client.get(url("plan", plan.mission)).content.decode()
    assert "m1: it lasts longer than any opening hours" in english and "il dure" not in english
    french = client.get("/fr" + url("plan", plan.mission)).content.decode()
    assert "m1 : il dure trop" in french and "lasts longer" not in french


# ------------------------------------------------------------------------------ the board


def test_board_shows_meetings_programme_and_travel(client, plan, tenant):
    client.force_login(tenant.user)
    planned(plan.mission, plan.port, [plan.alpha], at(11, 30))
    response = client.get(url("plan_board", plan.mission), {"day": 0})
    board = response.context["board"]
    assert [row.name for row in board.rows] == ["Alpha Optics", "Beta Radar"]
    alpha = board.rows[0]
    assert [(b.kind, b.label) for b in alpha.blocks] == [
        ("meeting", "CAE"),
        ("travel", "51 min"),
        ("meeting", "Port of Montreal"),
        ("programme", "Joint briefing"),
    ]
    assert board.days[0].meetings == 3 and board.days[0].city == "Montreal"
    by_stakeholder = client.get(url("plan_board", plan.mission), {"view": "stakeholders"})
    rows = by_stakeholder.context["board"].rows
    assert [(r.name, [b.label for b in r.blocks]) for r in rows] == [
        ("CAE", ["Alpha Optics"]),
        ("Port of Montreal", ["Alpha Optics", "Beta Radar"]),
    ]


def _queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize("view", ["smes", "stakeholders"])
def test_board_query_count_does_not_grow_with_rows(client, plan, tenant, view):
    client.force_login(tenant.user)
    address = url("plan_board", plan.mission) + f"?view={view}"
    one = _queries(client, address)
    for hour in (15, 16):
        host = StakeholderFactory(mission=plan.mission, latitude=45.6, longitude=-73.6)
        planned(plan.mission, host, [ParticipationFactory(mission=plan.mission)], at(hour))
    assert _queries(client, address) == one


# ------------------------------------------------------------------------------ hand edits


def test_move_is_refused_in_words(client, plan, tenant):
    client.force_login(tenant.user)
    planned(plan.mission, plan.port, [plan.alpha], at(11, 30))
    response = move(client, plan, plan.first, hour=11, minute=15)
    assert response.status_code == 409
    assert response.context["violations"] == [
        "Alpha Optics would be in two meetings at once (with Port of Montreal).",
    ]
    response = move(client, plan, plan.first, hour=9)
    assert response.context["violations"] == ["Alpha Optics is at “Joint briefing” then."]
    response = move(client, plan, plan.first, hour=12, minute=15)
    assert "The meeting overlaps the lunch break." in response.context["violations"]
    response = move(client, plan, plan.first, hour=17)
    assert response.context["violations"] == [
        "The meeting is outside the meeting hours of the day."
    ]
    response = move(client, plan, plan.first, hour=10, minute=30)
    assert response.context["violations"] == [
        "Alpha Optics has 15 min between this meeting and the one with Port of Montreal, "
        "but needs 60 min to get there."
    ]
    plan.first.refresh_from_db()
    assert (plan.first.start, plan.first.version) == (at(10), 1)


def test_check_answers_an_htmx_fragment(client, plan, tenant):
    client.force_login(tenant.user)
    data = {
        "action": "check",
        "day": "2023-05-29",
        "time": "09:00",
        "venue": f"h{plan.cae.pk}",
        "version": 1,
        "plan_version": 1,
    }
    address = url("plan_meeting", plan.mission, meeting=plan.first.pk)
    text = client.post(address, data, **HTMX).content.decode()
    assert text.startswith('<div id="move-check" aria-live="polite">')
    assert "<li>Alpha Optics is at “Joint briefing” then.</li>" in text
    data["time"] = "15:00"
    text = client.post(address, data, **HTMX).content.decode()
    assert "No conflict: the meeting can move there." in text
    plan.first.refresh_from_db()
    assert (plan.first.start, plan.first.version) == (at(10), 1)


def test_move_saves_and_bumps_the_versions(client, plan, tenant):
    client.force_login(tenant.user)
    response = move(client, plan, plan.first, hour=15, minute=30)
    assert response.status_code == 302
    plan.first.refresh_from_db()
    assert (plan.first.start, plan.first.end, plan.first.version) == (at(15, 30), at(16, 15), 2)
    saved = MissionPlan.objects.get(mission=plan.mission)
    assert (saved.version, saved.changed_by) == (2, tenant.user)
    assert not Notification.objects.exists()  # a draft plan notifies nobody


def test_stale_page_is_refused_with_who_changed_it(client, plan, tenant):
    tenant.user.first_name, tenant.user.last_name = "Claire", "Martin"
    tenant.user.save()
    client.force_login(tenant.user)
    plan.first.refresh_from_db()
    stale = {
        "action": "move",
        "day": "2023-05-29",
        "time": "16:00",
        "venue": f"h{plan.cae.pk}",
        "version": plan.first.version,
        "plan_version": 1,
    }
    assert move(client, plan, plan.second, hour=16).status_code == 302  # somebody else
    changed = MissionPlan.objects.get(mission=plan.mission).changed_at.astimezone(TORONTO)
    response = client.post(
        url("plan_meeting", plan.mission, meeting=plan.first.pk), stale, follow=True
    )
    assert f"Claire Martin changed this plan at {changed:%H:%M}; reload the page." in (
        response.content.decode()
    )
    plan.first.refresh_from_db()
    assert plan.first.start == at(10)


def test_pin_and_unpin(client, plan, tenant):
    client.force_login(tenant.user)
    data = {"action": "pin", "pinned": "on", "version": 1, "plan_version": 1}
    client.post(url("plan_meeting", plan.mission, meeting=plan.first.pk), data)
    plan.first.refresh_from_db()
    assert (plan.first.pinned, plan.first.version) == (True, 2)
    data = {"action": "pin", "version": 2, "plan_version": 2}
    client.post(url("plan_meeting", plan.mission, meeting=plan.first.pk), data)
    plan.first.refresh_from_db()
    assert (plan.first.pinned, plan.first.version) == (False, 3)


# ------------------------------------------------------------------------------ publishing


def test_publish_from_a_confirmation_page(client, plan, tenant):
    client.force_login(tenant.user)
    page = client.get(url("plan_publish", plan.mission))
    assert "Publishing shows the 2 meetings" in page.content.decode()
    response = client.post(
        url("plan_publish", plan.mission), {"status": "final", "plan_version": 1}
    )
    assert response.status_code == 302
    saved = MissionPlan.objects.get(mission=plan.mission)
    assert (saved.status, saved.published_by, saved.version) == ("final", tenant.user, 2)
    assert saved.published_at is not None
    assert set(Meeting.objects.values_list("status", flat=True)) == {"confirmed"}
    stale = client.post(
        url("plan_publish", plan.mission), {"status": "preliminary", "plan_version": 1}
    )
    assert stale.status_code == 302
    assert MissionPlan.objects.get(mission=plan.mission).status == "final"


def test_changes_after_publishing_notify_the_people_affected(client, plan, tenant):
    ContactFactory(sme=plan.alpha.sme, name="Anna", email="anna@alpha.eu", language="en")
    ContactFactory(stakeholder=plan.cae, name="Julie", email="julie@cae.ca", language="fr")
    ContactFactory(stakeholder=plan.cae, name="Nobody", email="")
    ContactFactory(sme=plan.beta.sme, name="Bert", email="bert@beta.eu")
    client.force_login(tenant.user)
    client.post(url("plan_publish", plan.mission), {"status": "preliminary", "plan_version": 1})
    assert move(client, plan, plan.first, hour=15, minute=30).status_code == 302
    sent = {n.recipient: n for n in Notification.objects.filter(meeting=plan.first)}
    assert set(sent) == {"anna@alpha.eu", "julie@cae.ca"}
    assert sent["anna@alpha.eu"].subject == "Meeting moved: CAE — " + plan.mission.name
    assert "now:    Monday 29 May 2023, 15:30–16:15, CAE" in sent["anna@alpha.eu"].body
    assert sent["julie@cae.ca"].language == "fr"
    assert sent["julie@cae.ca"].subject.startswith("Rendez-vous déplacé : Alpha Optics")
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@alpha.eu", "julie@cae.ca"]
    plan.second.refresh_from_db()
    data = {"action": "cancel", "version": plan.second.version, "plan_version": 3}
    assert (
        client.post(url("plan_meeting", plan.mission, meeting=plan.second.pk), data).status_code
        == 302
    )
    cancelled = Notification.objects.get(meeting=plan.second)
    assert cancelled.recipient == "bert@beta.eu"
    assert cancelled.subject.startswith("Meeting cancelled: Port of Montreal")
    assert Meeting.objects.get(pk=plan.second.pk).status == "cancelled"


def test_new_user_without_role_gets_404(client, plan):
    client.force_login(UserFactory())
    assert client.get(url("plan_board", plan.mission)).status_code == 404


def test_stakeholder_rows_shade_the_times_not_offered(client, plan, tenant):
    client.force_login(tenant.user)
    MeetingRequest.objects.filter(stakeholder=plan.port).update(
        availability=[{"start": at(13).isoformat(), "end": at(17).isoformat()}]
    )
    board = client.get(url("plan_board", plan.mission), {"view": "stakeholders"}).context["board"]
    busy = {row.name: [(b.t0, b.t1) for b in row.busy] for row in board.rows}
    assert busy == {"CAE": [], "Port of Montreal": [("09:00", "13:00"), ("17:00", "18:00")]}
