import pytest

from trademission.missions.demo.loader import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def demo(transactional_db):
    load_demo()


def log_in(page, username):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_coordinator_sees_the_canada_mission_in_english_and_french(page, demo):
    log_in(page, "coordinator")
    page.get_by_role("link", name="Business mission to Canada").click()
    assert page.get_by_role("heading", name="Itinerary").is_visible()
    itinerary = page.locator("ol.itinerary").inner_text()
    assert itinerary.index("Montreal") < itinerary.index("Ottawa")
    assert page.locator("[data-count=selected]").inner_text() == "12"
    assert "CANSEC" in page.locator("#main").inner_text()

    page.select_option("#lang-select", "fr")
    page.wait_for_url("**/fr/missions/canada-2023/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Itinéraire").is_visible()
    assert page.get_by_role("heading", name="PME participantes").is_visible()


def test_wrong_password_is_refused_with_a_message(page, demo):
    page.goto("/login/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").is_visible()
    assert page.url.endswith("/login/")
