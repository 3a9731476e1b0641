"""Set-up pages: basics, itinerary, venues, programme, calendar, criteria, call, new mission."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.control.factories_setup import (  # noqa: F401 (fast_passwords is a fixture)
    ROLES,
    CriterionFactory,
    count_queries,
    fast_passwords,
    team,
)
from tests.factories import (
    TORONTO,
    MissionFactory,
    ParticipationFactory,
    ProgrammeItemFactory,
    ProjectPartnerFactory,
    StopFactory,
    VenueFactory,
)
from trademission.missions.models import ItineraryStop, Mission, ProgrammeItem, Venue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def url(name, mission, **kwargs):
    return reverse(f"control:{name}", kwargs={"mission": mission.slug, **kwargs})


@pytest.fixture
def coordinator(client, tenant):
    client.force_login(tenant.user)
    return client


def errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# --- permission matrix -------------------------------------------------------------------

READ = {
    "coordinator": 200,
    "partner_staff": 200,
    "advisor": 200,
    "sme_delegate": 404,
    "outsider": 404,
}
CHANGE_INVALID = {**READ, "partner_staff": 403, "advisor": 403}
CHANGE_DONE = {**CHANGE_INVALID, "coordinator": 302}

PAGES = [
    # (url name, row the URL needs, expected GET, expected POST of an empty form)
    ("setup", None, READ, CHANGE_INVALID),
    ("setup_itinerary", None, READ, CHANGE_INVALID),
    ("setup_stop_edit", "stop", READ, CHANGE_INVALID),
    ("setup_stop_delete", "stop", READ, CHANGE_DONE),
    ("setup_venues", None, READ, CHANGE_INVALID),
    ("setup_venue_edit", "venue", READ, CHANGE_INVALID),
    ("setup_venue_delete", "venue", READ, CHANGE_DONE),
    ("setup_programme", None, READ, CHANGE_INVALID),
    ("setup_programme_edit", "item", READ, CHANGE_INVALID),
    ("setup_programme_delete", "item", READ, CHANGE_DONE),
    ("setup_calendar", None, READ, CHANGE_INVALID),
    ("setup_criteria", None, READ, CHANGE_INVALID),
    ("setup_criterion_edit", "criterion", READ, CHANGE_INVALID),
    ("setup_criterion_delete", "criterion", READ, CHANGE_DONE),
    ("setup_call", None, READ, CHANGE_INVALID),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "row", "get", "post"), PAGES, ids=[p[0] for p in PAGES])
def test_setup_permission_matrix(client, tenant, name, row, get, post, role):
    users = team(tenant)
    mission = tenant.mission
    rows = {
        "stop": mission.stops.get(),
        "venue": VenueFactory(mission=mission),
        "item": ProgrammeItemFactory(mission=mission),
        "criterion": CriterionFactory(mission=mission),
    }
    kwargs = {"pk": rows[row].pk} if row else {}
    client.force_login(users[role])
    target = url(name, mission, **kwargs)
    assert client.get(target).status_code == get[role]
    assert client.post(target, {}).status_code == post[role]


@pytest.mark.parametrize(
    ("role", "get", "post"),
    [
        ("coordinator", 200, 200),
        ("partner_staff", 404, 404),
        ("advisor", 404, 404),
        ("sme_delegate", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_new_mission_permission_matrix(client, tenant, role, get, post):
    client.force_login(team(tenant)[role])
    target = reverse("control:setup_new_mission")
    assert client.get(target).status_code == get
    assert client.post(target, {}).status_code == post


def test_row_of_another_mission_is_404(coordinator, tenant):
    sister = MissionFactory(project=tenant.project)
    foreign_stop = StopFactory(mission=sister)
    response = coordinator.get(url("setup_stop_edit", tenant.mission, pk=foreign_stop.pk))
    assert response.status_code == 404
    response = coordinator.post(url("setup_stop_delete", tenant.mission, pk=foreign_stop.pk))
    assert response.status_code == 404
    assert ItineraryStop.objects.filter(pk=foreign_stop.pk).exists()


# --- new mission and basics --------------------------------------------------------------


def test_dashboard_offers_new_mission_only_to_coordinators(client, tenant):
    client.force_login(tenant.user)
    assert reverse("control:setup_new_mission") in client.get("/").content.decode()
    partner_staff = team(tenant)["partner_staff"]
    client.force_login(partner_staff)
    assert reverse("control:setup_new_mission") not in client.get("/").content.decode()


def test_new_mission_is_created_as_draft_with_slug(coordinator, tenant):
    response = coordinator.post(
        reverse("control:setup_new_mission"),
        {
            "project": tenant.project.pk,
            "name": "Business mission to Japan",
            "country": "jp",
            "timezone": "Asia/Tokyo",
            "start": "2024-10-14",
            "end": "2024-10-18",
        },
    )
    mission = Mission.objects.get(name="Business mission to Japan")
    assert response.status_code == 302
    assert response["Location"] == url("setup", mission)
    assert (mission.slug, mission.country, mission.status) == (
        "business-mission-to-japan-2024",
        "JP",
        "draft",
    )


def test_new_mission_rejects_end_before_start_and_foreign_project(coordinator, tenant):
    foreign = ProjectPartnerFactory().project
    response = coordinator.post(
        reverse("control:setup_new_mission"),
        {
            "project": foreign.pk,
            "name": "X",
            "country": "CA",
            "timezone": "America/Toronto",
            "start": "2024-10-18",
            "end": "2024-10-14",
        },
    )
    assert response.status_code == 200
    assert errors(response, "project") == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    response = coordinator.post(
        reverse("control:setup_new_mission"),
        {
            "project": tenant.project.pk,
            "name": "X",
            "country": "CA",
            "timezone": "America/Toronto",
            "start": "2024-10-18",
            "end": "2024-10-14",
        },
    )
    assert errors(response, "end") == ["The last day cannot be before the first day."]
    assert Mission.objects.count() == 1


def basics(mission, **changes):
    data = {
        "name": mission.name,
        "country": mission.country,
        "timezone": mission.timezone,
        "start": mission.start.isoformat(),
        "end": mission.end.isoformat(),
        "status": mission.status,
        "description": "",
        "version": mission.version,
    }
    return {**data, **changes}


def test_basics_are_saved_and_version_moves_on(coordinator, tenant):
    mission = tenant.mission
    response = coordinator.post(
        url("setup", mission), basics(mission, name="Canada 2023", status="selection")
    )
    assert response.status_code == 302
    mission.refresh_from_db()
    assert (mission.name, mission.status, mission.version) == ("Canada 2023", "selection", 2)


def test_basics_concurrent_edit_is_reported_not_overwritten(coordinator, tenant):
    mission = tenant.mission
    stale = basics(mission, name="Mine")
    Mission.objects.filter(pk=mission.pk).update(name="Theirs", version=2)
    response = coordinator.post(url("setup", mission), stale)
    assert response.status_code == 200
    assert "Somebody else saved this mission" in response.content.decode()
    mission.refresh_from_db()
    assert mission.name == "Theirs"


def test_basics_refuse_dates_that_leave_a_stop_outside(coordinator, tenant):
    mission = tenant.mission  # its stop is on 29 May
    response = coordinator.post(url("setup", mission), basics(mission, start="2023-05-30"))
    assert errors(response, "start") == [
        "The stop in Montreal (May 29, 2023 – May 29, 2023) would lie outside."
    ]


def test_basics_refuse_unknown_time_zone(coordinator, tenant):
    response = coordinator.post(
        url("setup", tenant.mission), basics(tenant.mission, timezone="Mars/Olympus")
    )
    assert errors(response, "timezone") == [
        "Select a valid choice. Mars/Olympus is not one of the available choices."
    ]


# --- itinerary ---------------------------------------------------------------------------


def test_stop_is_added(coordinator, tenant):
    response = coordinator.post(
        url("setup_itinerary", tenant.mission),
        {"city": "Ottawa", "start": "2023-05-31", "end": "2023-06-01"},
    )
    assert response.status_code == 302
    assert list(tenant.mission.stops.values_list("city", flat=True)) == ["Montreal", "Ottawa"]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (
            "2023-05-27",
            "2023-05-29",
            "The stop must lie within the mission (May 29, 2023 – June 2, 2023).",
        ),
        (
            "2023-05-29",
            "2023-05-30",
            "This stop overlaps the stop in Montreal (May 29, 2023 – May 29, 2023).",
        ),
    ],
)
def test_stop_outside_or_overlapping_is_refused(coordinator, tenant, start, end, message):
    response = coordinator.post(
        url("setup_itinerary", tenant.mission), {"city": "Ottawa", "start": start, "end": end}
    )
    assert response.status_code == 200
    assert errors(response, "start") == [message]
    assert tenant.mission.stops.count() == 1


def test_stop_end_before_start_is_refused(coordinator, tenant):
    response = coordinator.post(
        url("setup_itinerary", tenant.mission),
        {"city": "Ottawa", "start": "2023-06-01", "end": "2023-05-31"},
    )
    assert errors(response, "end") == ["A stop cannot end before it starts."]


def test_stop_is_edited_and_deleted_after_confirmation(coordinator, tenant):
    stop = tenant.mission.stops.get()
    response = coordinator.post(
        url("setup_stop_edit", tenant.mission, pk=stop.pk),
        {"city": "Montréal", "start": "2023-05-29", "end": "2023-05-30"},
    )
    assert response.status_code == 302
    stop.refresh_from_db()
    assert (stop.city, stop.end) == ("Montréal", dt.date(2023, 5, 30))
    page = coordinator.get(url("setup_stop_delete", tenant.mission, pk=stop.pk))
    assert "This cannot be undone." in page.content.decode()
    assert ItineraryStop.objects.filter(pk=stop.pk).exists()
    coordinator.post(url("setup_stop_delete", tenant.mission, pk=stop.pk))
    assert not ItineraryStop.objects.filter(pk=stop.pk).exists()


# --- venues ------------------------------------------------------------------------------


def venue_data(**changes):
    return {
        "name": "EY Centre",
        "kind": "trade_show",
        "address": "4899 Uplands Dr",
        "city": "Ottawa",
        "latitude": "45.3326",
        "longitude": "-75.6653",
        "tables": "10",
        **changes,
    }


def test_venue_is_added_with_coordinates(coordinator, tenant):
    response = coordinator.post(url("setup_venues", tenant.mission), venue_data())
    assert response.status_code == 302
    venue = tenant.mission.venues.get()
    assert (venue.latitude, venue.longitude, venue.tables) == (45.3326, -75.6653, 10)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"latitude": "91"}, "latitude", "A latitude lies between -90 and 90 degrees."),
        ({"longitude": "-180.5"}, "longitude", "A longitude lies between -180 and 180 degrees."),
        ({"longitude": ""}, "longitude", "Give both latitude and longitude, or neither."),
        ({"city": ""}, "city", "A physical venue needs a city."),
    ],
)
def test_venue_with_bad_data_is_refused(coordinator, tenant, changes, field, message):
    response = coordinator.post(url("setup_venues", tenant.mission), venue_data(**changes))
    assert response.status_code == 200
    assert errors(response, field) == [message]
    assert not Venue.objects.exists()


def test_venue_delete_keeps_programme_items(coordinator, tenant):
    venue = VenueFactory(mission=tenant.mission)
    item = ProgrammeItemFactory(mission=tenant.mission, venue=venue)
    coordinator.post(url("setup_venue_delete", tenant.mission, pk=venue.pk))
    item.refresh_from_db()
    assert item.venue is None


# --- programme ---------------------------------------------------------------------------


def item_data(**changes):
    return {
        "title": "Joint briefing",
        "kind": "joint_activity",
        "start": "2023-05-29T09:00",
        "end": "2023-05-29T12:00",
        "venue": "",
        "for_all": "on",
        "blocks_meetings": "on",
        "description": "",
        **changes,
    }


def test_programme_item_times_are_in_the_missions_time_zone(client, tenant):
    client.force_login(tenant.user)
    # The visitor's own time zone does not matter: the page is in French, the server in UTC.
    response = client.post(f"/fr{url('setup_programme', tenant.mission)}", item_data())
    assert response.status_code == 302
    item = tenant.mission.programme.get()
    assert item.start == dt.datetime(2023, 5, 29, 9, 0, tzinfo=TORONTO)
    edit = client.get(url("setup_programme_edit", tenant.mission, pk=item.pk))
    assert 'value="2023-05-29T09:00"' in edit.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"start": "2023-05-20T09:00", "end": "2023-05-20T10:00"},
            "start",
            "The item must take place during the mission (May 29, 2023 – June 2, 2023); "
            "only webinars and briefings may come before it.",
        ),
        (
            {"start": "2023-06-02T18:00", "end": "2023-06-03T01:00"},
            "start",
            "The item must take place during the mission (May 29, 2023 – June 2, 2023); "
            "only webinars and briefings may come before it.",
        ),
        ({"end": "2023-05-29T08:00"}, "end", "The item must end after it starts."),
        ({"for_all": ""}, "attendees", "Choose the attendees, or tick “whole delegation”."),
    ],
)
def test_programme_item_with_bad_data_is_refused(coordinator, tenant, changes, field, message):
    response = coordinator.post(url("setup_programme", tenant.mission), item_data(**changes))
    assert response.status_code == 200
    assert errors(response, field) == [message]
    assert not ProgrammeItem.objects.exists()


def test_webinar_may_precede_the_mission(coordinator, tenant):
    response = coordinator.post(
        url("setup_programme", tenant.mission),
        item_data(kind="webinar", start="2023-05-09T09:00", end="2023-05-09T10:30"),
    )
    assert response.status_code == 302


def test_programme_item_for_chosen_attendees(coordinator, tenant):
    chosen = ParticipationFactory(mission=tenant.mission)
    ParticipationFactory(mission=tenant.mission)
    response = coordinator.post(
        url("setup_programme", tenant.mission),
        item_data(for_all="", blocks_meetings="", attendees=[chosen.pk]),
    )
    assert response.status_code == 302
    item = tenant.mission.programme.get()
    assert (item.for_all, item.blocks_meetings) == (False, False)
    assert list(item.attendees.all()) == [chosen]


def test_programme_item_refuses_venue_and_attendee_of_another_mission(coordinator, tenant):
    foreign_venue = VenueFactory()
    foreign = ParticipationFactory()
    response = coordinator.post(
        url("setup_programme", tenant.mission),
        item_data(venue=foreign_venue.pk, for_all="", attendees=[foreign.pk]),
    )
    assert response.status_code == 200
    assert errors(response, "venue") == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert errors(response, "attendees")[0].startswith("Select a valid choice.")


# --- calendar ----------------------------------------------------------------------------


def calendar_data(mission, **changes):
    return {
        "meeting_day_start": "09:00",
        "meeting_day_end": "17:30",
        "lunch_start": "12:00",
        "lunch_end": "13:00",
        "time_grain": "15",
        "default_meeting_minutes": "45",
        "version": mission.version,
        **changes,
    }


def test_calendar_lists_the_days_with_their_city_and_saves(coordinator, tenant):
    page = coordinator.get(url("setup_calendar", tenant.mission))
    assert [(d.isoformat(), c) for d, c in page.context["days"]][:2] == [
        ("2023-05-29", "Montreal"),
        ("2023-05-30", ""),
    ]
    assert len(page.context["days"]) == 5
    response = coordinator.post(
        url("setup_calendar", tenant.mission),
        calendar_data(tenant.mission, meeting_day_start="08:30"),
    )
    assert response.status_code == 302
    tenant.mission.refresh_from_db()
    assert tenant.mission.meeting_day_start == dt.time(8, 30)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"meeting_day_end": "08:00"}, "meeting_day_end", "Meetings must end after they start."),
        (
            {"lunch_start": "08:00", "lunch_end": "09:00"},
            "lunch_start",
            "The lunch break must lie within the meeting hours.",
        ),
        ({"lunch_end": ""}, "lunch_end", "Give both ends of the lunch break, or neither."),
        (
            {"default_meeting_minutes": "40"},
            "default_meeting_minutes",
            "A meeting lasts a positive multiple of the time grain (15 minutes).",
        ),
        (
            {"meeting_day_start": "09:10"},
            "meeting_day_start",
            "Meeting hours must fall on the time grain (every 15 minutes).",
        ),
    ],
)
def test_calendar_with_bad_data_is_refused(coordinator, tenant, changes, field, message):
    response = coordinator.post(
        url("setup_calendar", tenant.mission), calendar_data(tenant.mission, **changes)
    )
    assert response.status_code == 200
    assert errors(response, field) == [message]


# --- criteria ----------------------------------------------------------------------------


def test_criterion_is_added_and_duplicate_key_or_negative_weight_refused(coordinator, tenant):
    target = url("setup_criteria", tenant.mission)
    data = {"key": "technology_fit", "label": "Technology fit", "weight": "3"}
    assert coordinator.post(target, data).status_code == 302
    response = coordinator.post(target, {**data, "label": "Again"})
    assert errors(response, "key") == ["This mission already has a criterion with this key."]
    response = coordinator.post(target, {**data, "key": "other", "weight": "-1"})
    assert errors(response, "weight") == ["A weight cannot be negative."]
    assert tenant.mission.criteria.count() == 1


def test_criterion_key_may_repeat_across_missions(coordinator, tenant):
    CriterionFactory(key="technology_fit")  # another mission
    criterion = CriterionFactory(mission=tenant.mission, key="technology_fit")
    response = coordinator.post(
        url("setup_criterion_edit", tenant.mission, pk=criterion.pk),
        {"key": "technology_fit", "label": "Fit", "weight": "2.5"},
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.label, str(criterion.weight)) == ("Fit", "2.50")


# --- call --------------------------------------------------------------------------------


def call_data(mission, **changes):
    data = {
        "call_open": "on",
        "call_deadline": "2023-04-30",
        "call_intro": "Apply now.",
        "version": mission.version,
        "q-TOTAL_FORMS": "2",
        "q-INITIAL_FORMS": "0",
        "q-0-key": "budget",
        "q-0-label": "Your travel budget?",
        "q-0-required": "on",
        "q-1-key": "",
        "q-1-label": "",
    }
    return {**data, **changes}


def test_call_settings_and_questions_are_saved(coordinator, tenant):
    response = coordinator.post(url("setup_call", tenant.mission), call_data(tenant.mission))
    assert response.status_code == 302
    tenant.mission.refresh_from_db()
    assert tenant.mission.call_open is True
    assert tenant.mission.call_deadline == dt.date(2023, 4, 30)
    assert tenant.mission.application_questions == [
        {"key": "budget", "label": "Your travel budget?", "required": True}
    ]


def test_call_deadline_after_mission_start_is_refused(coordinator, tenant):
    response = coordinator.post(
        url("setup_call", tenant.mission), call_data(tenant.mission, call_deadline="2023-05-30")
    )
    assert response.status_code == 200
    assert errors(response, "call_deadline") == [
        "The deadline cannot be after the mission starts (May 29, 2023)."
    ]


def test_call_duplicate_question_keys_are_refused(coordinator, tenant):
    response = coordinator.post(
        url("setup_call", tenant.mission),
        call_data(tenant.mission, **{"q-1-key": "budget", "q-1-label": "Again"}),
    )
    assert response.status_code == 200
    questions = response.context["questions"]
    assert questions.forms[1].errors["key"] == ["Two questions have this key; keys must differ."]
    tenant.mission.refresh_from_db()
    assert tenant.mission.application_questions == []


# --- speed -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["setup_itinerary", "setup_venues", "setup_programme", "setup_criteria"]
)
def test_setup_list_query_count_does_not_grow(coordinator, tenant, name):
    def add(n):
        mission = tenant.mission
        day = mission.start + dt.timedelta(days=n)
        if n:
            StopFactory(mission=mission, city=f"City {n}", start=day, end=day)
        venue = VenueFactory(mission=mission)
        item = ProgrammeItemFactory(mission=mission, venue=venue, for_all=False)
        item.attendees.add(ParticipationFactory(mission=mission))
        CriterionFactory(mission=mission)

    add(0)
    one = count_queries(coordinator, url(name, tenant.mission))
    add(1)
    add(2)
    three = count_queries(coordinator, url(name, tenant.mission))
    assert one == three


def test_setup_page_in_french(coordinator, tenant):
    response = coordinator.get(f"/fr{url('setup_itinerary', tenant.mission)}")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


def test_read_only_for_partner_staff(client, tenant):
    client.force_login(team(tenant)["partner_staff"])
    html = client.get(url("setup_itinerary", tenant.mission)).content.decode()
    assert "Only the coordinator changes the set-up" in html
    assert 'name="city"' not in html
