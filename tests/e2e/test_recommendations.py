"""The advisor curates the recommendations of one SME in a real browser (htmx on)."""

import pytest

from trademission.meetings.models import Match
from trademission.missions.demo.loader import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.e2e]

SME = "ThermaVue Optique"


def _explain(match):
    return {
        "score": match.score,
        "wish": True,
        "concepts": [
            {
                "concept": "imaging",
                "label": "Imaging",
                "direct": False,
                "contribution": 0.4,
                "sme_phrases": ["thermal imaging cores"],
                "stakeholder_phrases": [f"sensors for {match.stakeholder.name}"],
            }
        ],
        "shared_terms": ["surveillance"],
        "partner_type": {"fit": 1.0, "sme_seeks": ["end_user"], "stakeholder_types": ["end_user"]},
        "languages": ["en", "fr"],
    }


@pytest.fixture
def demo(transactional_db):
    load_demo()
    matches = Match.objects.filter(participation__sme__name=SME).select_related(
        "stakeholder__organisation"
    )
    for rank, match in enumerate(matches.order_by("stakeholder__organisation__name")):
        match.score = round(0.9 - rank * 0.1, 2)
        match.explanation = _explain(match)
        match.save()


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
    assert rows(page).count() == 5

    # Read why the first stakeholder is recommended.
    first = rows(page).nth(0)
    first.get_by_text("Why?").click()
    why = first.locator(".why-body")
    assert why.is_visible()
    assert "Imaging" in why.inner_text()
    assert "thermal imaging cores" in why.inner_text()

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

    # Bulk-reject the third and fourth rows.
    names = [rows(page).nth(i).locator("td.who a").inner_text() for i in (2, 3)]
    rows(page).nth(2).get_by_role("checkbox").check()
    rows(page).nth(3).get_by_role("checkbox").check()
    page.get_by_label("With the selected rows").select_option(label="Reject")
    page.get_by_role("button", name="Apply to the selected rows").click()
    assert page.get_by_text("2 rows changed.").is_visible()

    # Add a stakeholder by hand.
    page.get_by_label("Stakeholder", exact=True).select_option(label="Bombardier Defense")
    page.get_by_role("button", name="Add and accept").click()
    assert page.get_by_text("Added and accepted: Bombardier Defense.").is_visible()

    stored = {
        m.stakeholder.name: (m.decision, m.priority, m.source)
        for m in Match.objects.filter(participation__sme__name=SME).select_related(
            "stakeholder__organisation"
        )
    }
    assert stored[first_name][0] == "accepted"
    assert sorted(v[1] for v in stored.values()).count(1) == 1
    assert [stored[name][0] for name in names] == ["rejected", "rejected"]
    assert stored["Bombardier Defense"] == ("accepted", 2, "manual")
