"""Tenancy and roles: a mission page is only ever shown to the people of its project."""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from tests.factories import (
    MembershipFactory,
    MissionFactory,
    MissionMemberFactory,
    ParticipationFactory,
    ProjectPartnerFactory,
    UserFactory,
)
from trademission.missions.domain.queries.access import role_on, visible_missions

pytestmark = pytest.mark.django_db


def mission_url_names() -> list[str]:
    """Every control page that takes a mission, so new pages are covered automatically."""
    names = []
    for pattern in get_resolver("trademission.control.urls").url_patterns:
        # Pages of one row (with a pk too) are covered by their area's permission tests.
        if isinstance(pattern, URLPattern) and set(pattern.pattern.converters) == {"mission"}:
            names.append(f"control:{pattern.name}")
    return names


def row_url_names() -> list[tuple[str, dict[str, object]]]:
    """Control pages of one row of a mission, with placeholder values for their other parts."""
    samples = {
        "int": 1,
        "str": "x",
        "slug": "x",
        "path": "x",
        "uuid": "00000000-0000-0000-0000-000000000000",
    }
    names = []
    for pattern in get_resolver("trademission.control.urls").url_patterns:
        converters = pattern.pattern.converters if isinstance(pattern, URLPattern) else {}
        if "mission" in converters and len(converters) > 1:
            kwargs = {
                key: samples.get(type(conv).__name__.replace("Converter", "").lower(), 1)
                for key, conv in converters.items()
                if key != "mission"
            }
            names.append((f"control:{pattern.name}", kwargs))
    return names


@pytest.mark.parametrize(("name", "kwargs"), row_url_names())
def test_row_pages_of_another_organisation_are_404(client, tenant, name, kwargs):
    foreign = MissionFactory(project=ProjectPartnerFactory().project)
    client.force_login(tenant.user)
    url = reverse(name, kwargs={"mission": foreign.slug, **kwargs})
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


def test_mission_pages_are_found():
    assert "control:mission" in mission_url_names()


@pytest.mark.parametrize("name", mission_url_names())
def test_user_of_another_organisation_gets_404(client, tenant, name):
    other = ProjectPartnerFactory()
    foreign = MissionFactory(project=other.project)
    client.force_login(tenant.user)
    assert client.get(reverse(name, kwargs={"mission": foreign.slug})).status_code == 404
    assert client.get(reverse(name, kwargs={"mission": tenant.mission.slug})).status_code == 200


@pytest.mark.parametrize("name", mission_url_names())
def test_anonymous_user_is_sent_to_log_in(client, tenant, name):
    response = client.get(reverse(name, kwargs={"mission": tenant.mission.slug}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_dashboard_lists_only_own_missions(client, tenant):
    foreign = MissionFactory(project=ProjectPartnerFactory().project, name="Foreign mission")
    client.force_login(tenant.user)
    page = client.get(reverse("control:dashboard")).content.decode()
    assert tenant.mission.name in page
    assert foreign.name not in page


def test_roles_follow_the_project_partnership(tenant):
    partner_staff = MembershipFactory(
        organisation=ProjectPartnerFactory(
            project=tenant.project, is_coordinator=False
        ).organisation
    ).user
    advisor = MissionMemberFactory(mission=tenant.mission, role="advisor").user
    stranger = UserFactory()
    assert role_on(tenant.user, tenant.mission) == "coordinator"
    assert role_on(partner_staff, tenant.mission) == "partner_staff"
    assert role_on(advisor, tenant.mission) == "advisor"
    assert role_on(stranger, tenant.mission) is None
    assert list(visible_missions(advisor)) == [tenant.mission]
    assert list(visible_missions(stranger)) == []


def test_advisor_of_one_mission_does_not_see_the_projects_other_missions(client, tenant):
    sister = MissionFactory(project=tenant.project)
    advisor = MissionMemberFactory(mission=tenant.mission, role="advisor").user
    client.force_login(advisor)
    assert (
        client.get(reverse("control:mission", kwargs={"mission": sister.slug})).status_code == 404
    )


def test_sme_delegate_does_not_get_the_organiser_overview(client, tenant):
    participation = ParticipationFactory(mission=tenant.mission)
    delegate = MissionMemberFactory(
        mission=tenant.mission, role="sme_delegate", participation=participation
    ).user
    client.force_login(delegate)
    url = reverse("control:mission", kwargs={"mission": tenant.mission.slug})
    assert client.get(url).status_code == 404
