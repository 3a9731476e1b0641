"""The planner adapter: the exact problem built from rows, results written back, versions."""

import datetime as dt

import pytest

from tests.factories import (
    TORONTO,
    ContactFactory,
    MatchFactory,
    MeetingFactory,
    MissionFactory,
    ParticipationFactory,
    ProgrammeItemFactory,
    StakeholderFactory,
    StopFactory,
    VenueFactory,
)
from trademission.meetings.domain import planning
from trademission.meetings.models import Meeting, MeetingRequest, MissionPlan, Notification
from trademission.planner import Placement, Plan, Result, Session, Status, solve, validate

pytestmark = pytest.mark.django_db

GPD = 96  # grains of 15 minutes in a day


def at(day, hour, minute=0):
    return dt.datetime(2023, 5, day, hour, minute, tzinfo=TORONTO)


def request(mission, stakeholder, smes, **fields):
    match = fields.pop("match", None)
    req = MeetingRequest.objects.create(
        mission=mission, stakeholder=stakeholder, match=match, status="accepted", **fields
    )
    req.participations.set(smes)
    return req


@pytest.fixture
def setup(db):
    mission = MissionFactory(lunch_start=dt.time(12), lunch_end=dt.time(13))
    StopFactory(
        mission=mission, city="Montreal", start=dt.date(2023, 5, 29), end=dt.date(2023, 5, 30)
    )
    StopFactory(mission=mission, city="Ottawa", start=dt.date(2023, 5, 31), end=dt.date(2023, 6, 1))
    StopFactory(
        mission=mission, city="Montreal", start=dt.date(2023, 6, 2), end=dt.date(2023, 6, 2)
    )
    cansec = VenueFactory(
        mission=mission,
        name="CANSEC",
        kind="trade_show",
        city="Ottawa",
        latitude=45.33,
        longitude=-75.66,
        tables=3,
    )
    online = VenueFactory(mission=mission, name="Video", kind="online", city="")
    sme1 = ParticipationFactory(mission=mission, sme__name="Alpha")
    sme2 = ParticipationFactory(mission=mission, sme__name="Beta")
    ParticipationFactory(mission=mission, sme__name="Gamma", status="applied")
    cae = StakeholderFactory(
        mission=mission,
        organisation__name="CAE",
        city="Longueuil",
        latitude=45.53,
        longitude=-73.52,
        available_days=["2023-05-29", "2023-05-30"],
    )
    dnd = StakeholderFactory(
        mission=mission, organisation__name="DND", city="Kanata", meeting_place="trade_show"
    )
    declined = StakeholderFactory(mission=mission, organisation__name="Declined")
    ProgrammeItemFactory(
        mission=mission, title="Joint briefing", start=at(29, 9), end=at(29, 10, 30)
    )
    ProgrammeItemFactory(
        mission=mission,
        title="Show floor",
        kind="trade_show",
        start=at(31, 8),
        end=at(31, 17),
        blocks_meetings=False,
    )
    visit = ProgrammeItemFactory(
        mission=mission, title="Lab visit", start=at(30, 14), end=at(30, 15), for_all=False
    )
    visit.attendees.set([sme1])
    r1 = request(
        mission,
        cae,
        [sme1],
        must_have=True,
        match=MatchFactory(participation=sme1, stakeholder=cae, priority=1),
        availability=[{"start": at(29, 13).isoformat(), "end": at(29, 17).isoformat()}],
    )
    r2 = request(mission, dnd, [sme1, sme2], duration_minutes=30, meeting_place="trade_show")
    r3 = request(mission, declined, [sme2])
    MeetingRequest.objects.filter(pk=r3.pk).update(status="declined")
    return type(
        "Setup",
        (),
        dict(
            mission=mission,
            cansec=cansec,
            online=online,
            sme1=sme1,
            sme2=sme2,
            cae=cae,
            dnd=dnd,
            r1=r1,
            r2=r2,
        ),
    )


def test_calendar_has_the_mission_days_cities_hours_lunch_and_sessions(setup):
    problem, mapping = planning.build_problem(setup.mission)
    cal = problem.calendar
    assert cal.grain_minutes == 15
    assert [d.date for d in cal.days] == [
        "2023-05-29",
        "2023-05-30",
        "2023-05-31",
        "2023-06-01",
        "2023-06-02",
    ]
    assert [d.city for d in cal.days] == ["montreal", "montreal", "ottawa", "ottawa", "montreal"]
    day = cal.days[0]
    assert (day.open, day.close, day.breaks) == (36, 70, ((48, 52),))
    assert day.sessions == (Session("morning", 36, 48), Session("afternoon", 52, 70))
    assert mapping.to_datetime(2 * GPD + 40) == at(31, 10)
    assert mapping.to_grain(at(31, 10)) == 2 * GPD + 40


