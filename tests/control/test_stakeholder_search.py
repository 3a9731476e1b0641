"""Picking a stakeholder among thousands: the search endpoint and the forms that use it.

Up to ``SELECT_LIMIT`` candidates the forms keep a plain select; beyond, a search box whose
results come from ``stakeholders_search`` (htmx), with the exact typed name as the no-JS path.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.control.factories_setup import (  # noqa: F401 (fast_passwords is a fixture)
    ROLES,
    count_queries,
    fast_passwords,
    team,
)
from tests.factories import MatchFactory, ParticipationFactory, StakeholderFactory
from trademission.control.forms.fields import SELECT_LIMIT
from trademission.meetings.models import Match

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def url(name, mission, **kwargs):
    return reverse(f"control:{name}", kwargs={"mission": mission.slug, **kwargs})


def search(client, mission, **params):
    response = client.get(url("stakeholders_search", mission), params)
    assert response.status_code == 200
    return response


def found_names(response):
    return [s.organisation.name for s in response.context["results"]]


@pytest.fixture
def coordinator(client, tenant):
    client.force_login(tenant.user)
    return client


@pytest.fixture
def selected(tenant):
    return ParticipationFactory(mission=tenant.mission, status="selected", sme__name="ThermaVue")


def many(mission, n=SELECT_LIMIT + 1):
    """``n`` stakeholders named Partner 000, Partner 001, ... (one more than a select shows)."""
    return [
        StakeholderFactory(mission=mission, organisation__name=f"Partner {i:03d}") for i in range(n)
    ]


# --- the endpoint ------------------------------------------------------------------------


def test_search_returns_at_most_20_matches_ordered_by_name(coordinator, tenant):
    for i in reversed(range(25)):
        StakeholderFactory(mission=tenant.mission, organisation__name=f"Acme {i:02d}")
    StakeholderFactory(mission=tenant.mission, organisation__name="Boreal Optics")
    response = search(coordinator, tenant.mission, q="acme", field="wish-stakeholder")
    assert found_names(response) == [f"Acme {i:02d}" for i in range(20)]
    html = response.content.decode()
    assert html.count('type="radio" name="wish-stakeholder"') == 20
    assert "Only the first 20 are shown" in html
    assert "Boreal" not in html


def test_search_never_shows_another_missions_stakeholder(coordinator, tenant):
    StakeholderFactory(mission=tenant.mission, organisation__name="Acme Local")
    StakeholderFactory(organisation__name="Acme Foreign")
    response = search(coordinator, tenant.mission, q="Acme")
    assert found_names(response) == ["Acme Local"]
    assert "Acme Foreign" not in response.content.decode()


def test_search_leaves_out_the_stakeholders_already_matched(coordinator, tenant, selected):
    matched = StakeholderFactory(mission=tenant.mission, organisation__name="Acme Matched")
    MatchFactory(participation=selected, stakeholder=matched, decision="excluded")
    StakeholderFactory(mission=tenant.mission, organisation__name="Acme Free")
    response = search(coordinator, tenant.mission, q="acme", exclude_matched_for=selected.pk)
    assert found_names(response) == ["Acme Free"]
    assert found_names(search(coordinator, tenant.mission, q="acme")) == [
        "Acme Free",
        "Acme Matched",
    ]


def test_search_refuses_a_participation_of_another_mission(coordinator, tenant):
    foreign = ParticipationFactory(status="selected")
    target = url("stakeholders_search", tenant.mission)
    assert coordinator.get(target, {"q": "a", "exclude_matched_for": foreign.pk}).status_code == 404
    assert coordinator.get(target, {"q": "a", "exclude_matched_for": "x"}).status_code == 404


def test_search_with_an_empty_query_lists_nothing(coordinator, tenant):
    StakeholderFactory(mission=tenant.mission, organisation__name="Acme")
    response = search(coordinator, tenant.mission, q="  ")
    assert (found_names(response), response.content.decode().strip()) == ([], "")


def test_search_says_when_nothing_matches(coordinator, tenant):
    response = search(coordinator, tenant.mission, q="Zeppelin")
    assert "No stakeholder to choose has “Zeppelin” in its name." in response.content.decode()


def test_search_keeps_a_safe_field_name(coordinator, tenant):
    StakeholderFactory(mission=tenant.mission, organisation__name="Acme")
    html = search(coordinator, tenant.mission, q="Acme", field='x" onclick="').content.decode()
    assert 'name="stakeholder"' in html
    assert "onclick" not in html


@pytest.mark.parametrize("role", ROLES)
def test_search_permission(client, tenant, role):
    StakeholderFactory(mission=tenant.mission, organisation__name="Acme")
    client.force_login(team(tenant)[role])
    expected = {
        "coordinator": 200,
        "partner_staff": 200,
        "advisor": 200,
        "sme_delegate": 404,
        "outsider": 404,
    }
    assert (
        client.get(url("stakeholders_search", tenant.mission), {"q": "Acme"}).status_code
        == (expected[role])
    )


def test_search_needs_a_login(client, tenant):
    response = client.get(url("stakeholders_search", tenant.mission), {"q": "Acme"})
    assert response.status_code == 302


# --- the pages of one SME with many stakeholders -----------------------------------------


@pytest.mark.parametrize(
    ("name", "kwarg"), [("recommendations_sme", "participation"), ("profiling_sme", "pk")]
)
def test_sme_pages_search_instead_of_listing_many_stakeholders(
    coordinator, tenant, selected, name, kwarg
):
    target = url(name, tenant.mission, **{kwarg: selected.pk})
    many(tenant.mission, 3)
    few = count_queries(coordinator, target)
    html = coordinator.get(target).content.decode()
    assert "Partner 002" in html  # a select, as before
    assert 'hx-trigger="input changed delay:250ms' not in html
    many_more = [
        StakeholderFactory(mission=tenant.mission, organisation__name=f"Partner {i:03d}")
        for i in range(3, SELECT_LIMIT + 1)
    ]
    assert many_more[-1].organisation.name == "Partner 200"  # the 201st
    assert count_queries(coordinator, target) == few
    html = coordinator.get(target).content.decode()
    assert "Partner 200" not in html
    assert "Partner 000" not in html
    assert 'hx-trigger="input changed delay:250ms' in html
    assert url("stakeholders_search", tenant.mission) in html


def test_recommendations_search_box_asks_only_for_stakeholders_not_matched(
    coordinator, tenant, selected
):
    many(tenant.mission)
    html = coordinator.get(
        url("recommendations_sme", tenant.mission, participation=selected.pk)
    ).content.decode()
    search_url = url("stakeholders_search", tenant.mission)
    assert f"{search_url}?field=stakeholder&amp;exclude_matched_for={selected.pk}" in html


# --- the typed name, without JavaScript --------------------------------------------------


def _add_by_hand(client, participation, data):
    target = url("recommendations_sme", participation.mission, participation=participation.pk)
    return client.post(target, {"action": "add", **data})


def test_add_by_hand_picks_a_search_result(coordinator, tenant, selected):
    chosen = many(tenant.mission)[150]
    response = _add_by_hand(coordinator, selected, {"stakeholder": chosen.pk, "q": "partner 15"})
    assert response.status_code == 302
    assert Match.objects.get().stakeholder == chosen


def test_add_by_hand_by_the_typed_name(coordinator, tenant, selected):
    chosen = many(tenant.mission)[150]
    response = _add_by_hand(coordinator, selected, {"q": "  partner 150 "})
    assert response.status_code == 302
    match = Match.objects.get()
    assert (match.stakeholder, match.source, match.decision) == (chosen, "manual", "accepted")


def test_add_by_hand_by_a_name_nobody_has(coordinator, tenant, selected):
    many(tenant.mission)
    response = _add_by_hand(coordinator, selected, {"q": "Partner 1"})
    assert response.status_code == 400
    assert response.context["add_form"].errors["stakeholder"] == [
        "No stakeholder is named “Partner 1”: pick one among the search results."
    ]
    assert "No stakeholder is named “Partner 1”" in response.content.decode()
    assert not Match.objects.exists()


def test_add_by_hand_by_a_name_two_stakeholders_have(coordinator, tenant, selected):
    many(tenant.mission)
    StakeholderFactory(mission=tenant.mission, organisation__name="Twin Industries")
    StakeholderFactory(mission=tenant.mission, organisation__name="TWIN industries")
    response = _add_by_hand(coordinator, selected, {"q": "twin industries"})
    assert response.status_code == 400
    assert response.context["add_form"].errors["stakeholder"] == [
        "Several stakeholders are named “twin industries”: pick one among the search results."
    ]
    assert not Match.objects.exists()


def test_add_by_hand_by_the_name_of_a_stakeholder_already_matched(coordinator, tenant, selected):
    matched = many(tenant.mission, SELECT_LIMIT + 2)[7]  # 201 left: still a search box
    MatchFactory(participation=selected, stakeholder=matched)
    response = _add_by_hand(coordinator, selected, {"q": "Partner 007"})
    assert response.status_code == 400
    assert response.context["add_form"].errors["stakeholder"] == [
        "No stakeholder is named “Partner 007”: pick one among the search results."
    ]


def test_add_by_hand_with_nothing_typed(coordinator, tenant, selected):
    many(tenant.mission)
    response = _add_by_hand(coordinator, selected, {"q": ""})
    assert response.status_code == 400
    assert response.context["add_form"].errors["stakeholder"] == ["This field is required."]


def test_add_by_hand_cannot_pick_another_missions_stakeholder(coordinator, tenant, selected):
    many(tenant.mission)
    foreign = StakeholderFactory(organisation__name="Partner 999")
    response = _add_by_hand(coordinator, selected, {"stakeholder": foreign.pk})
    assert response.status_code == 400
    assert response.context["add_form"].errors["stakeholder"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    response = _add_by_hand(coordinator, selected, {"q": "Partner 999"})
    assert response.status_code == 400
    assert not Match.objects.exists()


def test_wish_and_exclusion_by_the_typed_name(coordinator, tenant, selected):
    rows = many(tenant.mission)
    response = coordinator.post(
        url("profiling_wish_add", tenant.mission, pk=selected.pk),
        {"q": "PARTNER 042", "wish-decision": "accepted", "wish-priority": "1"},
    )
    assert response.status_code == 302
    wish = Match.objects.get()
    assert (wish.stakeholder, wish.source, wish.decision) == (rows[42], "wish", "accepted")
    response = coordinator.post(
        url("profiling_exclusion_add", tenant.mission, pk=selected.pk), {"q": "Partner 043"}
    )
    assert response.status_code == 302
    assert Match.objects.get(stakeholder=rows[43]).decision == "excluded"


def test_wish_by_a_name_nobody_has_is_refused_next_to_the_field(coordinator, tenant, selected):
    many(tenant.mission)
    response = coordinator.post(
        url("profiling_wish_add", tenant.mission, pk=selected.pk),
        {"q": "Nobody", "wish-decision": "pending", "wish-priority": "2"},
    )
    assert response.status_code == 200
    assert response.context["forms"]["wish"].errors["stakeholder"] == [
        "No stakeholder is named “Nobody”: pick one among the search results."
    ]
    html = response.content.decode()
    assert 'value="Nobody"' in html  # the search box keeps what was typed
    assert not Match.objects.exists()
