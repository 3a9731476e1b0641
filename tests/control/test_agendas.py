"""The organisers' agenda pages: lists with meeting counts, each SME's and stakeholder's agenda."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    TORONTO,
    MeetingFactory,
    MembershipFactory,
    MissionFactory,
    MissionMemberFactory,
    ParticipationFactory,
    ProjectPartnerFactory,
    StakeholderFactory,
)
from trademission.meetings.models import MissionPlan

pytestmark = pytest.mark.django_db


def url(name, mission, **kwargs):
    return reverse(f"control:{name}", kwargs={"mission": mission.slug, **kwargs})


def meet(participation, host, hour, status="confirmed"):
    start = dt.datetime(2023, 5, 29, hour, tzinfo=TORONTO)
    row = MeetingFactory(
        mission=participation.mission,
        host=host,
        start=start,
        end=start + dt.timedelta(minutes=45),
        status=status,
    )
    row.participations.add(participation)
    return row


@pytest.fixture
def planned(tenant):
    mission = tenant.mission
    thermavue = ParticipationFactory(mission=mission, sme__name="ThermaVue")
    alpha = ParticipationFactory(mission=mission, sme__name="Alpha Optics")
    ParticipationFactory(mission=mission, sme__name="Not selected", status="applied")
    cae = StakeholderFactory(mission=mission, organisation__name="CAE")
    port = StakeholderFactory(mission=mission, organisation__name="Port of Montreal")
    meet(thermavue, cae, 14)
    meet(thermavue, port, 15)
    meet(alpha, cae, 16)
    meet(alpha, port, 10, status="cancelled")
    return type(
        "Planned",
        (),
        {"tenant": tenant, "thermavue": thermavue, "alpha": alpha, "cae": cae, "port": port},
    )


def test_sme_list_counts_meetings_without_cancelled_ones(client, planned):
    client.force_login(planned.tenant.user)
    response = client.get(url("agendas", planned.tenant.mission))
    assert response.status_code == 200
    rows = [(p.sme.name, p.n_meetings) for p in response.context["rows"]]
    assert rows == [("Alpha Optics", 1), ("ThermaVue", 2)]
    html = response.content.decode()
    assert url("agendas_sme", planned.tenant.mission, participation=planned.thermavue.pk) in html
    assert "The plan is not published" in html
    assert "no meeting yet" not in html
    ParticipationFactory(mission=planned.tenant.mission, sme__name="Zeta")
    assert "no meeting yet" in client.get(url("agendas", planned.tenant.mission)).content.decode()


def test_stakeholder_list_counts_hosted_meetings_busiest_first(client, planned):
    client.force_login(planned.tenant.user)
    response = client.get(url("agendas_stakeholders", planned.tenant.mission))
    rows = [(s.name, s.n_meetings) for s in response.context["rows"]]
    assert rows == [("CAE", 2), ("Port of Montreal", 1)]


def test_sme_agenda_page_shows_its_meetings_in_the_mission_time_zone(client, planned):
    client.force_login(planned.tenant.user)
    response = client.get(
        url("agendas_sme", planned.tenant.mission, participation=planned.thermavue.pk)
    )
    html = response.content.decode()
    assert "Times in America/Toronto (EDT)" in html
    assert "Monday 29 May 2023" in html
    assert "14:00" in html and "15:00" in html
    assert "CAE" in html and "Port of Montreal" in html
    assert "Alpha Optics" not in html


def test_stakeholder_agenda_page_shows_its_meetings(client, planned):
    MissionPlan.objects.create(mission=planned.tenant.mission, status="final")
    client.force_login(planned.tenant.user)
    response = client.get(
        url("agendas_stakeholder", planned.tenant.mission, stakeholder=planned.cae.pk)
    )
    html = response.content.decode()
    assert "Meetings of CAE with the delegation" in html
    assert "ThermaVue" in html and "Alpha Optics" in html
    assert "This is the final meeting plan." in html


def test_agenda_pages_in_french(client, planned):
    client.force_login(planned.tenant.user)
    path = url("agendas_sme", planned.tenant.mission, participation=planned.thermavue.pk)
    response = client.get(f"/fr{path}")
    assert response.status_code == 200
    assert "lundi 29 mai 2023" in response.content.decode()


def test_rows_of_another_mission_are_404(client, planned):
    other = MissionFactory(project=planned.tenant.project)
    foreign_sme = ParticipationFactory(mission=other)
    foreign_stakeholder = StakeholderFactory(mission=other)
    client.force_login(planned.tenant.user)
    mission = planned.tenant.mission
    assert client.get(url("agendas_sme", mission, participation=foreign_sme.pk)).status_code == 404
    assert (
        client.get(
            url("agendas_stakeholder", mission, stakeholder=foreign_stakeholder.pk)
        ).status_code
        == 404
    )


def test_other_organisations_and_delegates_do_not_get_the_organiser_pages(client, planned):
    mission = planned.tenant.mission
    stranger = MembershipFactory(organisation=ProjectPartnerFactory().organisation).user
    delegate = MissionMemberFactory(
        mission=mission, role="sme_delegate", participation=planned.thermavue
    ).user
    advisor = MissionMemberFactory(mission=mission, role="advisor").user
    page = url("agendas_sme", mission, participation=planned.thermavue.pk)
    for user, status in ((stranger, 404), (delegate, 404), (advisor, 200)):
        client.force_login(user)
        assert client.get(page).status_code == status


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_page_query_counts_do_not_grow_with_meetings(client, tenant):
    mission = tenant.mission
    p = ParticipationFactory(mission=mission)
    host = StakeholderFactory(mission=mission)
    meet(p, host, 9)
    client.force_login(tenant.user)
    pages = [
        url("agendas", mission),
        url("agendas_stakeholders", mission),
        url("agendas_sme", mission, participation=p.pk),
        url("agendas_stakeholder", mission, stakeholder=host.pk),
    ]
    one = [_queries(client, page) for page in pages]
    for hour in (11, 13):
        other = ParticipationFactory(mission=mission)
        meet(p, host, hour).participations.add(other)
        StakeholderFactory(mission=mission)
    three = [_queries(client, page) for page in pages]
    assert one == three
