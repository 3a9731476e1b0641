"""Agendas: an SME's days and a stakeholder's meetings, read in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    TORONTO,
    MatchFactory,
    MeetingFactory,
    MissionFactory,
    ParticipationFactory,
    ProgrammeItemFactory,
    StakeholderFactory,
    StopFactory,
    VenueFactory,
)
from trademission.meetings.domain.queries.agendas import (
    sme_agenda,
    stakeholder_agenda,
    timezone_abbreviation,
    why_text,
)
from trademission.meetings.travel import distance_km, travel_minutes
from trademission.participants.models import AdvisorNote, Participation

pytestmark = pytest.mark.django_db

HOTEL = (45.50, -73.57)
NEAR = (45.55, -73.57)  # 5.56 km north of the hotel: 12 min at 30 km/h + 10 = 22 min
NEARER = (45.58, -73.57)  # 3.34 km north of NEAR: 7 min + 10 = 17 min


def at(day, hour, minute=0):
    return dt.datetime(2023, 5, day, hour, minute, tzinfo=TORONTO)


def meeting(participation, host, start, minutes=45, **kwargs):
    row = MeetingFactory(
        mission=participation.mission,
        host=host,
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        status=kwargs.pop("status", "confirmed"),
        **kwargs,
    )
    row.participations.add(participation)
    return row


@pytest.fixture
def world():
    """A mission in Montreal (29–30 May) then Ottawa (31 May–2 June), a hotel in each city,
    one SME and two Montreal stakeholders with coordinates."""
    mission = MissionFactory()
    StopFactory(
        mission=mission, city="Montreal", start=dt.date(2023, 5, 29), end=dt.date(2023, 5, 30)
    )
    StopFactory(mission=mission, city="Ottawa", start=dt.date(2023, 5, 31), end=dt.date(2023, 6, 2))
    VenueFactory(
        mission=mission,
        name="Sheraton",
        kind="hotel",
        address="1201 Boulevard René-Lévesque Ouest",
        city="Montreal",
        latitude=HOTEL[0],
        longitude=HOTEL[1],
    )
    VenueFactory(
        mission=mission,
        name="Westin",
        kind="hotel",
        city="Ottawa",
        latitude=45.42,
        longitude=-75.69,
    )
    participation = ParticipationFactory(mission=mission, sme__name="ThermaVue")
    cae = StakeholderFactory(
        mission=mission,
        organisation__name="CAE",
        address="8585 Chemin de la Côte-de-Liesse",
        postcode="H4T 1G6",
        city="Saint-Laurent",
        latitude=NEAR[0],
        longitude=NEAR[1],
    )
    port = StakeholderFactory(
        mission=mission,
        organisation__name="Port of Montreal",
        type="end_user",
        address="2100 avenue Pierre-Dupuy",
        city="Montreal",
        latitude=NEARER[0],
        longitude=NEARER[1],
    )
    return type(
        "World", (), {"mission": mission, "participation": participation, "cae": cae, "port": port}
    )


def fresh(participation):
    return Participation.objects.get(pk=participation.pk)


# ------------------------------------------------------------------------------- travel


def test_travel_minutes_from_coordinates():
    assert round(distance_km(HOTEL, NEAR), 2) == 5.56
    assert travel_minutes(HOTEL, NEAR) == 22
    assert travel_minutes(NEAR, NEARER) == 17
    assert travel_minutes(HOTEL, NEAR, speed_kmh=60, buffer_minutes=0) == 6


def test_travel_minutes_same_place_is_zero_and_unknown_place_is_none():
    assert travel_minutes(HOTEL, HOTEL) == 0
    assert travel_minutes(HOTEL, None) is None
    assert travel_minutes(None, NEAR) is None


# ---------------------------------------------------------------------------- SME agenda


def test_sme_agenda_days_carry_the_city_of_the_itinerary(world):
    agenda = sme_agenda(fresh(world.participation))
    assert [(d.date.isoformat(), d.city) for d in agenda.days] == [
        ("2023-05-29", "Montreal"),
        ("2023-05-30", "Montreal"),
        ("2023-05-31", "Ottawa"),
        ("2023-06-01", "Ottawa"),
        ("2023-06-02", "Ottawa"),
    ]
    assert [d.hotel.name for d in agenda.days] == ["Sheraton"] * 2 + ["Westin"] * 3
    assert agenda.timezone == "America/Toronto"
    assert agenda.timezone_abbreviation == "EDT"


def test_sme_agenda_orders_meetings_and_programme_items_by_time(world):
    p = world.participation
    meeting(p, world.port, at(29, 15, 30))
    meeting(p, world.cae, at(29, 14))
    ProgrammeItemFactory(mission=world.mission, title="Joint briefing")  # 09:00–10:30
    ProgrammeItemFactory(
        mission=world.mission,
        title="Webinar",
        kind="webinar",
        start=at(16, 9),
        end=at(16, 10, 30),
    )
    agenda = sme_agenda(fresh(p))
    assert agenda.days[0].date == dt.date(2023, 5, 16)
    assert agenda.days[0].city == ""
    assert [e.title for e in agenda.days[0].entries] == ["Webinar"]
    first = agenda.days[1]
    assert [(e.kind, e.start.strftime("%H:%M")) for e in first.entries] == [
        ("programme", "09:00"),
        ("meeting", "14:00"),
        ("meeting", "15:30"),
    ]
    assert [e.counterpart for e in first.meetings] == ["CAE", "Port of Montreal"]
    assert first.entries[1].start.tzinfo == TORONTO
    assert agenda.meeting_count == 2


def test_sme_agenda_leave_at_from_the_hotel_then_from_the_previous_meeting(world):
    p = world.participation
    meeting(p, world.cae, at(29, 14))
    meeting(p, world.port, at(29, 15, 30))
    cae, port = sme_agenda(fresh(p)).days[0].entries
    assert cae.travel.origin.name == "Sheraton"
    assert cae.travel.minutes == 22
    assert cae.leave_at == at(29, 13, 38)
    assert port.travel.origin.name == "CAE"
    assert port.travel.minutes == 17
    assert port.leave_at == at(29, 15, 13)


def test_sme_agenda_flags_a_leg_the_previous_meeting_leaves_no_time_for(world):
    p = world.participation
    meeting(p, world.cae, at(29, 14))  # ends 14:45
    meeting(p, world.port, at(29, 14, 55))  # 17 min away: leave at 14:38
    cae, port = sme_agenda(fresh(p)).days[0].entries
    assert cae.travel.tight is False
    assert port.travel.origin_end == at(29, 14, 45)
    assert port.leave_at == at(29, 14, 38)
    assert port.travel.tight is True


def test_sme_agenda_trade_show_hours_do_not_make_a_leg_tight(world):
    p = world.participation
    expo = VenueFactory(mission=world.mission, name="Expo", latitude=NEAR[0], longitude=NEAR[1])
    ProgrammeItemFactory(mission=world.mission, venue=expo, blocks_meetings=False, end=at(29, 17))
    meeting(p, world.port, at(29, 11))
    assert sme_agenda(fresh(p)).days[0].entries[1].travel.tight is False


def test_sme_agenda_meeting_place_address_and_map_link(world):
    meeting(world.participation, world.cae, at(29, 14))
    entry = sme_agenda(fresh(world.participation)).days[0].entries[0]
    assert entry.counterpart_type == "Prime contractor"
    assert entry.place.full_address == "8585 Chemin de la Côte-de-Liesse H4T 1G6, Saint-Laurent"
    assert entry.place.map_url == (
        "https://www.openstreetmap.org/?mlat=45.55000&mlon=-73.57000#map=17/45.55000/-73.57000"
    )
    assert entry.online is False


def test_sme_agenda_travel_from_a_programme_item_at_a_venue(world):
    p = world.participation
    expo = VenueFactory(mission=world.mission, name="Expo", latitude=NEAR[0], longitude=NEAR[1])
    ProgrammeItemFactory(mission=world.mission, title="Show", venue=expo, blocks_meetings=False)
    meeting(p, world.port, at(29, 11))
    show, port = sme_agenda(fresh(p)).days[0].entries
    assert show.travel.origin.name == "Sheraton"
    assert show.leave_at == at(29, 8, 38)
    assert port.travel.origin.name == "Expo"
    assert port.leave_at == at(29, 10, 43)


def test_sme_agenda_online_meeting_has_no_place_and_no_travel(world):
    p = world.participation
    online = VenueFactory(
        mission=world.mission,
        name="Video",
        kind="online",
        city="",
        address="https://meet.example/x",
    )
    meeting(p, world.cae, at(29, 10), venue=online)
    meeting(p, world.port, at(29, 14))
    video, port = sme_agenda(fresh(p)).days[0].entries
    assert video.online is True
    assert video.place is None
    assert video.online_link == "https://meet.example/x"
    assert video.travel is None
    assert port.travel.origin.name == "Sheraton"


def test_sme_agenda_includes_programme_items_the_sme_attends(world):
    p = world.participation
    other = ParticipationFactory(mission=world.mission)
    ProgrammeItemFactory(mission=world.mission, title="Everybody")
    mine = ProgrammeItemFactory(
        mission=world.mission, title="Mine", for_all=False, start=at(30, 9), end=at(30, 10)
    )
    mine.attendees.add(p, other)
    theirs = ProgrammeItemFactory(
        mission=world.mission, title="Theirs", for_all=False, start=at(30, 11), end=at(30, 12)
    )
    theirs.attendees.add(other)
    agenda = sme_agenda(fresh(p))
    titles = [e.title for day in agenda.days for e in day.entries]
    assert titles == ["Everybody", "Mine"]


def test_sme_agenda_shows_why_recommended_and_the_advisor_notes_about_the_host(world):
    p = world.participation
    MatchFactory(
        participation=p,
        stakeholder=world.cae,
        explanation={
            "concepts": [{"label": "Thermal imaging", "direct": True}],
            "shared_terms": ["infrared"],
            "partner_type": {"fit": 1.0, "stakeholder_types": ["prime_contractor"]},
        },
    )
    AdvisorNote.objects.create(
        participation=p, date=dt.date(2023, 5, 2), text="Bring the demo kit for cae."
    )
    AdvisorNote.objects.create(participation=p, date=dt.date(2023, 5, 3), text="Prices in CAD.")
    meeting(p, world.cae, at(29, 14))
    meeting(p, world.port, at(29, 15, 30))
    cae, port = sme_agenda(fresh(p)).days[0].entries
    assert cae.why == (
        "Shared interests: Thermal imaging; common words: infrared; "
        "the partner type you seek (Prime contractor)."
    )
    assert cae.notes == ["Bring the demo kit for cae."]
    assert port.why == ""
    assert port.notes == []


def test_why_text_of_a_wish_and_of_a_manual_match():
    wish = MatchFactory.build(source="wish", explanation={})
    manual = MatchFactory.build(source="manual", explanation={})
    assert why_text(wish) == "You asked to meet this organisation."
    assert why_text(manual) == "Proposed by the mission advisor."
    assert why_text(None) == ""


def test_sme_agenda_group_visit_lists_every_sme(world):
    p = world.participation
    other = ParticipationFactory(mission=world.mission, sme__name="Alpha Optics")
    row = meeting(p, world.cae, at(29, 14))
    row.participations.add(other)
    entry = sme_agenda(fresh(p)).days[0].entries[0]
    assert entry.group is True
    assert entry.smes == ["Alpha Optics", "ThermaVue"]
    assert sme_agenda(fresh(other)).meeting_count == 1


def test_sme_agenda_leaves_out_cancelled_and_on_request_tentative_meetings(world):
    p = world.participation
    meeting(p, world.cae, at(29, 14), status="tentative")
    meeting(p, world.port, at(29, 15), status="cancelled")
    meeting(p, world.port, at(30, 10), status="confirmed")
    with_tentative = sme_agenda(fresh(p))
    assert [(e.counterpart, e.status) for d in with_tentative.days for e in d.meetings] == [
        ("CAE", "tentative"),
        ("Port of Montreal", "confirmed"),
    ]
    confirmed_only = sme_agenda(fresh(p), include_tentative=False)
    assert [e.counterpart for d in confirmed_only.days for e in d.meetings] == ["Port of Montreal"]


def test_sme_agenda_shows_nothing_of_another_sme(world):
    other = ParticipationFactory(mission=world.mission)
    meeting(other, world.cae, at(29, 14))
    assert sme_agenda(fresh(world.participation)).meeting_count == 0


def _count(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_sme_agenda_query_count_does_not_grow_with_meetings(world):
    p = world.participation
    MatchFactory(participation=p, stakeholder=world.cae)
    ProgrammeItemFactory(mission=world.mission)
    meeting(p, world.cae, at(29, 14))
    one = _count(lambda: sme_agenda(fresh(p)))
    other = ParticipationFactory(mission=world.mission)
    meeting(p, world.port, at(29, 16)).participations.add(other)
    meeting(p, StakeholderFactory(mission=world.mission), at(30, 10))
    MatchFactory(participation=p, stakeholder=world.port)
    three = _count(lambda: sme_agenda(fresh(p)))
    assert sme_agenda(fresh(p)).meeting_count == 3
    assert one == three


# -------------------------------------------------------------------- stakeholder agenda


def test_stakeholder_agenda_lists_its_meetings_with_what_the_smes_do(world):
    p = world.participation
    p.sme.technologies = ["thermal imaging cores"]
    p.sme.save()
    meeting(p, world.cae, at(30, 10))
    meeting(p, world.port, at(29, 14))
    agenda = stakeholder_agenda(world.cae)
    assert [(d.date.isoformat(), d.city) for d in agenda.days] == [("2023-05-30", "Montreal")]
    (entry,) = agenda.days[0].entries
    assert entry.start == at(30, 10)
    assert [s.name for s in entry.smes] == ["ThermaVue"]
    assert entry.smes[0].description == "Thermal imaging cores for surveillance."
    assert entry.smes[0].technologies == ["thermal imaging cores"]
    assert entry.place.name == "CAE"


def test_stakeholder_agenda_query_count_does_not_grow_with_meetings(world):
    p = world.participation
    meeting(p, world.cae, at(29, 14))
    one = _count(lambda: stakeholder_agenda(world.cae))
    other = ParticipationFactory(mission=world.mission)
    meeting(other, world.cae, at(29, 16))
    meeting(p, world.cae, at(30, 10)).participations.add(other)
    three = _count(lambda: stakeholder_agenda(world.cae))
    assert one == three


def test_timezone_abbreviation_of_a_winter_mission():
    mission = MissionFactory.build(start=dt.date(2023, 2, 20), end=dt.date(2023, 2, 24))
    assert timezone_abbreviation(mission) == "EST"