def test_participants_are_selected_smes_and_hosts_of_accepted_requests(setup):
    problem, _ = planning.build_problem(setup.mission)
    people = {p.id: p for p in problem.participants}
    s1, s2 = f"p{setup.sme1.pk}", f"p{setup.sme2.pk}"
    assert set(people) == {s1, s2, f"s{setup.cae.pk}", f"s{setup.dnd.pk}"}
    assert (people[s1].role, people[s1].name, people[s1].unavailable) == ("delegate", "Alpha", ())
    # CAE: available on 29-30 May only, and answered 13:00-17:00 on 29 May
    assert people[f"s{setup.cae.pk}"].unavailable == ((0, 52), (68, 5 * GPD))
    assert people[f"s{setup.dnd.pk}"].unavailable == ()


def test_blocking_programme_items_block_their_delegates_only(setup):
    problem, _ = planning.build_problem(setup.mission)
    s1, s2 = f"p{setup.sme1.pk}", f"p{setup.sme2.pk}"
    items = [(i.name, i.start, i.end, i.participants) for i in problem.programme]
    assert items == [
        ("Joint briefing", 36, 42, (s1, s2)),
        ("Lab visit", GPD + 56, GPD + 60, (s1,)),
    ]


def test_venues_and_meetings_follow_the_answers(setup):
    problem, mapping = planning.build_problem(setup.mission)
    venues = {v.id: v for v in problem.venues}
    cansec, online = f"v{setup.cansec.pk}", f"v{setup.online.pk}"
    premises = f"h{setup.cae.pk}"
    assert (venues[cansec].kind, venues[cansec].city, venues[cansec].tables) == (
        "trade_show",
        "ottawa",
        3,
    )
    assert venues[online].kind == "online" and mapping.online == online
    assert (venues[premises].kind, venues[premises].city, venues[premises].lat) == (
        "premises",
        "montreal",
        45.53,
    )
    meetings = {m.id: m for m in problem.meetings}
    assert set(meetings) == {f"r{setup.r1.pk}", f"r{setup.r2.pk}"}
    m1, m2 = meetings[f"r{setup.r1.pk}"], meetings[f"r{setup.r2.pk}"]
    assert (m1.host, m1.delegates, m1.duration, m1.weight, m1.required, m1.venues) == (
        f"s{setup.cae.pk}",
        (f"p{setup.sme1.pk}",),
        3,
        3,
        True,
        (premises,),
    )
    assert (m2.delegates, m2.duration, m2.weight, m2.required, m2.venues) == (
        (f"p{setup.sme1.pk}", f"p{setup.sme2.pk}"),
        2,
        2,
        False,
        (cansec,),
    )


def test_weights_follow_the_match_priority(setup):
    MatchFactory(participation=setup.sme2, stakeholder=setup.dnd, priority=3)
    setup.r2.match = setup.sme2.matches.get()
    setup.r2.save()
    problem, _ = planning.build_problem(setup.mission)
    assert {m.id: m.weight for m in problem.meetings}[f"r{setup.r2.pk}"] == 1


def test_pinned_meeting_keeps_its_start_and_place(setup):
    meeting = MeetingFactory(
        mission=setup.mission,
        host=setup.dnd,
        request=setup.r2,
        venue=setup.cansec,
        start=at(31, 10),
        end=at(31, 10, 30),
        pinned=True,
    )
    meeting.participations.set([setup.sme1, setup.sme2])
    problem, mapping = planning.build_problem(setup.mission)
    m2 = {m.id: m for m in problem.meetings}[f"r{setup.r2.pk}"]
    assert (m2.fixed_start, m2.venues) == (2 * GPD + 40, (f"v{setup.cansec.pk}",))
    plan = planning.current_plan(setup.mission, mapping)
    assert plan.placements == (Placement(f"r{setup.r2.pk}", 2 * GPD + 40, f"v{setup.cansec.pk}"),)
    assert plan.pinned == {f"r{setup.r2.pk}"} and plan.published == frozenset()


def test_result_is_written_as_meetings_and_the_version_bumped(setup):
    problem, mapping = planning.build_problem(setup.mission)
    result = solve(problem, time_limit=5)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    applied = planning.apply_result(setup.mission, result, mapping, expected_version=1)
    assert (applied.created, applied.moved, applied.removed) == (2, 0, 0)
    m1 = Meeting.objects.get(request=setup.r1)
    assert m1.host == setup.cae and m1.venue is None and m1.mode == "in_person"
    assert at(29, 13) <= m1.start and m1.end <= at(29, 17)
    assert m1.end - m1.start == dt.timedelta(minutes=45)
    assert list(m1.participations.all()) == [setup.sme1]
    m2 = Meeting.objects.get(request=setup.r2)
    assert m2.venue == setup.cansec and m2.start.astimezone(TORONTO).date() in (
        dt.date(2023, 5, 31),
        dt.date(2023, 6, 1),
    )
    assert MissionPlan.objects.get(mission=setup.mission).version == 2
    problem, mapping = planning.build_problem(setup.mission)
    assert validate(problem, planning.current_plan(setup.mission, mapping)) == []


