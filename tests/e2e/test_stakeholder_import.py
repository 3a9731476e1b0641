"""Browser test: an XLSX file imported through the steps, then the new stakeholders listed."""

from __future__ import annotations

import dataclasses
import os

import pytest

from tests.factories import (
    MembershipFactory,
    MissionFactory,
    ProjectPartnerFactory,
    StakeholderFactory,
)
from tests.participants.spreadsheets import good_rows, write_xlsx

pytestmark = [pytest.mark.e2e]
SHOTS = os.environ.get("TRADEMISSION_SCREENSHOTS", "")


@pytest.fixture
def coordinator(transactional_db, settings, tmp_path):
    settings.CONFIG = dataclasses.replace(settings.CONFIG, data_dir=tmp_path)
    partner = ProjectPartnerFactory()
    mission = MissionFactory(project=partner.project, slug="canada-test")
    StakeholderFactory(mission=mission, organisation__name="Kinaxis", city="Ottawa")
    user = MembershipFactory(organisation=partner.organisation).user
    return user, mission


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_import_xlsx_with_mapping_and_preview(page, coordinator, tmp_path):
    user, mission = coordinator
    rows = good_rows()
    rows[0][3] = "Our notes"  # a header nobody can guess: mapped by hand
    path = write_xlsx(tmp_path / "delegation-contacts.xlsx", rows)

    page.goto("/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/missions/{mission.slug}/stakeholders/")
    page.get_by_role("link", name="Import from XLSX or CSV").click()
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Upload and map the columns").click()

    page.wait_for_url("**/import/mapping/")
    assert page.get_by_label("Ville").input_value() == "city"
    assert page.get_by_label("Courriel").input_value() == "contact_email"
    assert page.get_by_label("Our notes").input_value() == ""
    page.get_by_label("Our notes").select_option("needs")
    shot(page, "import-mapping")
    page.get_by_role("button", name="Check the rows").click()

    page.wait_for_url("**/import/preview/")
    assert page.locator("[data-count=rows]").inner_text() == "3"
    assert page.locator("[data-count=duplicates]").inner_text() == "1"
    assert "already in the directory as Kinaxis" in page.locator("tr[data-row='4']").inner_text()
    shot(page, "import-preview")
    page.get_by_label("Skip the duplicate rows and import the others").check()
    page.get_by_role("button", name="Import 2 stakeholders").click()

    page.wait_for_url(f"**/missions/{mission.slug}/stakeholders/")
    assert (
        "2 stakeholder(s) imported. 1 duplicate row(s) skipped: 4."
        in page.locator(".messages").inner_text()
    )
    names = page.locator("table.sh-list tbody tr td:first-child a").all_inner_texts()
    assert names == ["Kinaxis", "Thales Canada", "Université Laval"]
    shot(page, "import-done")
    page.get_by_role("link", name="Thales Canada").click()
    assert page.get_by_text("Capteurs infrarouges").is_visible()
