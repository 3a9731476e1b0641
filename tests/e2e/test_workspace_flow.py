"""Issue 5 end to end, in one browser session: an organiser sets up a mission, an SME applies
through the public form, the organiser selects it, imports stakeholders from an XLSX file,
and the advisor's list of explained recommendations is reviewed and one is accepted."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import MembershipFactory, ProjectPartnerFactory
from tests.participants.spreadsheets import HEADERS, write_xlsx
from trademission.core.models import Job
from trademission.meetings.jobs import recompute_matches_job
from trademission.meetings.models import Match

pytestmark = [pytest.mark.e2e]

STAKEHOLDERS = [
    list(HEADERS),
    [
        "Lumière Défense",
        "Prime contractor",
        "Montréal",
        "Recherche des caméras thermiques infrarouges et des optiques pour la surveillance.",
        45.50,
        -73.57,
        "achats@lumiere.example",
        "Anne Roy",
    ],
    [
        "Port Logistics Ottawa",
        "integrator",
        "Ottawa",
        "Needs warehouse software and forklift fleet management.",
        45.42,
        -75.70,
        "",
        "",
    ],
    [
        "Northern Health Agency",
        "Government agency",
        "Montreal",
        "Seeks suppliers of hospital beds and nursing uniforms.",
        45.51,
        -73.56,
        "",
        "",
    ],
]


@pytest.fixture
def organiser(transactional_db, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CONFIG = dataclasses.replace(settings.CONFIG, data_dir=tmp_path)
    partner = ProjectPartnerFactory(organisation__name="OPTITEC", project__name="EU KETs4DualUse")
    return MembershipFactory(organisation=partner.organisation, user__username="claire").user


def set_up_mission(page, start):
    page.get_by_role("link", name="New mission").click()
    page.get_by_label("Name").fill("Business mission to Canada")
    page.get_by_label("Destination country").fill("CA")
    page.get_by_label("Time zone").select_option("America/Toronto")
    page.get_by_label("First day").fill(start.isoformat())
    page.get_by_label("Last day").fill((start + dt.timedelta(days=4)).isoformat())
    page.get_by_role("button", name="Create the mission").click()
    page.get_by_role("link", name="Itinerary").click()
    page.get_by_label("City").fill("Montreal")
    page.get_by_label("From").fill(start.isoformat())
    page.get_by_label("Until").fill((start + dt.timedelta(days=4)).isoformat())
    page.get_by_role("button", name="Add").click()
    page.get_by_role("link", name="Call for SMEs").click()
    page.get_by_label("Call for SMEs open").check()
    page.get_by_label("Application deadline").fill((start - dt.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Save").click()
    return page.get_by_role("link", name="/p/apply/").get_attribute("href")


def apply_as_sme(browser, live_server, apply_path):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    sme = context.new_page()
    sme.goto(apply_path)
    sme.get_by_label("Company name").fill("ThermaVue Optique")
    sme.get_by_label("Country (ISO code, e.g. FR)").fill("FR")
    sme.get_by_label("Your cluster").select_option(label="OPTITEC")
    sme.get_by_label("Description").fill(
        "We design infrared lenses and thermal imaging cameras for border surveillance."
    )
    sme.get_by_label("Name of the contact person").fill("Sophie Marcadier")
    sme.get_by_label("E-mail of the contact person").fill("sophie@thermavue.example")
    sme.get_by_label("I agree that the organisers process").check()
    sme.get_by_role("button", name="Send the application").click()
    assert sme.get_by_role("heading", name="Application received").is_visible()
    context.close()


def import_stakeholders(page, path):
    page.get_by_role("link", name="Stakeholders", exact=True).click()
    page.get_by_role("link", name="Import from XLSX or CSV").click()
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Upload and map the columns").click()
    page.wait_for_url("**/import/mapping/")
    page.get_by_role("button", name="Check the rows").click()
    page.wait_for_url("**/import/preview/")
    assert page.locator("[data-count=rows]").inner_text() == "3"
    page.get_by_role("button", name="Import 3 stakeholders").click()
    assert "3 stakeholder(s) imported." in page.locator(".messages").inner_text()


def run_queued_matching():
    """The worker's part: run every queued matching job, as `db_worker` would."""
    for job in Job.objects.filter(kind="matching", status="queued"):
        recompute_matches_job.call(job_id=job.pk)
    assert set(Job.objects.filter(kind="matching").values_list("status", flat=True)) == {
        "succeeded"
    }


def test_set_up_apply_select_import_and_accept_a_recommendation(
    page, browser, live_server, organiser, tmp_path
):
    page.goto("/login/")
    page.get_by_label("Username").fill("claire")
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Log in").click()
    apply_path = set_up_mission(page, timezone.localdate() + dt.timedelta(days=60))
    mission_url = page.url.split("/setup/")[0]

    apply_as_sme(browser, live_server, apply_path)

    page.goto(mission_url + "/selection/")
    page.get_by_role("link", name="ThermaVue Optique").click()
    page.get_by_role("link", name="Decide and write to the applicant").click()
    page.get_by_label("Selected").check()
    page.get_by_role("button", name="Record the decision and send the e-mail").click()
    assert page.get_by_text("The decision has been recorded and sent by e-mail.").is_visible()

    import_stakeholders(page, write_xlsx(tmp_path / "stakeholders.xlsx", STAKEHOLDERS))
    run_queued_matching()  # selection and import changed the profiles: recompute

    page.get_by_role("link", name="Recommendations").first.click()
    page.get_by_role("link", name="ThermaVue Optique").click()
    page.wait_for_url("**/recommendations/smes/*/")
    ranked = page.locator("table.reco-matches tbody tr")
    ranked.first.wait_for()
    names = ranked.locator("td.who a").all_inner_texts()
    # The French-language need for thermal cameras comes first; hospital beds never before it.
    assert names[0] == "Lumière Défense"
    top = ranked.nth(0)
    top.get_by_text("Why?").click()
    why = top.locator(".why-body").inner_text()
    assert "Shared concepts" in why
    assert "thermal" in why.lower() or "thermique" in why.lower()
    top.get_by_role("button", name="Accept").click()
    page.wait_for_selector("table.reco-matches tbody tr:first-child.decision-accepted")

    accepted = Match.objects.get(decision="accepted")
    assert accepted.stakeholder.name == "Lumière Défense"
    assert accepted.participation.sme.name == "ThermaVue Optique"
