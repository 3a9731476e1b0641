"""The recommendations pages: lists, explanations, curation by htmx and by plain POST."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    MatchFactory,
    MembershipFactory,
    MissionFactory,
    MissionMemberFactory,
    ParticipationFactory,
    ProjectPartnerFactory,
    StakeholderFactory,
)
from trademission.core.models import Job
from trademission.meetings.models import Match

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}

EXPLANATION = {
    "score": 0.71,
    "wish": False,
    "signals": {"concepts": 0.6, "lexical": 0.2},
    "concepts": [
        {
            "concept": "imaging",
            "label": "Imaging",
            "direct": False,
            "contribution": 0.31,
            "sme_phrases": ["thermal imaging"],
            "stakeholder_phrases": ["capteurs infrarouges"],
        }
    ],
    "shared_terms": ["surveillance"],
    "partner_type": {
        "fit": 1.0,
        "sme_seeks": ["prime_contractor"],
        "stakeholder_types": ["prime_contractor"],
    },
    "languages": ["fr"],
    "text": "Shared concepts: Imaging.",
}


def _url(name, mission, **kwargs):
    return reverse(f"control:{name}", kwargs={"mission": mission.slug, **kwargs})


def _sme_url(participation):
    return _url("recommendations_sme", participation.mission, participation=participation.pk)


def _stakeholder_url(stakeholder):
    return _url("recommendations_stakeholder", stakeholder.mission, stakeholder=stakeholder.pk)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def curator(client, tenant):
    """The coordinator, who may curate (one user per test keeps password hashing cheap)."""
    client.force_login(tenant.user)
    return tenant.user


@pytest.fixture
def sme(tenant):
    return ParticipationFactory(mission=tenant.mission, sme__name="ThermaVue Optique")


def _match(participation, **kwargs):
    return MatchFactory(participation=participation, mission=participation.mission, **kwargs)


# ------------------------------------------------------------------------- lists


def test_index_lists_selected_smes_with_their_counts(client, tenant, curator, sme):
    _match(sme, source="suggested")
    _match(sme, source="suggested", decision="accepted")
    _match(sme, source="wish")
    _match(sme, source="suggested", decision="excluded")
    ParticipationFactory(mission=tenant.mission, status="applied", sme__name="Not selected")
    response = client.get(_url("recommendations", tenant.mission))
    html = response.content.decode()
    assert "ThermaVue Optique" in html
    assert "Not selected" not in html
    (row,) = response.context["rows"]
    assert (row.n_suggested, row.n_accepted, row.n_wishes, row.n_excluded) == (2, 1, 1, 1)
    assert "Recompute now" in html


@pytest.mark.parametrize("name", ["recommendations", "recommendations_stakeholders"])
def test_index_query_count_does_not_grow_with_rows(client, tenant, curator, name):
    url = _url(name, tenant.mission)
    _match(ParticipationFactory(mission=tenant.mission))
    one = _queries(client, url)
    for _ in range(2):
        _match(ParticipationFactory(mission=tenant.mission))
    assert _queries(client, url) == one


def test_sme_page_query_count_does_not_grow_with_rows(client, tenant, curator, sme):
    _match(sme, explanation=EXPLANATION)
    _match(sme, decision="excluded")
    StakeholderFactory(mission=tenant.mission)
    one = _queries(client, _sme_url(sme))
    for _ in range(2):
        _match(sme, explanation=EXPLANATION)
        _match(sme, decision="excluded")
        StakeholderFactory(mission=tenant.mission)
    assert _queries(client, _sme_url(sme)) == one


def test_stakeholder_page_query_count_does_not_grow_with_rows(client, tenant, curator):
    stakeholder = StakeholderFactory(mission=tenant.mission)
    MatchFactory(stakeholder=stakeholder, participation__mission=tenant.mission)
    one = _queries(client, _stakeholder_url(stakeholder))
    for _ in range(2):
        MatchFactory(stakeholder=stakeholder, participation__mission=tenant.mission)
        ParticipationFactory(mission=tenant.mission)
    assert _queries(client, _stakeholder_url(stakeholder)) == one


def test_sme_page_ranks_by_score_and_shows_exclusions_apart(client, tenant, curator, sme):
    low = _match(sme, score=0.2, stakeholder__organisation__name="Low fit")
    high = _match(sme, score=0.9, stakeholder__organisation__name="High fit")
    excluded = _match(sme, score=0.95, decision="excluded")
    response = client.get(_sme_url(sme))
    assert [m.pk for m in response.context["matches"]] == [high.pk, low.pk]
    assert [m.pk for m in response.context["exclusions"]] == [excluded.pk]
    offered = response.context["add_form"].fields["stakeholder"].queryset
    assert excluded.stakeholder not in offered and high.stakeholder not in offered


def test_sme_page_is_paginated(client, tenant, curator, sme):
    for i in range(51):
        _match(sme, score=i / 100)
    response = client.get(_sme_url(sme))
    assert len(response.context["matches"]) == 50
    assert client.get(_sme_url(sme) + "?page=2").context["matches"][0].score == 0.0


def test_explanation_is_rendered_in_words(client, tenant, curator, sme):
    _match(sme, explanation=EXPLANATION)
    html = client.get(_sme_url(sme)).content.decode()
    assert "Imaging" in html
    assert "through a related concept" in html
    assert "<q>thermal imaging</q>" in html
    assert "<q>capteurs infrarouges</q>" in html
    assert "surveillance" in html
    assert "the SME seeks Prime contractor; the stakeholder is Prime contractor" in html
    assert "French" in html


@pytest.mark.parametrize(
    "explanation",
    [
        {},
        3,
        "free text",
        [1, 2],
        {"concepts": "oops", "partner_type": [], "languages": "fr"},
        {"concepts": [{"label": None}, 3, {"concept": "x", "sme_phrases": 5}]},
        {"partner_type": {"fit": "high", "sme_seeks": ["unknown_kind"]}, "shared_terms": [{}]},
    ],
)
def test_malformed_explanations_do_not_break_the_page(client, tenant, curator, sme, explanation):
    _match(sme, explanation=explanation)
    assert client.get(_sme_url(sme)).status_code == 200


def test_sme_page_in_french(client, tenant, curator, sme):
    _match(sme)
    response = client.get("/fr" + _sme_url(sme))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert "Parties prenantes pour ThermaVue Optique" in html
    assert "Ajouter et accepter" in html


def test_sme_of_another_mission_or_not_selected_is_404(client, tenant, curator):
    assert client.get(_sme_url(ParticipationFactory())).status_code == 404
    other = ParticipationFactory()
    url = _url("recommendations_sme", tenant.mission, participation=other.pk)
    assert client.get(url).status_code == 404
    applied = ParticipationFactory(mission=tenant.mission, status="applied")
    assert client.get(_sme_url(applied)).status_code == 404
    stakeholder = StakeholderFactory()
    url = _url("recommendations_stakeholder", tenant.mission, stakeholder=stakeholder.pk)
    assert client.get(url).status_code == 404


def test_detail_pages_of_a_foreign_mission_are_404(client, tenant):
    foreign = MissionFactory(project=ProjectPartnerFactory().project)
    participation = ParticipationFactory(mission=foreign)
    stakeholder = StakeholderFactory(mission=foreign)
    client.force_login(tenant.user)
    assert client.get(_sme_url(participation)).status_code == 404
    assert client.get(_stakeholder_url(stakeholder)).status_code == 404


# ------------------------------------------------------------------------- actions


def _post(client, url, data, **extra):
    return client.post(url, data, **extra)


def test_accept_by_htmx_returns_the_redrawn_row(client, tenant, curator, sme):
    match = _match(sme)
    response = _post(
        client,
        _sme_url(sme),
        {"action": "decide", "match": match.pk, "decision": "accepted", "rank": 3},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="match-{match.pk}" class="decision-accepted"')
    assert '<td class="num rank">3</td>' in html
    assert "<html" not in html
    assert Match.objects.get(pk=match.pk).decision == "accepted"


def test_reject_without_javascript_redirects_back(client, tenant, curator, sme):
    match = _match(sme)
    url = _sme_url(sme) + "?page=1"
    response = _post(client, url, {"action": "decide", "match": match.pk, "decision": "rejected"})
    assert response.status_code == 302
    assert response["Location"] == url
    assert Match.objects.get(pk=match.pk).decision == "rejected"


def test_set_priority_by_htmx(client, tenant, curator, sme):
    match = _match(sme)
    response = _post(
        client, _sme_url(sme), {"action": "priority", "match": match.pk, "priority": 1}, **HTMX
    )
    assert response.status_code == 200
    assert '<option value="1" selected>High</option>' in response.content.decode()
    assert Match.objects.get(pk=match.pk).priority == 1


def test_row_action_cannot_reach_a_match_of_another_sme(client, tenant, curator, sme):
    other = _match(ParticipationFactory(mission=tenant.mission))
    response = _post(
        client, _sme_url(sme), {"action": "decide", "match": other.pk, "decision": "accepted"}
    )
    assert response.status_code == 302
    assert Match.objects.get(pk=other.pk).decision == "pending"


def test_bulk_reject_and_priority(client, tenant, curator, sme):
    first, second, third = (_match(sme) for _ in range(3))
    url = _sme_url(sme)
    data = {"action": "bulk", "matches": [first.pk, second.pk], "bulk_action": "rejected"}
    assert _post(client, url, data).status_code == 302
    data = {"action": "bulk", "matches": [second.pk, third.pk], "bulk_action": "priority-3"}
    assert _post(client, url, data).status_code == 302
    rows = {m.pk: (m.decision, m.priority) for m in Match.objects.all()}
    assert rows == {
        first.pk: ("rejected", 2),
        second.pk: ("rejected", 3),
        third.pk: ("pending", 3),
    }


def test_bulk_with_no_row_selected_says_so(client, tenant, curator, sme):
    _match(sme)
    response = _post(client, _sme_url(sme), {"action": "bulk", "bulk_action": "accepted"})
    assert response.status_code == 400
    assert "Select at least one row." in response.content.decode()


def test_bulk_ignores_matches_of_other_missions(client, tenant, curator, sme):
    mine = _match(sme)
    foreign = MatchFactory()
    data = {"action": "bulk", "matches": [mine.pk, foreign.pk], "bulk_action": "accepted"}
    assert _post(client, _sme_url(sme), data).status_code == 400
    assert set(Match.objects.values_list("decision", flat=True)) == {"pending"}


def test_add_by_hand_from_the_sme_page(client, tenant, curator, sme):
    stakeholder = StakeholderFactory(mission=tenant.mission)
    response = _post(client, _sme_url(sme), {"action": "add", "stakeholder": stakeholder.pk})
    assert response.status_code == 302
    match = Match.objects.get(participation=sme, stakeholder=stakeholder)
    assert (match.source, match.decision) == ("manual", "accepted")


def test_add_by_hand_refuses_an_excluded_stakeholder(client, tenant, curator, sme):
    excluded = _match(sme, decision="excluded")
    response = _post(
        client, _sme_url(sme), {"action": "add", "stakeholder": excluded.stakeholder_id}
    )
    assert response.status_code == 400
    assert Match.objects.get().source == "suggested"


def test_add_by_hand_from_the_stakeholder_page(client, tenant, curator, sme):
    stakeholder = StakeholderFactory(mission=tenant.mission)
    response = _post(
        client, _stakeholder_url(stakeholder), {"action": "add", "participation": sme.pk}
    )
    assert response.status_code == 302
    assert Match.objects.get(stakeholder=stakeholder).participation == sme


def test_stakeholder_page_accepts_by_htmx(client, tenant, curator, sme):
    match = _match(sme)
    response = _post(
        client,
        _stakeholder_url(match.stakeholder),
        {"action": "decide", "match": match.pk, "decision": "accepted"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "ThermaVue Optique" in response.content.decode()
    assert Match.objects.get(pk=match.pk).decision == "accepted"


def test_partner_staff_sees_but_cannot_curate(client, tenant, sme):
    staff = MembershipFactory(
        organisation=ProjectPartnerFactory(
            project=tenant.project, is_coordinator=False
        ).organisation
    ).user
    client.force_login(staff)
    match = _match(sme)
    page = client.get(_sme_url(sme))
    assert page.status_code == 200
    assert 'value="accepted"' not in page.content.decode()
    assert "Add and accept" not in page.content.decode()
    data = {"action": "decide", "match": match.pk, "decision": "accepted"}
    assert client.post(_sme_url(sme), data).status_code == 403
    assert client.post(_url("recommendations", tenant.mission)).status_code == 403
    assert Match.objects.get(pk=match.pk).decision == "pending"
    assert not Job.objects.exists()


# ------------------------------------------------------------------------- the matching job


def test_recompute_now_starts_one_job_and_polls_its_status(client, tenant):
    advisor = MissionMemberFactory(mission=tenant.mission, role="advisor").user
    client.force_login(advisor)
    url = _url("recommendations", tenant.mission)
    response = client.post(url, **HTMX)
    html = response.content.decode()
    job = Job.objects.get()
    assert (job.kind, job.status, job.started_by) == ("matching", "queued", advisor)
    assert 'hx-trigger="every 2s"' in html
    assert "waiting for the worker" in html
    assert client.post(url).status_code == 302
    assert Job.objects.count() == 1


def test_status_fragment_stops_polling_when_the_job_is_done(client, tenant, curator):
    status = _url("recommendations_status", tenant.mission)
    job = Job.objects.create(mission=tenant.mission, kind="matching", status="running")
    assert 'hx-trigger="every 2s"' in client.get(status).content.decode()
    assert "Recomputing the recommendations…" in client.get(status).content.decode()
    result = {"smes": 12, "stakeholders": 80, "created": 7, "updated": 3, "deleted": 1}
    Job.objects.filter(pk=job.pk).update(status="succeeded", result=result)
    html = client.get(status + "?polling=1").content.decode()
    assert "hx-trigger" not in html
    assert (
        "12 SMEs and 80 stakeholders compared: 7 new recommendations, 3 updated, 1 withdrawn."
        in html
    )
    assert "Reload the page to see them." in html


def test_status_of_a_job_that_lost_its_worker_stops_polling(client, tenant, curator):
    Job.objects.create(
        mission=tenant.mission,
        kind="matching",
        status="running",
        started_at=timezone.now() - dt.timedelta(hours=1),
    )
    html = client.get(_url("recommendations_status", tenant.mission)).content.decode()
    assert "hx-trigger" not in html
    assert "The recompute seems to have stopped" in html


def test_status_shows_the_error_of_a_failed_job(client, tenant, curator):
    Job.objects.create(
        mission=tenant.mission, kind="matching", status="failed", error="ValueError: no SMEs"
    )
    html = client.get(_url("recommendations", tenant.mission)).content.decode()
    assert "The last recompute failed" in html
    assert "ValueError: no SMEs" in html


def test_pages_tell_without_javascript_that_a_job_is_running(client, tenant, curator, sme):
    Job.objects.create(mission=tenant.mission, kind="matching", status="queued")
    html = client.get(_sme_url(sme)).content.decode()
    assert "<noscript>" in html
    assert "Refresh this page to see whether it has finished." in html


def test_htmx_action_on_a_row_excluded_meanwhile_reloads_the_page(client, tenant, curator, sme):
    match = _match(sme)
    Match.objects.filter(pk=match.pk).update(decision="excluded")
    data = {"action": "decide", "match": match.pk, "decision": "accepted"}
    response = _post(client, _sme_url(sme), data, **HTMX)
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    assert Match.objects.get(pk=match.pk).decision == "excluded"
    assert "This row has changed meanwhile" in client.get(_sme_url(sme)).content.decode()


def test_sme_page_filters_by_decision_and_keeps_the_filter_after_an_action(
    client, tenant, curator, sme
):
    pending = _match(sme, score=0.9)
    accepted = _match(sme, score=0.5, decision="accepted")
    _match(sme, score=0.4, decision="rejected")
    url = _sme_url(sme) + "?decision=pending"
    assert [m.pk for m in client.get(url).context["matches"]] == [pending.pk]
    only_accepted = client.get(_sme_url(sme) + "?decision=accepted").context["matches"]
    assert [m.pk for m in only_accepted] == [accepted.pk]
    assert len(client.get(_sme_url(sme) + "?decision=bogus").context["matches"]) == 3
    response = _post(client, url, {"action": "decide", "match": pending.pk, "decision": "rejected"})
    assert response["Location"] == url


def test_stakeholder_page_and_counts_leave_out_smes_no_longer_selected(client, tenant, curator):
    stakeholder = StakeholderFactory(mission=tenant.mission)
    kept = MatchFactory(stakeholder=stakeholder, participation__mission=tenant.mission)
    MatchFactory(
        stakeholder=stakeholder,
        participation__mission=tenant.mission,
        participation__status="withdrawn",
        decision="accepted",
    )
    page = client.get(_stakeholder_url(stakeholder))
    assert [m.pk for m in page.context["matches"]] == [kept.pk]
    (row,) = client.get(_url("recommendations_stakeholders", tenant.mission)).context["rows"]
    assert (row.n_suggested, row.n_accepted) == (1, 0)
