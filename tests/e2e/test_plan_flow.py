"""The whole way to an agenda in a real browser: invitations go out, a stakeholder accepts
through the token link, the organiser builds the plan, moves one meeting and publishes, and
the SME delegate sees the meeting in their agenda."""

import re

import pytest
from django.core import mail

from trademission.meetings.models import Match, Meeting, MissionPlan
from trademission.missions.demo.loader import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.e2e]

STAKEHOLDER = "DRDC Centre for Security Science"
SME = "Alpilles Détection"  # the demo delegate's SME
LINK = re.compile(r"https?://[^/\s]+(/\S*p/invitation/[\w-]+/\S*)")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def demo(transactional_db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    load_demo()
    settings.TASKS = IMMEDIATE  # the planning job runs in the request instead of a worker
    # The advisor accepted one recommendation (curation has its own tests).
    Match.objects.filter(
        stakeholder__organisation__name=STAKEHOLDER, participation__sme__name=SME
    ).update(decision="accepted")


def log_in(page, username):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_invite_accept_plan_move_publish_and_read_the_agenda(page, browser, live_server, demo):
    # 1. The organiser sends the invitation.
    log_in(page, "coordinator")
    page.get_by_role("link", name="Business mission to Canada").click()
    page.get_by_role("link", name="Invitations").first.click()
    page.get_by_role("button", name="Prepare requests from accepted recommendations").click()
    page.get_by_role("link", name="Send invitations (1 draft)…").click()
    page.get_by_role("button", name="Send the invitations").click()
    assert page.get_by_text("Invitations sent to 1 stakeholder (1 e-mails).").is_visible()

    # 2. The stakeholder accepts through the link in the e-mail, in a browser of their own.
    assert [m.to for m in mail.outbox] == [["natasha.brooks@example.ca"]]
    path = LINK.search(mail.outbox[0].body).group(1)
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    stakeholder = context.new_page()
    stakeholder.set_default_timeout(15_000)
    stakeholder.goto(path)
    answer = stakeholder.locator("section.answer-request", has_text=SME)
    answer.get_by_label("Yes, we would like to meet").check()
    answer.get_by_label("At our premises").check()
    answer.get_by_label(re.compile(r"Wednesday 31 May · afternoon")).check()
    stakeholder.get_by_role("button", name="Save my answers").click()
    assert stakeholder.get_by_text("Thank you: your answers are saved.").is_visible()
    context.close()

    # 3. The organiser builds the plan.
    page.get_by_role("link", name="Build the plan").first.click()
    assert page.get_by_text("1 accepted meeting request").is_visible()
    page.get_by_label("Time limit").select_option("10")
    page.get_by_role("button", name="Build the plan").click()
    assert page.get_by_role("heading", name=re.compile("Result of the last build")).is_visible()
    assert page.locator('[data-result="placed"]').inner_text() == "1 / 1"
    meeting = Meeting.objects.get(host__organisation__name=STAKEHOLDER)
    planned_at = meeting.start.astimezone(meeting.mission.tz)
    assert (planned_at.date().isoformat(), planned_at.hour >= 13) == ("2023-05-31", True)

    # 4. ... moves the meeting on the board: a clash is refused in words, a free time is saved.
    page.get_by_role("link", name="Plan board", exact=True).click()
    page.get_by_role("link", name=re.compile("Wed 31 May — Ottawa")).click()
    page.locator(f'[data-meeting="{meeting.pk}"] a').click()
    assert page.get_by_role("heading", name=f"Meeting with {STAKEHOLDER}").is_visible()
    page.get_by_label("Start time").select_option("09:00")
    page.get_by_role("button", name="Move").click()
    assert page.get_by_text("This move is not possible:").is_visible()
    assert page.get_by_text(f"{STAKEHOLDER} is not available then.").is_visible()
    new_time = "16:00" if planned_at.strftime("%H:%M") != "16:00" else "15:00"
    page.get_by_label("Start time").select_option(new_time)
    page.get_by_role("button", name="Move").click()
    assert page.get_by_text("The meeting is moved.").is_visible()
    block = page.locator(f'[data-meeting="{meeting.pk}"]')
    assert block.locator(".t").inner_text() == new_time

    # 5. ... and publishes it.
    page.get_by_role("link", name="Publish…").click()
    page.get_by_label("Preliminary (may still change)").check()
    page.get_by_role("button", name="Publish").click()
    assert page.get_by_text("The plan is published (Published as preliminary).").is_visible()
    assert MissionPlan.objects.get(mission=meeting.mission).status == "preliminary"
    page.get_by_role("button", name="Log out").click()

    # 6. The SME delegate sees the meeting in their agenda.
    log_in(page, "delegate")
    page.get_by_role("link", name=f"Agenda of {SME} — Business mission to Canada").click()
    assert page.get_by_role("heading", name=f"Agenda of {SME}").is_visible()
    day = page.locator("section.agenda-day", has_text="Wednesday 31 May 2023")
    entry = day.locator("li.agenda-entry", has_text=STAKEHOLDER)
    assert entry.count() == 1
    assert new_time in entry.inner_text()
