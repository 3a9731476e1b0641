"""Agendas in the portal: a delegate's own SME only, a stakeholder's from its link, and only
once the plan is published."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    TORONTO,
    MeetingFactory,
    MissionFactory,
    MissionMemberFactory,
    ParticipationFactory,
    StakeholderFactory,
    StopFactory,
)
from trademission.meetings.models import MissionPlan
from trademission.participants.models import StakeholderToken

pytestmark = pytest.mark.django_db


def meet(participation, host, hour):
    start = dt.datetime(2023, 5, 29, hour, tzinfo=TORONTO)
    row = MeetingFactory(
        mission=participation.mission,
        host=host,
        start=start,
        end=start + dt.timedelta(minutes=45),
        status="confirmed",
    )
    row.participations.add(participation)
    return row


def token_for(stakeholder, *, days=14, revoked=False):
    raw, digest = StakeholderToken.new_secret()
    StakeholderToken.objects.create(
        stakeholder=stakeholder,
        token_hash=digest,
        expires_at=timezone.now() + dt.timedelta(days=days),
        revoked=revoked,
    )
    return raw


@pytest.fixture
def mission():
    mission = MissionFactory(slug="canada", name="Business mission to Canada")
    StopFactory(mission=mission, city="Montreal")
    thermavue = ParticipationFactory(mission=mission, sme__name="ThermaVue")
    alpha = ParticipationFactory(mission=mission, sme__name="Alpha Optics")
    cae = StakeholderFactory(mission=mission, organisation__name="CAE")
    port = StakeholderFactory(mission=mission, organisation__name="Port of Montreal")
    meet(thermavue, cae, 14)
    meet(alpha, port, 15)
    delegate = MissionMemberFactory(
        mission=mission, role="sme_delegate", participation=thermavue
    ).user
    mission.thermavue, mission.alpha, mission.cae, mission.port = thermavue, alpha, cae, port
    mission.delegate = delegate
    return mission


def publish(mission, status="preliminary"):
    MissionPlan.objects.create(mission=mission, status=status, published_at=timezone.now())


def agenda_url(mission, participation=None):
    if participation is None:
        return reverse("portal:agenda", kwargs={"mission": mission.slug})
    return reverse(
        "portal:agenda_sme", kwargs={"mission": mission.slug, "participation": participation.pk}
    )


def meetings_url(raw):
    return reverse("portal:agenda_stakeholder", kwargs={"token": raw})


# --------------------------------------------------------------------------- delegates


def test_delegate_sees_their_own_agenda_once_published(client, mission):
    publish(mission)
    client.force_login(mission.delegate)
    response = client.get(agenda_url(mission))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Agenda of ThermaVue" in html
    assert "preliminary" in html
    assert "Times in America/Toronto (EDT)" in html
    assert "Monday 29 May 2023" in html and "Montreal" in html
    assert "CAE" in html
    assert "Port of Montreal" not in html
    assert "Alpha Optics" not in html
    assert client.get(agenda_url(mission, mission.thermavue)).status_code == 200


def test_final_plan_is_labelled_final(client, mission):
    publish(mission, status="final")
    client.force_login(mission.delegate)
    html = client.get(agenda_url(mission)).content.decode()
    assert "This is the final meeting plan." in html


def test_delegate_gets_404_for_another_smes_agenda(client, mission):
    publish(mission)
    client.force_login(mission.delegate)
    assert client.get(agenda_url(mission, mission.alpha)).status_code == 404


def test_delegate_of_another_mission_and_organisers_get_404(client, mission):
    publish(mission)
    other = MissionFactory()
    stranger = MissionMemberFactory(
        mission=other, role="sme_delegate", participation=ParticipationFactory(mission=other)
    ).user
    advisor = MissionMemberFactory(mission=mission, role="advisor").user
    for user in (stranger, advisor):
        client.force_login(user)
        assert client.get(agenda_url(mission)).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, mission):
    response = client.get(agenda_url(mission))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unpublished_plan_shows_the_not_published_page(client, mission):
    MissionPlan.objects.create(mission=mission, status="draft")
    client.force_login(mission.delegate)
    response = client.get(agenda_url(mission))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The plan is not published yet" in html
    assert "CAE" not in html


def test_mission_without_a_plan_row_is_not_published(client, mission):
    client.force_login(mission.delegate)
    html = client.get(agenda_url(mission)).content.decode()
    assert "The plan is not published yet" in html


def test_delegate_agenda_in_french(client, mission):
    publish(mission)
    client.force_login(mission.delegate)
    response = client.get("/fr" + agenda_url(mission))
    assert response.status_code == 200
    assert "lundi 29 mai 2023" in response.content.decode()


def test_dashboard_links_a_delegate_to_their_agenda(client, mission):
    client.force_login(mission.delegate)
    html = client.get(reverse("control:dashboard")).content.decode()
    assert "My agendas" in html
    assert agenda_url(mission) in html
    organiser_page = reverse("control:mission", kwargs={"mission": mission.slug})
    assert f'href="{organiser_page}"' not in html


# ------------------------------------------------------------------------- stakeholders


def test_stakeholder_link_shows_its_meetings_once_published(client, mission):
    publish(mission)
    response = client.get(meetings_url(token_for(mission.cae)))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "Meetings of CAE with the delegation" in html
    assert "ThermaVue" in html
    assert "14:00" in html
    assert "Port of Montreal" not in html
    assert "Alpha Optics" not in html


def test_stakeholder_link_shows_nothing_of_another_stakeholder(client, mission):
    publish(mission)
    html = client.get(meetings_url(token_for(mission.port))).content.decode()
    assert "Alpha Optics" in html
    assert "CAE" not in html
    assert "ThermaVue" not in html


def test_stakeholder_link_before_publication(client, mission):
    response = client.get(meetings_url(token_for(mission.cae)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The plan is not published yet" in html
    assert "ThermaVue" not in html


def test_unknown_link_is_404(client, mission):
    publish(mission)
    assert client.get(meetings_url("not-a-real-secret")).status_code == 404


def test_expired_or_revoked_link_is_410(client, mission):
    publish(mission)
    for raw in (token_for(mission.cae, days=-1), token_for(mission.cae, revoked=True)):
        response = client.get(meetings_url(raw))
        assert response.status_code == 410
        html = response.content.decode()
        assert "This link has expired" in html
        assert "ThermaVue" not in html