def test_stale_version_is_refused_and_nothing_written(setup):
    problem, mapping = planning.build_problem(setup.mission)
    result = solve(problem, time_limit=5)
    MissionPlan.objects.filter(mission=setup.mission).update(version=7)
    with pytest.raises(planning.PlanChanged):
        planning.apply_result(setup.mission, result, mapping, expected_version=mapping.plan_version)
    assert Meeting.objects.filter(mission=setup.mission).count() == 0


def test_unplaced_meetings_are_removed_in_a_draft_and_pinned_ones_kept(setup):
    kept = MeetingFactory(
        mission=setup.mission,
        host=setup.dnd,
        request=setup.r2,
        venue=setup.cansec,
        start=at(31, 10),
        end=at(31, 10, 30),
        pinned=True,
    )
    old = MeetingFactory(
        mission=setup.mission,
        host=setup.cae,
        request=setup.r1,
        start=at(29, 14),
        end=at(29, 14, 45),
    )
    _problem, mapping = planning.build_problem(setup.mission)
    empty = Result(Status.FEASIBLE, Plan(()), {}, {}, 0.0, 0.0)
    applied = planning.apply_result(setup.mission, empty, mapping, expected_version=1)
    assert (applied.removed, applied.kept) == (1, 1)
    assert list(Meeting.objects.filter(mission=setup.mission)) == [kept]
    assert not Meeting.objects.filter(pk=old.pk).exists()


def test_move_is_checked_in_words(setup):
    problem, mapping = planning.build_problem(setup.mission)
    planning.apply_result(setup.mission, solve(problem, time_limit=5), mapping, expected_version=1)
    meeting = Meeting.objects.get(request=setup.r1)
    premises = f"h{setup.cae.pk}"
    messages, _, _ = planning.check_move(setup.mission, meeting, start=at(29, 9), venue=premises)
    assert messages == [
        "CAE is not available then.",
        "Alpha is at “Joint briefing” then.",
    ]
    messages, _, _ = planning.check_move(setup.mission, meeting, start=at(31, 14), venue=premises)
    assert messages[0] == (
        "The meeting place is in Montreal, but the delegation is in Ottawa that day."
    )
    messages, _, _ = planning.check_move(setup.mission, meeting, start=at(29, 16), venue=premises)
    assert messages == []


def test_after_publishing_new_and_cancelled_meetings_are_notified(setup):
    ContactFactory(sme=setup.sme1.sme, name="Anna", email="anna@alpha.eu")
    ContactFactory(stakeholder=setup.cae, name="Julie", email="julie@cae.ca", language="fr")
    problem, mapping = planning.build_problem(setup.mission)
    planning.apply_result(setup.mission, solve(problem, time_limit=5), mapping, expected_version=1)
    planning.publish_plan(setup.mission, status="preliminary", plan_version=2)
    assert not Notification.objects.exists()
    # CAE withdraws: its meeting is cancelled, not deleted, once the plan is published
    MeetingRequest.objects.filter(pk=setup.r1.pk).update(status="declined")
    problem, mapping = planning.build_problem(setup.mission)
    result = solve(
        problem, time_limit=5, previous_plan=planning.current_plan(setup.mission, mapping)
    )
    applied = planning.apply_result(setup.mission, result, mapping, expected_version=3)
    assert (applied.removed, applied.kept) == (1, 1)
    assert Meeting.objects.get(request=setup.r1).status == "cancelled"
    sent = sorted((n.recipient, n.subject) for n in Notification.objects.all())
    assert sent == [
        ("anna@alpha.eu", f"Meeting cancelled: CAE — {setup.mission.name}"),
        ("julie@cae.ca", f"Rendez-vous annulé : Alpha — {setup.mission.name}"),
    ]
    # a new request after publication: a new meeting, announced to its people
    MeetingRequest.objects.filter(pk=setup.r1.pk).update(status="accepted")
    problem, mapping = planning.build_problem(setup.mission)
    result = solve(
        problem, time_limit=5, previous_plan=planning.current_plan(setup.mission, mapping)
    )
    applied = planning.apply_result(setup.mission, result, mapping, expected_version=4)
    assert applied.created == 1
    new = Notification.objects.filter(subject__startswith="New meeting").get()
    assert new.recipient == "anna@alpha.eu" and "A new meeting between CAE and Alpha" in new.body
