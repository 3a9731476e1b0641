"""An organiser sets a mission up, an SME applies through the public form, the organiser
scores and selects it, and the applicant is told by e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import MembershipFactory, ProjectPartnerFactory
from trademission.participants.models import Participation

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def organiser(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    partner = ProjectPartnerFactory(organisation__name="OPTITEC", project__name="EU KETs4DualUse")
    return MembershipFactory(organisation=partner.organisation, user__username="claire").user


def test_organiser_sets_up_a_mission_and_selects_an_applicant(
    page, browser, live_server, organiser
):
    start = timezone.localdate() + dt.timedelta(days=60)
    deadline = start - dt.timedelta(days=20)

    page.goto("/login/")
    page.get_by_label("Username").fill("claire")
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Log in").click()

    # A new mission from the dashboard.
    page.get_by_role("link", name="New mission").click()
    page.get_by_label("Name").fill("Business mission to Canada")
    page.get_by_label("Destination country").fill("CA")
    page.get_by_label("Time zone").select_option("America/Toronto")
    page.get_by_label("First day").fill(start.isoformat())
    page.get_by_label("Last day").fill((start + dt.timedelta(days=4)).isoformat())
    page.get_by_role("button", name="Create the mission").click()
    assert page.get_by_role("heading", name="Business mission to Canada").is_visible()

    # Itinerary: a stop outside the mission is refused next to the field, then a good one.
    page.get_by_role("link", name="Itinerary").click()
    page.get_by_label("City").fill("Montreal")
    page.get_by_label("From").fill((start - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Until").fill((start + dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Add").click()
    assert "The stop must lie within the mission" in page.locator(".field.has-error").inner_text()
    page.get_by_label("From").fill(start.isoformat())
    page.get_by_role("button", name="Add").click()
    assert "Montreal" in page.locator("table.list").inner_text()

    # One selection criterion and an open call with a question of its own.
    page.get_by_role("link", name="Selection criteria").click()
    page.get_by_label("Key").fill("technology_fit")
    page.get_by_label("Label").fill("Technology fit")
    page.get_by_label("Weight").fill("3")
    page.get_by_role("button", name="Add").click()
    page.get_by_role("link", name="Call for SMEs").click()
    page.get_by_label("Call for SMEs open").check()
    page.get_by_label("Application deadline").fill(deadline.isoformat())
    page.locator("#id_q-0-key").fill("budget")
    page.locator("#id_q-0-label").fill("Who pays your travel?")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("The call settings have been saved.").is_visible()
    apply_path = page.get_by_role("link", name="/p/apply/").get_attribute("href")

    # The SME applies without an account.
    sme_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    sme = sme_context.new_page()
    sme.goto(apply_path)
    sme.get_by_label("Company name").fill("ThermaVue Optique")
    sme.get_by_label("Country (ISO code, e.g. FR)").fill("FR")
    sme.get_by_label("Website").fill("https://thermavue.example")
    sme.get_by_label("Your cluster").select_option(label="OPTITEC")
    sme.get_by_label("Description").fill("Infrared lenses for thermal cameras.")
    sme.get_by_label("Who pays your travel?").fill("Our own budget")
    sme.get_by_label("Name of the contact person").fill("Sophie Marcadier")
    sme.get_by_label("E-mail of the contact person").fill("sophie@thermavue.example")
    sme.get_by_label("Language for our messages").select_option("fr")
    sme.get_by_role("button", name="Send the application").click()
    assert "We need your consent" in sme.locator(".field.has-error").inner_text()
    sme.get_by_label("I agree that the organisers process").check()
    sme.get_by_role("button", name="Send the application").click()
    assert sme.get_by_role("heading", name="Application received").is_visible()
    sme_context.close()

    # The organiser scores and selects it; the applicant hears in French.
    page.get_by_role("link", name="Selection", exact=True).click()
    page.get_by_role("link", name="ThermaVue Optique").click()
    page.get_by_label("Technology fit").fill("4")
    page.get_by_role("button", name="Save the scores").click()
    assert page.locator("h2 .total").inner_text().startswith("12")
    page.get_by_role("link", name="Decide and write to the applicant").click()
    assert "Nous avons le plaisir" in page.get_by_label("Message to the applicant").input_value()
    page.get_by_label("Selected").check()
    page.get_by_role("button", name="Record the decision and send the e-mail").click()
    assert page.get_by_text("The decision has been recorded and sent by e-mail.").is_visible()

    participation = Participation.objects.select_related("decided_by").get()
    assert participation.status == "selected"
    assert participation.decided_by == organiser
    assert participation.decision_message.startswith("Nous avons le plaisir")
    assert participation.answers == {"budget": "Our own budget"}
    assert [m.to for m in mail.outbox] == [["sophie@thermavue.example"]]
