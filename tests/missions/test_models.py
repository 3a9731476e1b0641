import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import (
    TORONTO,
    ContactFactory,
    MeetingFactory,
    MissionFactory,
    ProgrammeItemFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    SmeFactory,
    StakeholderFactory,
    StopFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def test_mission_end_before_start_is_rejected_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        MissionFactory(start=dt.date(2023, 6, 2), end=dt.date(2023, 5, 29))


def test_mission_clean_explains_reversed_dates():
    mission = MissionFactory.build(
        project=ProjectFactory(), start=dt.date(2023, 6, 2), end=dt.date(2023, 5, 29)
    )
    with pytest.raises(ValidationError) as exc:
        mission.full_clean()
    assert exc.value.message_dict["end"] == ["The last day cannot be before the first day."]


def test_mission_rejects_unknown_time_zone():
    mission = MissionFactory.build(project=ProjectFactory(), timezone="Mars/Olympus")
    with pytest.raises(ValidationError) as exc:
        mission.full_clean()
    assert "timezone" in exc.value.message_dict


def test_programme_item_outside_the_mission_is_rejected():
    mission = MissionFactory()
    item = ProgrammeItemFactory.build(
        mission=mission,
        start=dt.datetime(2023, 6, 3, 9, 0, tzinfo=TORONTO),
        end=dt.datetime(2023, 6, 3, 10, 0, tzinfo=TORONTO),
    )
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    assert "during the mission" in exc.value.message_dict["start"][0]


def test_preparatory_webinar_may_come_before_the_mission():
    mission = MissionFactory()
    item = ProgrammeItemFactory.build(
        mission=mission,
        kind="webinar",
        start=dt.datetime(2023, 5, 9, 9, 0, tzinfo=TORONTO),
        end=dt.datetime(2023, 5, 9, 10, 0, tzinfo=TORONTO),
    )
    item.full_clean()


def test_joint_activity_before_the_mission_is_rejected():
    mission = MissionFactory()
    item = ProgrammeItemFactory.build(
        mission=mission,
        kind="joint_activity",
        start=dt.datetime(2023, 5, 28, 9, 0, tzinfo=TORONTO),
        end=dt.datetime(2023, 5, 28, 10, 0, tzinfo=TORONTO),
    )
    with pytest.raises(ValidationError):
        item.full_clean()


def test_programme_item_late_evening_local_time_is_on_its_local_day():
    # 23:00 in Montreal on the last day is 03:00 UTC the next day: still within the mission.
    mission = MissionFactory()
    item = ProgrammeItemFactory.build(
        mission=mission,
        start=dt.datetime(2023, 6, 2, 22, 0, tzinfo=TORONTO),
        end=dt.datetime(2023, 6, 2, 23, 0, tzinfo=TORONTO),
    )
    item.full_clean()


def test_overlapping_itinerary_stops_are_rejected_with_the_other_city():
    mission = MissionFactory()
    StopFactory(
        mission=mission, city="Montreal", start=dt.date(2023, 5, 29), end=dt.date(2023, 5, 30)
    )
    stop = StopFactory.build(
        mission=mission, city="Ottawa", start=dt.date(2023, 5, 30), end=dt.date(2023, 6, 1)
    )
    with pytest.raises(ValidationError) as exc:
        stop.full_clean()
    assert "overlaps the stop in Montreal" in exc.value.message_dict["start"][0]


def test_adjacent_itinerary_stops_are_accepted():
    mission = MissionFactory()
    StopFactory(
        mission=mission, city="Montreal", start=dt.date(2023, 5, 29), end=dt.date(2023, 5, 30)
    )
    StopFactory.build(
        mission=mission, city="Ottawa", start=dt.date(2023, 5, 31), end=dt.date(2023, 6, 1)
    ).full_clean()


def test_stop_outside_the_mission_is_rejected():
    mission = MissionFactory()
    stop = StopFactory.build(
        mission=mission, city="Ottawa", start=dt.date(2023, 6, 1), end=dt.date(2023, 6, 4)
    )
    with pytest.raises(ValidationError) as exc:
        stop.full_clean()
    assert "within the mission" in exc.value.message_dict["start"][0]


def _mission_with_cities():
    mission = MissionFactory()
    StopFactory(
        mission=mission, city="Montreal", start=dt.date(2023, 5, 29), end=dt.date(2023, 5, 30)
    )
    StopFactory(mission=mission, city="Ottawa", start=dt.date(2023, 5, 31), end=dt.date(2023, 6, 1))
    return mission


def test_meeting_in_another_city_than_the_delegation_is_rejected():
    mission = _mission_with_cities()
    host = StakeholderFactory(mission=mission, city="Ottawa")
    meeting = MeetingFactory.build(mission=mission, host=host)  # 29 May: Montreal
    with pytest.raises(ValidationError) as exc:
        meeting.full_clean()
    assert "the delegation is in Montreal, but this meeting is in Ottawa" in str(exc.value)


def test_meeting_in_a_suburb_of_the_stop_city_is_accepted():
    mission = _mission_with_cities()
    host = StakeholderFactory(mission=mission, city="Longueuil")
    MeetingFactory.build(mission=mission, host=host).full_clean()


def test_online_meeting_is_not_bound_to_the_city():
    mission = _mission_with_cities()
    host = StakeholderFactory(mission=mission, city="Ottawa")
    MeetingFactory.build(mission=mission, host=host, mode="online").full_clean()


def test_meeting_at_a_venue_uses_the_venue_city():
    mission = _mission_with_cities()
    venue = VenueFactory(mission=mission, city="Ottawa", kind="trade_show")
    meeting = MeetingFactory.build(
        mission=mission,
        host=None,
        venue=venue,
        start=dt.datetime(2023, 5, 31, 10, 0, tzinfo=TORONTO),
        end=dt.datetime(2023, 5, 31, 10, 30, tzinfo=TORONTO),
    )
    meeting.full_clean()


def test_meeting_needs_a_host_or_a_venue():
    mission = MissionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(mission=mission, host=None, venue=None)


def test_contact_belongs_to_exactly_one_party():
    sme = SmeFactory()
    stakeholder = StakeholderFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(sme=sme, stakeholder=stakeholder)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory()
    ContactFactory(sme=sme)


def test_a_project_has_one_coordinator():
    first = ProjectPartnerFactory(is_coordinator=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectPartnerFactory(project=first.project, is_coordinator=True)
    ProjectPartnerFactory(project=first.project, is_coordinator=False)


def test_stakeholder_entry_is_unique_per_mission():
    entry = StakeholderFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StakeholderFactory(mission=entry.mission, organisation=entry.organisation)
