"""Invitations in a real browser: the organiser prepares and sends them, a stakeholder answers
through the link in the e-mail, the organiser's board shows the answer."""

import re

import pytest
from django.core import mail

from trademission.meetings.models import Match, MeetingRequest
from trademission.missions.demo.loader import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.e2e]

STAKEHOLDER = "Thales Canada"
SMES = ("ThermaVue Optique", "Lasertrace Photonics")
LINK = re.compile(r"https?://[^/\s]+(/\S*p/invitation/[\w-]+/\S*)")


@pytest.fixture
def demo(transactional_db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    load_demo()
    # The advisor accepted two recommendations for one stakeholder (curation has its own test).
    Match.objects.filter(
        stakeholder__organisation__name=STAKEHOLDER, participation__sme__name__in=SMES
    ).update(decision="accepted", explanation={"concepts": [{"label": "Thermal imaging"}]})


def log_in(page, username):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_invitation_is_sent_answered_through_the_link_and_shown_on_the_board(
    page, browser, live_server, demo
):
    log_in(page, "advisor")
    page.get_by_role("link", name="Business mission to Canada").click()
    page.get_by_role("link", name="Invitations").first.click()
    page.get_by_role("button", name="Prepare requests from accepted recommendations").click()
    assert page.get_by_text(
        "2 meeting requests prepared from the accepted recommendations."
    ).is_visible()

    page.get_by_role("link", name="Send invitations (2 drafts)…").click()
    assert page.get_by_role("heading", name="Send invitations").is_visible()
    assert page.get_by_role("row", name=re.compile(STAKEHOLDER)).is_visible()
    page.get_by_role("button", name="Send the invitations").click()
    assert page.get_by_text("Invitations sent to 1 stakeholder (1 e-mails).").is_visible()

    # The stakeholder opens the link from the e-mail, in a browser of their own.
    assert [m.to for m in mail.outbox] == [["nathalie.girard@example.ca"]]
    path = LINK.search(mail.outbox[0].body).group(1)
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    stakeholder = context.new_page()
    stakeholder.set_default_timeout(15_000)
    stakeholder.goto(path)
    assert stakeholder.get_by_role(
        "heading", name=f"Meeting requests for {STAKEHOLDER}"
    ).is_visible()
    thermavue = stakeholder.locator("section.answer-request", has_text="ThermaVue Optique")
    assert "Thermal imaging" in thermavue.inner_text()
    thermavue.get_by_label("Yes, we would like to meet").check()
    thermavue.get_by_label("At the trade show").check()
    thermavue.get_by_label(re.compile(r"Wednesday 31 May · morning")).check()
    thermavue.get_by_label("Other times, who will attend").fill("Booth 1204, ask for Nathalie.")
    lasertrace = stakeholder.locator("section.answer-request", has_text="Lasertrace Photonics")
    lasertrace.get_by_label("No, thank you").check()
    stakeholder.get_by_role("button", name="Save my answers").click()
    assert stakeholder.get_by_text("Thank you: your answers are saved.").is_visible()
    assert thermavue.get_by_text("You accepted").is_visible()
    context.close()

    answered = {
        r.participations.get().sme.name: (r.status, r.meeting_place, len(r.availability))
        for r in MeetingRequest.objects.filter(stakeholder__organisation__name=STAKEHOLDER)
    }
    assert answered == {
        "ThermaVue Optique": ("accepted", "trade_show", 1),
        "Lasertrace Photonics": ("declined", "", 0),
    }

    # The organiser's board shows who answered what.
    page.reload()
    page.get_by_role("link", name="Accepted (1)").click()
    row = page.locator("tr.inv-request", has_text="ThermaVue Optique")
    assert row.get_by_text("Accepted").is_visible()
    assert row.get_by_text("At the trade show").is_visible()
    assert row.get_by_text("Wed 31 May 08:30–12:00").is_visible()
    assert page.locator("tr.inv-request", has_text="Lasertrace Photonics").count() == 0
