"""The advisor curates the recommendations of one SME in a real browser (htmx on)."""

import pytest
from django.test import override_settings

from trademission.core.models import Job
from trademission.meetings.jobs import recompute_matches_job
from trademission.meetings.models import Match
from trademission.missions.demo.loader import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.e2e]

SME = "ThermaVue Optique"


@pytest.fixture
def demo(transactional_db):
    """The demo, whose loading queued a recompute (profiles changed); the worker's part is
    done here by running the task body."""
    load_demo()
    job = Job.objects.get(mission__slug="canada-2023", kind="matching", status="queued")
    recompute_matches_job.call(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error


def log_in(page, username):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def rows(page):
    return page.locator("table.reco-matches tbody tr")


def test_advisor_curates_the_recommendations_of_an_sme(page, demo):
    log_in(page, "advisor")
    page.get_by_role("link", name="Business mission to Canada").click()
    page.get_by_role("link", name="Recommendations").first.click()
    page.get_by_role("link", name=SME).click()
    assert page.get_by_role("heading", name=f"Stakeholders for {SME}").is_visible()
    assert page.get_by_text("Recommendations last computed on").is_visible()
    listed = Match.objects.filter(participation__sme__name=SME).exclude(decision="excluded")
    shown = min(listed.count(), 50)  # a page of the ranked list
    assert shown >= 20
    assert rows(page).count() == shown

    # Read why the first stakeholder is recommended.
    first = rows(page).nth(0)
    first.get_by_text("Why?").click()
    why = first.locator(".why-body")
    assert why.is_visible()
    assert "Shared concepts" in why.inner_text()
    assert "Partner type:" in why.inner_text()

    # Accept it: the row is redrawn in place (htmx), the page is not reloaded.
    page.evaluate("window.notReloaded = true")
    first.get_by_role("button", name="Accept").click()
    page.wait_for_selector("table.reco-matches tbody tr:first-child.decision-accepted")
    assert page.evaluate("window.notReloaded") is True
    first_name = rows(page).nth(0).locator("td.who a").inner_text()

    # Set a priority on the second row, again in place.
    second = rows(page).nth(1)
    second.get_by_label("Priority for").select_option(label="High")
    second.get_by_role("button", name="Set").click()
    page.wait_for_function(
        "document.querySelector('table.reco-matches tbody tr:nth-child(2) select').value === '1'"
    )
    assert page.evaluate("window.notReloaded") is True

    # "Select all" ticks every row of the page, and unticks them.
    page.get_by_label("Select all rows of this page").check()
    assert page.locator("input[name=matches]:checked").count() == shown
    page.get_by_label("Select all rows of this page").uncheck()
    assert page.locator("input[name=matches]:checked").count() == 0

    # Bulk-reject the third and fourth rows.
    names = [rows(page).nth(i).locator("td.who a").inner_text() for i in (2, 3)]
    rows(page).nth(2).get_by_role("checkbox").check()
    rows(page).nth(3).get_by_role("checkbox").check()
    page.get_by_label("With the selected rows").select_option(label="Reject")
    page.get_by_role("button", name="Apply to the selected rows").click()
    assert page.get_by_text("2 rows changed.").is_visible()

    # Add by hand one of the stakeholders the recommender did not propose.
    choice = page.get_by_label("Stakeholder", exact=True)
    added = choice.locator("option").nth(1).inner_text()
    choice.select_option(label=added)
    page.get_by_role("button", name="Add and accept").click()
    assert page.get_by_text(f"Added and accepted: {added}.").is_visible()

    stored = {
        m.stakeholder.name: (m.decision, m.priority, m.source)
        for m in Match.objects.filter(participation__sme__name=SME).select_related(
            "stakeholder__organisation"
        )
    }
    assert stored[first_name][0] == "accepted"
    assert sorted(v[1] for v in stored.values()).count(1) == 1
    assert [stored[name][0] for name in names] == ["rejected", "rejected"]
    assert stored[added] == ("accepted", 2, "manual")


def test_recompute_now_shows_the_job_until_it_is_done(page, demo):
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    log_in(page, "advisor")
    page.goto("/missions/canada-2023/recommendations/")
    status = page.locator("#matching-job")
    assert status.get_attribute("data-job-status") == "succeeded"
    # A job someone else started is still queued: the page polls its state every 2 s.
    mission = Job.objects.get(kind="matching").mission
    queued = Job.objects.create(mission=mission, kind="matching")
    page.reload()
    assert "waiting for the worker" in status.inner_text()
    assert status.get_attribute("hx-trigger") == "every 2s"
    # The worker finishes it; the next poll shows the result and polling stops.
    recompute_matches_job.call(job_id=queued.pk)
    page.wait_for_selector("#matching-job[data-job-status=succeeded]")
    assert status.get_attribute("hx-trigger") is None
    assert "12 SMEs and 80 stakeholders compared" in status.inner_text()
    assert page.get_by_role("link", name="Reload the page to see them.").is_visible()
    # "Recompute now" with a worker that runs at once (immediate backend).
    with override_settings(TASKS=immediate):
        with page.expect_response(lambda r: r.request.method == "POST"):
            page.get_by_role("button", name="Recompute now").click()
        page.wait_for_selector("#matching-job[data-job-status=succeeded]")
    statuses = list(Job.objects.filter(kind="matching").values_list("status", flat=True))
    assert statuses == ["succeeded"] * 3
    assert page.get_by_role("link", name="Reload the page to see them.").is_visible()
