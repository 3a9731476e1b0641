import pytest
from django.urls import reverse

from tests.factories import ProjectFactory
from trademission.missions.models import Mission

pytestmark = pytest.mark.django_db


def _inline(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def _mission_form(project, stops):
    data = {
        "project": project.pk,
        "name": "Canada",
        "slug": "canada",
        "country": "CA",
        "timezone": "America/Toronto",
        "start": "2023-05-29",
        "end": "2023-06-02",
        "status": "draft",
        "meeting_day_start": "09:00",
        "meeting_day_end": "17:30",
        "time_grain": "15",
        "default_meeting_minutes": "45",
    }
    data.update(_inline("stops", stops))
    data.update(_inline("venues", []))
    data.update(_inline("team", []))
    return data


def test_admin_rejects_overlapping_stops_entered_together(admin_client):
    project = ProjectFactory()
    stops = [
        {"city": "Montreal", "start": "2023-05-29", "end": "2023-05-31"},
        {"city": "Ottawa", "start": "2023-05-31", "end": "2023-06-01"},
    ]
    response = admin_client.post(
        reverse("admin:missions_mission_add"), _mission_form(project, stops)
    )
    assert response.status_code == 200
    assert "The stops in Montreal and Ottawa overlap." in response.content.decode()
    assert not Mission.objects.exists()


def test_admin_accepts_a_consistent_itinerary(admin_client):
    project = ProjectFactory()
    stops = [
        {"city": "Montreal", "start": "2023-05-29", "end": "2023-05-30"},
        {"city": "Ottawa", "start": "2023-05-31", "end": "2023-06-01"},
        {"city": "Montreal", "start": "2023-06-02", "end": "2023-06-02"},
    ]
    response = admin_client.post(
        reverse("admin:missions_mission_add"), _mission_form(project, stops)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Mission.objects.get().stops.values_list("city", flat=True)) == [
        "Montreal",
        "Ottawa",
        "Montreal",
    ]


def test_admin_rejects_reversed_mission_dates(admin_client):
    data = _mission_form(ProjectFactory(), [])
    data.update(start="2023-06-02", end="2023-05-29")
    response = admin_client.post(reverse("admin:missions_mission_add"), data)
    assert "The last day cannot be before the first day." in response.content.decode()
