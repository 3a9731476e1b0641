import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    MissionFactory,
    ParticipationFactory,
    ProgrammeItemFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db


def _add_participant(mission):
    participation = ParticipationFactory(mission=mission)
    # An earlier mission of the same SME: the page shows that history.
    ParticipationFactory(sme=participation.sme, mission=MissionFactory(project=mission.project))
    StakeholderFactory(mission=mission)
    return participation


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_overview_query_count_does_not_grow_with_participants(client, tenant):
    client.force_login(tenant.user)
    url = reverse("control:mission", kwargs={"mission": tenant.mission.slug})
    ProgrammeItemFactory(mission=tenant.mission)
    _add_participant(tenant.mission)
    one = _queries(client, url)
    _add_participant(tenant.mission)
    _add_participant(tenant.mission)
    ProgrammeItemFactory(mission=tenant.mission, title="Second item")
    three = _queries(client, url)
    assert one == three


def test_overview_shows_itinerary_programme_and_participants(client, tenant):
    participation = _add_participant(tenant.mission)
    item = ProgrammeItemFactory(mission=tenant.mission, title="Joint briefing with EU-ALLIANCE")
    client.force_login(tenant.user)
    page = client.get(reverse("control:mission", kwargs={"mission": tenant.mission.slug}))
    html = page.content.decode()
    assert participation.sme.name in html
    assert item.title in html
    assert "Montreal" in html
    assert page.context["overview"].counts["selected"] == 1
    assert page.context["overview"].counts["stakeholders"] == 1


def test_overview_in_french(client, tenant):
    client.force_login(tenant.user)
    page = client.get(f"/fr/missions/{tenant.mission.slug}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="fr">' in html
    assert "Itinéraire" in html
    assert "PME participantes" in html
