"""With more stakeholders than a select shows, the SME pages pick one by a search (htmx on)."""

import pytest
from django.urls import reverse

from tests.factories import StakeholderFactory
from trademission.control.forms.fields import SELECT_LIMIT
from trademission.meetings.models import Match
from trademission.missions.demo.loader import DEMO_PASSWORD, load_demo
from trademission.missions.models import Mission

pytestmark = [pytest.mark.e2e]

SME = "ThermaVue Optique"


def test_advisor_finds_a_stakeholder_among_many_by_typing(page, transactional_db):
    load_demo()
    mission = Mission.objects.get(slug="canada-2023")
    for i in range(SELECT_LIMIT + 1):
        StakeholderFactory(mission=mission, organisation__name=f"Partner {i:03d}")
    participation = mission.participations.get(sme__name=SME)
    page.goto("/login/")
    page.get_by_label("Username").fill("advisor")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # A wish, picked among the search results.
    page.goto(
        reverse("control:profiling_sme", kwargs={"mission": mission.slug, "pk": participation.pk})
    )
    wish = page.locator("form", has=page.get_by_role("button", name="Add the wish"))
    wish.get_by_label("Stakeholder").fill("partner 15")
    wish.get_by_label("Partner 150 (Montreal)").check()
    assert wish.get_by_role("radio").count() == 10  # Partner 150 to Partner 159
    wish.get_by_role("button", name="Add the wish").click()
    assert page.get_by_text("The wish has been recorded.").is_visible()
    assert Match.objects.get(
        participation=participation, source="wish", stakeholder__organisation__name="Partner 150"
    )

    # Added by hand on the recommendations page, by its exact name, without picking.
    page.goto(
        reverse(
            "control:recommendations_sme",
            kwargs={"mission": mission.slug, "participation": participation.pk},
        )
    )
    add = page.locator("form", has=page.get_by_role("button", name="Add and accept"))
    add.get_by_label("Stakeholder", exact=True).fill("Partner 042")
    add.get_by_role("button", name="Add and accept").click()
    assert page.get_by_text("Added and accepted: Partner 042.").is_visible()
