"""Selection pages: applications sorted by weighted score, scoring, decisions and their e-mail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from tests.control.factories_setup import (  # noqa: F401 (fast_passwords is a fixture)
    ROLES,
    CriterionFactory,
    applicant,
    count_queries,
    fast_passwords,
    team,
)
from tests.factories import MissionFactory, ParticipationFactory
from trademission.participants.models import Participation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def url(name, mission, **kwargs):
    return reverse(f"control:{name}", kwargs={"mission": mission.slug, **kwargs})


@pytest.fixture
def criteria(tenant):
    return [
        CriterionFactory(mission=tenant.mission, key="fit", label="Technology fit", weight=3),
        CriterionFactory(mission=tenant.mission, key="export", label="Export experience", weight=1),
    ]


@pytest.fixture
def coordinator(client, tenant):
    client.force_login(tenant.user)
    return client


# --- permission matrix -------------------------------------------------------------------

SEE = {
    "coordinator": 200,
    "partner_staff": 200,
    "advisor": 200,
    "sme_delegate": 404,
    "outsider": 404,
}
SCORE = {**SEE, "coordinator": 302, "partner_staff": 302, "advisor": 302}
DECIDE = {**SEE, "advisor": 403}  # an empty decision form is re-shown with its errors

PAGES = [
    ("selection", False, SEE, {**SEE, "coordinator": 405, "partner_staff": 405, "advisor": 405}),
    ("selection_detail", True, SEE, SCORE),
    ("selection_decide", True, SEE, DECIDE),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "row", "get", "post"), PAGES, ids=[p[0] for p in PAGES])
def test_selection_permission_matrix(client, tenant, criteria, name, row, get, post, role):
    users = team(tenant)
    kwargs = {"pk": applicant(tenant.mission).pk} if row else {}
    client.force_login(users[role])
    target = url(name, tenant.mission, **kwargs)
    assert client.get(target).status_code == get[role]
    assert client.post(target, {}).status_code == post[role]
    assert len(mail.outbox) == 0


def test_application_of_another_mission_is_404(coordinator, tenant):
    foreign = applicant(MissionFactory(project=tenant.project))
    assert (
        coordinator.get(url("selection_detail", tenant.mission, pk=foreign.pk)).status_code == 404
    )
    response = coordinator.post(
        url("selection_decide", tenant.mission, pk=foreign.pk),
        {"status": "selected", "message": "Welcome"},
    )
    assert response.status_code == 404
    assert Participation.objects.get(pk=foreign.pk).status == "applied"


# --- list --------------------------------------------------------------------------------


def test_applications_are_sorted_by_weighted_score(coordinator, tenant, criteria):
    low = applicant(tenant.mission, sme__name="Alpha")
    low.scores = {"fit": 2, "export": 5}  # 3×2 + 1×5 = 11
    low.save()
    high = applicant(tenant.mission, sme__name="Bravo")
    high.scores = {"fit": 4, "export": 1}  # 13
    high.save()
    unscored = applicant(tenant.mission, sme__name="Charlie")
    page = coordinator.get(url("selection", tenant.mission))
    rows = page.context["page"].object_list
    assert [(r.sme.name, r.total) for r in rows] == [
        ("Bravo", Decimal(13)),
        ("Alpha", Decimal(11)),
        ("Charlie", Decimal(0)),
    ]
    assert 'data-total="13"' in page.content.decode()
    assert page.context["max_total"] == 20
    assert "0 of 2 scored" in page.content.decode()
    by_name = coordinator.get(url("selection", tenant.mission) + "?sort=name&status=applied")
    assert [r.sme.name for r in by_name.context["page"].object_list] == [
        "Alpha",
        "Bravo",
        "Charlie",
    ]
    assert unscored.pk


def test_applications_are_paginated(coordinator, tenant, criteria):
    for n in range(26):
        ParticipationFactory(mission=tenant.mission, status="applied", sme__name=f"SME {n:02}")
    page = coordinator.get(url("selection", tenant.mission) + "?page=2")
    assert page.context["page"].number == 2
    assert len(page.context["page"].object_list) == 1


def test_sme_history_shows_earlier_missions(coordinator, tenant, criteria):
    participation = applicant(tenant.mission)
    earlier = MissionFactory(project=tenant.project, country="AE")
    ParticipationFactory(mission=earlier, sme=participation.sme, status="selected")
    html = coordinator.get(url("selection", tenant.mission)).content.decode()
    assert "AE May 2023 · Selected" in html
    html = coordinator.get(
        url("selection_detail", tenant.mission, pk=participation.pk)
    ).content.decode()
    assert "AE May 2023 · Selected" in html


@pytest.mark.parametrize("name", ["selection"])
def test_selection_list_query_count_does_not_grow(coordinator, tenant, criteria, name):
    def add():
        participation = applicant(tenant.mission)
        ParticipationFactory(mission=MissionFactory(project=tenant.project), sme=participation.sme)

    add()
    one = count_queries(coordinator, url(name, tenant.mission))
    add()
    add()
    assert count_queries(coordinator, url(name, tenant.mission)) == one


# --- scoring -----------------------------------------------------------------------------


def test_scores_and_advisor_input_are_saved(client, tenant, criteria):
    participation = applicant(tenant.mission)
    client.force_login(team(tenant)["advisor"])  # advisors score too
    response = client.post(
        url("selection_detail", tenant.mission, pk=participation.pk),
        {"score_fit": "4", "score_export": "", "advisor_input": "Strong demand at primes."},
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.scores == {"fit": 4}
    assert participation.advisor_input == "Strong demand at primes."


@pytest.mark.parametrize("value", ["6", "-1"])
def test_score_outside_0_to_5_is_refused(coordinator, tenant, criteria, value):
    participation = applicant(tenant.mission)
    response = coordinator.post(
        url("selection_detail", tenant.mission, pk=participation.pk), {"score_fit": value}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["score_fit"] == ["A score lies between 0 and 5."]
    participation.refresh_from_db()
    assert participation.scores == {}


# --- decisions ---------------------------------------------------------------------------


def test_decision_is_recorded_and_mailed_in_english(coordinator, tenant, criteria):
    participation = applicant(tenant.mission, sme__name="ThermaVue")
    page = coordinator.get(url("selection_decide", tenant.mission, pk=participation.pk))
    proposed = page.context["form"].initial["message"]
    assert proposed.startswith("We are pleased to tell you that ThermaVue has been selected")
    response = coordinator.post(
        url("selection_decide", tenant.mission, pk=participation.pk),
        {"status": "selected", "message": proposed, "note": "Top score"},
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert (participation.status, participation.decision_note) == ("selected", "Top score")
    assert participation.decision_message == proposed
    assert participation.decided_by == tenant.user
    assert participation.decided_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [participation.contact.email]
    assert message.subject == f"Your application to {tenant.mission.name}"
    assert message.body.startswith(f"Dear {participation.contact.name},\n\n{proposed}")


def test_decision_mail_is_in_the_contacts_language(client, tenant, criteria):
    participation = applicant(tenant.mission, language="fr", sme__name="Alpilles")
    client.force_login(team(tenant)["partner_staff"])
    target = url("selection_decide", tenant.mission, pk=participation.pk)
    proposed = client.get(target + "?status=waiting_list").context["form"].initial["message"]
    assert proposed.startswith("Merci pour la candidature de Alpilles")
    client.post(target, {"status": "waiting_list", "message": proposed})
    assert mail.outbox[0].subject == f"Votre candidature : {tenant.mission.name}"
    assert mail.outbox[0].body.startswith(f"Bonjour {participation.contact.name},")
    participation.refresh_from_db()
    assert participation.status == "waiting_list"


def test_decision_without_contact_is_recorded_with_a_warning(coordinator, tenant, criteria):
    participation = ParticipationFactory(mission=tenant.mission, status="applied")
    response = coordinator.post(
        url("selection_decide", tenant.mission, pk=participation.pk),
        {"status": "declined", "message": "Sorry."},
        follow=True,
    )
    assert "no contact e-mail" in response.content.decode()
    assert len(mail.outbox) == 0
    participation.refresh_from_db()
    assert participation.status == "declined"


def test_decision_must_be_one_of_three(coordinator, tenant, criteria):
    participation = applicant(tenant.mission)
    response = coordinator.post(
        url("selection_decide", tenant.mission, pk=participation.pk),
        {"status": "withdrawn", "message": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["status"] == [
        "Select a valid choice. withdrawn is not one of the available choices."
    ]
    assert len(mail.outbox) == 0


def test_selection_page_in_french(coordinator, tenant, criteria):
    participation = applicant(tenant.mission)
    response = coordinator.get(f"/fr{url('selection_detail', tenant.mission, pk=participation.pk)}")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


def test_detail_shows_answers_and_what_differs_from_a_known_profile(coordinator, tenant, criteria):
    tenant.mission.application_questions = [{"key": "budget", "label": "Who pays?", "required": 1}]
    tenant.mission.save()
    participation = applicant(tenant.mission)
    participation.answers = {
        "budget": "Our own budget",
        "_profile_differences": {"description": "Infrared lenses.", "markets": ["CA", "US"]},
    }
    participation.save()
    page = coordinator.get(url("selection_detail", tenant.mission, pk=participation.pk))
    assert page.context["answers"] == [("Who pays?", "Our own budget")]
    html = page.content.decode()
    assert "The application differs from the known profile" in html
    assert "<dt>Description</dt><dd>Infrared lenses.</dd>" in html
    assert "<dt>Markets</dt><dd>CA, US</dd>" in html
