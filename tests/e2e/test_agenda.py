"""An SME delegate logs in and reads their agenda of a published plan in a real browser."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import (
    TORONTO,
    MatchFactory,
    MeetingFactory,
    MissionFactory,
    MissionMemberFactory,
    ParticipationFactory,
    ProgrammeItemFactory,
    StakeholderFactory,
    StopFactory,
    UserFactory,
    VenueFactory,
)
from trademission.meetings.models import MissionPlan

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def published(transactional_db):
    mission = MissionFactory(name="Business mission to Canada", slug="canada")
    StopFactory(mission=mission, city="Montreal")
    VenueFactory(mission=mission, name="Sheraton", kind="hotel", latitude=45.50, longitude=-73.57)
    thermavue = ParticipationFactory(mission=mission, sme__name="ThermaVue")
    other = ParticipationFactory(mission=mission, sme__name="Alpha Optics")
    cae = StakeholderFactory(
        mission=mission,
        organisation__name="CAE",
        address="8585 Chemin de la Côte-de-Liesse",
        city="Saint-Laurent",
        latitude=45.55,
        longitude=-73.57,
    )
    port = StakeholderFactory(mission=mission, organisation__name="Port of Montreal")
    MatchFactory(
        participation=thermavue,
        stakeholder=cae,
        explanation={"concepts": [{"label": "Thermal imaging", "direct": True}]},
    )
    start = dt.datetime(2023, 5, 29, 14, 0, tzinfo=TORONTO)
    meeting = MeetingFactory(
        mission=mission, host=cae, start=start, end=start + dt.timedelta(minutes=45)
    )
    meeting.participations.add(thermavue)
    theirs = MeetingFactory(
        mission=mission,
        host=port,
        start=start + dt.timedelta(hours=2),
        end=start + dt.timedelta(hours=3),
    )
    theirs.participations.add(other)
    ProgrammeItemFactory(mission=mission, title="Joint briefing with EU-ALLIANCE")
    MissionPlan.objects.create(mission=mission, status="preliminary", published_at=timezone.now())
    user = UserFactory(username="lucas")
    MissionMemberFactory(mission=mission, user=user, role="sme_delegate", participation=thermavue)
    return mission


def test_delegate_logs_in_and_reads_their_agenda(page, published):
    page.goto("/login/")
    page.get_by_label("Username").fill("lucas")
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Agenda of ThermaVue — Business mission to Canada").click()
    assert page.get_by_role("heading", name="Agenda of ThermaVue").is_visible()
    assert page.get_by_text("Times in America/Toronto (EDT)").is_visible()
    assert page.get_by_text("preliminary", exact=True).is_visible()

    day = page.locator("section.agenda-day", has_text="Monday 29 May 2023")
    assert "Montreal" in day.locator("h3").inner_text()
    entries = day.locator("li.agenda-entry")
    assert entries.count() == 2
    assert "Joint briefing with EU-ALLIANCE" in entries.nth(0).inner_text()
    cae = entries.nth(1).inner_text()
    assert "14:00–14:45" in cae
    assert "CAE" in cae
    assert "Leave at 13:38 from Sheraton" in cae
    assert "Thermal imaging" in cae
    map_link = entries.nth(1).get_by_role("link", name="map of CAE on OpenStreetMap")
    assert map_link.get_attribute("href").startswith("https://www.openstreetmap.org/?mlat=45.55")
    assert "Alpha Optics" not in page.content()
    assert "Port of Montreal" not in page.content()

    # Readable on a phone: the entries stack, nothing overflows sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
