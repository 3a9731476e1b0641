import pytest
from django.apps import apps
from django.core import serializers

from trademission.missions.demo.loader import load_demo
from trademission.missions.geography import same_area
from trademission.missions.models import Mission

pytestmark = pytest.mark.django_db

DEMO_APPS = ["missions", "participants", "meetings", "auth"]


def snapshot() -> dict[str, str]:
    return {
        model._meta.label: serializers.serialize("json", model.objects.order_by("pk"))
        for app in DEMO_APPS
        for model in apps.get_app_config(app).get_models()
    }


def test_demo_twice_gives_the_same_data():
    load_demo()
    first = snapshot()
    load_demo()
    assert snapshot() == first


def test_demo_has_the_canada_mission_as_published():
    counts = load_demo()
    assert counts == {"missions": 3, "smes": 16, "stakeholders": 80}
    canada = Mission.objects.get(slug="canada-2023")
    stops = [(s.city, s.start.isoformat(), s.end.isoformat()) for s in canada.stops.all()]
    assert stops == [
        ("Montreal", "2023-05-29", "2023-05-30"),
        ("Ottawa", "2023-05-31", "2023-06-01"),
        ("Montreal", "2023-06-02", "2023-06-02"),
    ]
    assert canada.participations.selected().count() == 12
    joint = canada.programme.filter(kind__in=["joint_activity", "reception"])
    assert {item.start.astimezone(canada.tz).date().isoformat() for item in joint} == {"2023-05-29"}
    assert joint.count() == 2
    assert canada.programme.filter(kind="webinar", start__date__lt=canada.start).count() == 2
    cansec = canada.venues.get(kind="trade_show")
    assert "EY Centre" in cansec.name and cansec.city == "Ottawa"
    # Some SMEs were on the earlier missions too.
    veterans = canada.participations.filter(sme__participations__mission__slug="uae-2023")
    assert veterans.exists()
    # Part of the content is in French.
    assert canada.stakeholders.filter(profile_language="fr").count() >= 15


def test_every_demo_row_passes_the_consistency_rules():
    load_demo()
    canada = Mission.objects.get(slug="canada-2023")
    for model in (Mission, *(m.model for m in (canada.stops, canada.venues, canada.programme))):
        for row in model.objects.all():
            row.full_clean()
    stop_areas = {stop.city for stop in canada.stops.all()}
    for stakeholder in canada.stakeholders.all():
        stakeholder.full_clean()
        assert any(same_area(stakeholder.city, city) for city in stop_areas), stakeholder.city
