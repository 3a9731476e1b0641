"""Advisor profiling: notes, expectations, wishes and exclusions of selected SMEs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.control.factories_setup import (  # noqa: F401 (fast_passwords is a fixture)
    ROLES,
    AdvisorNoteFactory,
    count_queries,
    fast_passwords,
    team,
)
from tests.factories import MatchFactory, MissionFactory, ParticipationFactory, StakeholderFactory
from trademission.meetings.models import Match
from trademission.participants.models import AdvisorNote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def url(name, mission, **kwargs):
    return reverse(f"control:{name}", kwargs={"mission": mission.slug, **kwargs})


@pytest.fixture
def selected(tenant):
    return ParticipationFactory(mission=tenant.mission, status="selected", sme__name="ThermaVue")


@pytest.fixture
def advisor(client, tenant):
    user = team(tenant)["advisor"]
    client.force_login(user)
    client.user = user
    return client


# --- permission matrix -------------------------------------------------------------------

SEE = {
    "coordinator": 200,
    "partner_staff": 200,
    "advisor": 200,
    "sme_delegate": 404,
    "outsider": 404,
}
INVALID = SEE  # an empty form is shown again with its errors
DONE = {**SEE, "coordinator": 302, "partner_staff": 302, "advisor": 302}
NOT_ALLOWED = {**SEE, "coordinator": 405, "partner_staff": 405, "advisor": 405}

PAGES = [
    ("profiling", {}, SEE, NOT_ALLOWED),
    ("profiling_sme", {"pk": "p"}, SEE, NOT_ALLOWED),
    ("profiling_note_add", {"pk": "p"}, SEE, INVALID),
    ("profiling_note_edit", {"pk": "p", "note": "note"}, SEE, INVALID),
    ("profiling_note_delete", {"pk": "p", "note": "note"}, SEE, DONE),
    ("profiling_expectations", {"pk": "p"}, SEE, DONE),
    ("profiling_wish_add", {"pk": "p"}, SEE, INVALID),
    ("profiling_exclusion_add", {"pk": "p"}, SEE, INVALID),
    ("profiling_match_remove", {"pk": "p", "match": "wish"}, SEE, DONE),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "needs", "get", "post"), PAGES, ids=[p[0] for p in PAGES])
def test_profiling_permission_matrix(client, tenant, selected, name, needs, get, post, role):
    users = team(tenant)
    rows = {
        "p": selected,
        "note": AdvisorNoteFactory(participation=selected),
        "wish": MatchFactory(participation=selected, source="wish"),
    }
    client.force_login(users[role])
    target = url(name, tenant.mission, **{k: rows[v].pk for k, v in needs.items()})
    assert client.get(target).status_code == get[role]
    assert client.post(target, {}).status_code == post[role]


def test_only_selected_smes_of_the_mission_are_profiled(advisor, tenant):
    applied = ParticipationFactory(mission=tenant.mission, status="applied")
    foreign = ParticipationFactory(mission=MissionFactory(project=tenant.project))
    for participation in (applied, foreign):
        target = url("profiling_sme", tenant.mission, pk=participation.pk)
        assert advisor.get(target).status_code == 404
    note = AdvisorNoteFactory(participation=foreign)
    target = url("profiling_note_delete", tenant.mission, pk=foreign.pk, note=note.pk)
    assert advisor.post(target).status_code == 404
    assert AdvisorNote.objects.filter(pk=note.pk).exists()


# --- notes -------------------------------------------------------------------------------


def test_note_is_added_edited_and_deleted_after_confirmation(advisor, tenant, selected):
    response = advisor.post(
        url("profiling_note_add", tenant.mission, pk=selected.pk),
        {"note-date": "2023-04-17", "note-text": "Wants a distributor."},
    )
    assert response.status_code == 302
    note = selected.advisor_notes.get()
    assert (note.date, note.text, note.author) == (
        dt.date(2023, 4, 17),
        "Wants a distributor.",
        advisor.user,
    )
    advisor.post(
        url("profiling_note_edit", tenant.mission, pk=selected.pk, note=note.pk),
        {"note-date": "2023-04-18", "note-text": "Wants a distributor in Quebec."},
    )
    note.refresh_from_db()
    assert (note.date, note.text) == (dt.date(2023, 4, 18), "Wants a distributor in Quebec.")
    target = url("profiling_note_delete", tenant.mission, pk=selected.pk, note=note.pk)
    assert "Delete the note of 2023-04-18?" in advisor.get(target).content.decode()
    advisor.post(target)
    assert not AdvisorNote.objects.exists()


def test_note_without_text_is_refused_next_to_the_field(advisor, tenant, selected):
    response = advisor.post(
        url("profiling_note_add", tenant.mission, pk=selected.pk),
        {"note-date": "2023-04-17", "note-text": ""},
    )
    assert response.status_code == 200
    assert response.context["forms"]["note"].errors == {"text": ["This field is required."]}


def test_expectations_and_partner_types_are_saved_on_the_sme(advisor, tenant, selected):
    response = advisor.post(
        url("profiling_expectations", tenant.mission, pk=selected.pk),
        {"exp-expectations": "Meet primes", "exp-partner_types_sought": ["prime_contractor"]},
    )
    assert response.status_code == 302
    selected.sme.refresh_from_db()
    assert selected.sme.expectations == "Meet primes"
    assert selected.sme.partner_types_sought == ["prime_contractor"]


# --- wishes and exclusions ---------------------------------------------------------------


def test_wish_creates_a_match_with_source_wish(advisor, tenant, selected):
    stakeholder = StakeholderFactory(mission=tenant.mission)
    response = advisor.post(
        url("profiling_wish_add", tenant.mission, pk=selected.pk),
        {"wish-stakeholder": stakeholder.pk, "wish-decision": "accepted", "wish-priority": "1"},
    )
    assert response.status_code == 302
    match = Match.objects.get()
    assert (match.participation, match.stakeholder, match.mission) == (
        selected,
        stakeholder,
        tenant.mission,
    )
    assert (match.source, match.decision, match.priority) == ("wish", "accepted", 1)


def test_wish_turns_a_suggestion_into_a_wish(advisor, tenant, selected):
    suggestion = MatchFactory(participation=selected, score=0.8)
    advisor.post(
        url("profiling_wish_add", tenant.mission, pk=selected.pk),
        {
            "wish-stakeholder": suggestion.stakeholder.pk,
            "wish-decision": "pending",
            "wish-priority": "2",
        },
    )
    suggestion.refresh_from_db()
    assert (suggestion.source, suggestion.score, Match.objects.count()) == ("wish", 0.8, 1)


def test_stakeholder_of_another_mission_cannot_be_wished(advisor, tenant, selected):
    foreign = StakeholderFactory()
    response = advisor.post(
        url("profiling_wish_add", tenant.mission, pk=selected.pk),
        {"wish-stakeholder": foreign.pk, "wish-decision": "pending", "wish-priority": "2"},
    )
    assert response.status_code == 200
    assert response.context["forms"]["wish"].errors["stakeholder"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Match.objects.exists()


def test_exclusion_is_never_proposed_and_blocks_a_wish(advisor, tenant, selected):
    stakeholder = StakeholderFactory(mission=tenant.mission)
    response = advisor.post(
        url("profiling_exclusion_add", tenant.mission, pk=selected.pk),
        {"excl-stakeholder": stakeholder.pk},
    )
    assert response.status_code == 302
    match = Match.objects.get()
    assert (match.decision, match.source) == ("excluded", "manual")
    assert list(Match.objects.proposable()) == []
    response = advisor.post(
        url("profiling_wish_add", tenant.mission, pk=selected.pk),
        {"wish-stakeholder": stakeholder.pk, "wish-decision": "pending", "wish-priority": "2"},
    )
    assert response.status_code == 200
    assert response.context["forms"]["wish"].errors["stakeholder"] == [
        "This SME must not meet this stakeholder; remove the exclusion."
    ]


def test_lifting_an_exclusion_of_a_suggestion_puts_it_back_to_review(advisor, tenant, selected):
    suggestion = MatchFactory(participation=selected, decision="excluded")
    wish = MatchFactory(participation=selected, source="wish")
    target = url("profiling_match_remove", tenant.mission, pk=selected.pk, match=suggestion.pk)
    assert "Lift the exclusion of" in advisor.get(target).content.decode()
    advisor.post(target)
    suggestion.refresh_from_db()
    assert suggestion.decision == "pending"
    advisor.post(url("profiling_match_remove", tenant.mission, pk=selected.pk, match=wish.pk))
    assert not Match.objects.filter(pk=wish.pk).exists()


def test_plain_suggestion_cannot_be_removed_here(advisor, tenant, selected):
    suggestion = MatchFactory(participation=selected)
    target = url("profiling_match_remove", tenant.mission, pk=selected.pk, match=suggestion.pk)
    assert advisor.post(target).status_code == 404
    assert Match.objects.filter(pk=suggestion.pk).exists()


# --- pages -------------------------------------------------------------------------------


def test_profile_page_shows_notes_wishes_exclusions_and_history(advisor, tenant, selected):
    AdvisorNoteFactory(participation=selected, text="First call")
    wish = MatchFactory(participation=selected, source="wish")
    excluded = MatchFactory(participation=selected, decision="excluded")
    ParticipationFactory(
        mission=MissionFactory(project=tenant.project, country="SG"), sme=selected.sme
    )
    html = advisor.get(url("profiling_sme", tenant.mission, pk=selected.pk)).content.decode()
    assert "First call" in html
    assert wish.stakeholder.organisation.name in html
    assert excluded.stakeholder.organisation.name in html
    assert "SG May 2023" in html


@pytest.mark.parametrize("name", ["profiling", "profiling_sme"])
def test_profiling_query_count_does_not_grow(advisor, tenant, selected, name):
    def add():
        AdvisorNoteFactory(participation=selected)
        MatchFactory(participation=selected, source="wish")
        MatchFactory(participation=selected, decision="excluded")
        other = ParticipationFactory(mission=tenant.mission, status="selected")
        AdvisorNoteFactory(participation=other)

    target = url(name, tenant.mission, **({"pk": selected.pk} if name == "profiling_sme" else {}))
    add()
    one = count_queries(advisor, target)
    add()
    add()
    assert count_queries(advisor, target) == one


def test_profiling_list_counts(advisor, tenant, selected):
    AdvisorNoteFactory(participation=selected)
    AdvisorNoteFactory(participation=selected)
    MatchFactory(participation=selected, source="wish")
    MatchFactory(participation=selected, decision="excluded")
    MatchFactory(participation=selected)
    rows = advisor.get(url("profiling", tenant.mission)).context["page"].object_list
    row = next(p for p in rows if p.pk == selected.pk)
    assert (row.notes, row.wishes, row.exclusions) == (2, 1, 1)
