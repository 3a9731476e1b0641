"""Invitations domain: requests from accepted matches, mail per contact, tokens, reminders,
expiry and the stakeholder's answers."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.management import call_command

from tests.factories import (
    TORONTO,
    ContactFactory,
    MatchFactory,
    MembershipFactory,
    MissionFactory,
    MissionMemberFactory,
    ParticipationFactory,
    ProjectPartnerFactory,
    StakeholderFactory,
    StopFactory,
    UserFactory,
    VenueFactory,
)
from trademission.meetings.domain import invitations as inv
from trademission.meetings.domain.queries import invitations as queries
from trademission.meetings.invitation_tasks import send_due_reminders
from trademission.meetings.models import MeetingRequest, MissionPlan, Notification
from trademission.participants.models import StakeholderToken

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2023, 5, 1, 9, 0, tzinfo=dt.UTC)
LINK = re.compile(r"https?://\S+/p/invitation/([\w-]+)/")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_mission(**kwargs):
    mission = MissionFactory(lunch_start=dt.time(12, 0), lunch_end=dt.time(13, 0), **kwargs)
    StopFactory(
        mission=mission, city="Montreal", start=dt.date(2023, 5, 29), end=dt.date(2023, 5, 30)
    )
    StopFactory(mission=mission, city="Ottawa", start=dt.date(2023, 5, 31), end=dt.date(2023, 6, 1))
    StopFactory(
        mission=mission, city="Montreal", start=dt.date(2023, 6, 2), end=dt.date(2023, 6, 2)
    )
    return mission


def accepted_match(mission, stakeholder=None, **kwargs):
    stakeholder = stakeholder or StakeholderFactory(mission=mission)
    return MatchFactory(
        participation=ParticipationFactory(mission=mission),
        stakeholder=stakeholder,
        decision="accepted",
        **kwargs,
    )


def sent_request(mission, *, contacts=("en",), now=NOW, stakeholder=None):
    """A stakeholder with contacts and one sent request; returns (request, raw secret)."""
    stakeholder = stakeholder or StakeholderFactory(mission=mission)
    for language in contacts:
        ContactFactory(stakeholder=stakeholder, language=language)
    match = accepted_match(mission, stakeholder)
    inv.prepare_requests(mission)
    before = len(mail.outbox)
    inv.send_invitations(mission, user=UserFactory(), now=now)
    raw = LINK.search(mail.outbox[before].body).group(1)
    return MeetingRequest.objects.get(match=match), raw


# ----------------------------------------------------------------------------- prepare


def test_prepare_requests_makes_one_draft_per_accepted_match_without_a_request():
    mission = make_mission(default_meeting_minutes=30)
    high = accepted_match(mission, priority=1)
    normal = accepted_match(mission)
    MatchFactory(participation=ParticipationFactory(mission=mission), decision="pending")
    MatchFactory(participation=ParticipationFactory(mission=mission), decision="rejected")
    MatchFactory(
        participation=ParticipationFactory(mission=mission, status="waiting_list"),
        decision="accepted",
    )

    assert inv.prepare_requests(mission) == 2
    assert inv.prepare_requests(mission) == 0

    requests = {r.match_id: r for r in MeetingRequest.objects.filter(mission=mission)}
    assert set(requests) == {high.pk, normal.pk}
    first = requests[high.pk]
    assert (first.status, first.duration_minutes, first.must_have) == ("draft", 30, True)
    assert first.stakeholder == high.stakeholder
    assert list(first.participations.all()) == [high.participation]
    assert requests[normal.pk].must_have is False


# ----------------------------------------------------------------------------- send


def test_send_invitations_mails_every_contact_in_their_language_with_a_token_link():
    mission = make_mission()
    stakeholder = StakeholderFactory(mission=mission)
    english = ContactFactory(stakeholder=stakeholder, language="en")
    french = ContactFactory(stakeholder=stakeholder, language="fr")
    match = accepted_match(mission, stakeholder)
    inv.prepare_requests(mission)
    user = UserFactory(email="organiser@example.eu")

    report = inv.send_invitations(mission, user=user, now=NOW)

    assert (report.stakeholders, report.mails, report.requests, report.no_email) == (
        [stakeholder],
        2,
        1,
        [],
    )
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {english.email, french.email}
    en, fr = by_recipient[english.email], by_recipient[french.email]
    assert en.subject == f"Meeting requests from the European delegation: {mission.name}"
    assert fr.subject == f"Demandes de rendez-vous de la délégation européenne : {mission.name}"
    assert match.participation.sme.name in en.body and match.participation.sme.name in fr.body
    assert "http://127.0.0.1:8000/p/invitation/" in en.body and "?lang=en" in en.body
    assert "http://127.0.0.1:8000/fr/p/invitation/" in fr.body
    assert "lundi 29 mai, mardi 30 mai, vendredi 2 juin 2023" in fr.body
    assert "until 15 May 2023, 05:00 (America/Toronto)" in en.body
    assert "jusqu'au 15 mai 2023, 05:00 (America/Toronto)" in fr.body
    assert en.reply_to == ["organiser@example.eu"]
    # Both mails carry the same link; only its hash is stored.
    raw = LINK.search(en.body).group(1)
    assert LINK.search(fr.body).group(1) == raw
    token = StakeholderToken.objects.get(stakeholder=stakeholder)
    assert raw not in token.token_hash
    assert StakeholderToken.objects.find(raw) == token
    assert token.expires_at == NOW + dt.timedelta(days=14)

    request = MeetingRequest.objects.get(match=match)
    assert (request.status, request.sent_at, request.expires_at) == (
        "sent",
        NOW,
        NOW + dt.timedelta(days=14),
    )
    assert MissionPlan.objects.filter(mission=mission).count() == 1
    assert sorted(Notification.objects.values_list("recipient", "language")) == sorted(
        [(english.email, "en"), (french.email, "fr")]
    )


def test_send_invitations_follows_the_plans_validity():
    mission = make_mission()
    MissionPlan.objects.create(mission=mission, invitation_valid_days=3)
    request, raw = sent_request(mission)
    assert request.expires_at == NOW + dt.timedelta(days=3)
    assert StakeholderToken.objects.find(raw).expires_at == NOW + dt.timedelta(days=3)


def test_send_invitations_skips_stakeholders_without_an_email_and_says_which():
    mission = make_mission()
    silent = StakeholderFactory(mission=mission)
    ContactFactory(stakeholder=silent, email="")
    match = accepted_match(mission, silent)
    inv.prepare_requests(mission)

    report = inv.send_invitations(mission, user=UserFactory(), now=NOW)

    assert (report.stakeholders, report.no_email, report.mails) == ([], [silent], 0)
    assert mail.outbox == []
    assert MeetingRequest.objects.get(match=match).status == "draft"
    assert not StakeholderToken.objects.exists()


def test_send_invitations_sends_only_the_given_drafts_once():
    mission = make_mission()
    first, second = (StakeholderFactory(mission=mission) for _ in range(2))
    for stakeholder in (first, second):
        ContactFactory(stakeholder=stakeholder)
    chosen = accepted_match(mission, first)
    accepted_match(mission, second)
    inv.prepare_requests(mission)

    report = inv.send_invitations(
        mission, requests=MeetingRequest.objects.filter(match=chosen), user=UserFactory()
    )
    again = inv.send_invitations(
        mission, requests=MeetingRequest.objects.filter(match=chosen), user=UserFactory()
    )

    assert report.stakeholders == [first] and again.stakeholders == []
    assert len(mail.outbox) == 1
    assert sorted(MeetingRequest.objects.values_list("status", flat=True)) == ["draft", "sent"]


# ----------------------------------------------------------------------------- reminders


def test_send_reminders_after_the_set_number_of_days_and_not_again_before_the_next():
    mission = make_mission()
    request, raw = sent_request(mission)
    mail.outbox.clear()

    assert inv.send_reminders(mission, now=NOW + dt.timedelta(days=4)).mails == 0
    report = inv.send_reminders(mission, now=NOW + dt.timedelta(days=5))
    assert (report.mails, report.requests) == (1, 1)
    request.refresh_from_db()
    assert request.reminded_at == NOW + dt.timedelta(days=5)
    message = mail.outbox[0]
    assert message.subject.startswith("Reminder: meeting requests")
    # The reminder's link works too, and expires with the requests.
    reminder_raw = LINK.search(message.body).group(1)
    assert StakeholderToken.objects.find(reminder_raw).expires_at == request.expires_at
    assert StakeholderToken.objects.find(raw).revoked is False  # the first link still works

    assert inv.send_reminders(mission, now=NOW + dt.timedelta(days=9)).mails == 0
    assert inv.send_reminders(mission, now=NOW + dt.timedelta(days=10)).mails == 1


def test_send_reminders_skips_answered_and_expired_requests():
    mission = make_mission()
    answered, _raw = sent_request(mission)
    inv.answer_request(answered, accept=False, now=NOW + dt.timedelta(days=1))
    MissionPlan.objects.filter(mission=mission).update(invitation_valid_days=3)
    late, _raw = sent_request(mission, now=NOW)
    mail.outbox.clear()

    assert inv.send_reminders(mission, now=NOW + dt.timedelta(days=6)).mails == 0
    assert MeetingRequest.objects.get(pk=late.pk).reminded_at is None


def test_expire_requests_marks_unanswered_requests_past_their_expiry():
    mission = make_mission()
    unanswered, _raw = sent_request(mission)
    answered, _raw = sent_request(mission)
    inv.answer_request(answered, accept=False, now=NOW + dt.timedelta(days=1))

    assert inv.expire_requests(mission, now=NOW + dt.timedelta(days=13)) == 0
    assert inv.expire_requests(mission, now=NOW + dt.timedelta(days=14)) == 1
    statuses = dict(MeetingRequest.objects.values_list("pk", "status"))
    assert statuses == {unanswered.pk: "expired", answered.pk: "declined"}


def test_periodic_task_and_command_expire_and_remind_every_mission(settings):
    first, second = make_mission(), make_mission()
    old, _raw = sent_request(first, now=dt.datetime.now(dt.UTC) - dt.timedelta(days=6))
    overdue, _raw = sent_request(second, now=dt.datetime.now(dt.UTC) - dt.timedelta(days=20))
    mail.outbox.clear()

    assert send_due_reminders.call() == {"missions": 2, "expired": 1, "reminded": 1, "mails": 1}
    assert MeetingRequest.objects.get(pk=overdue.pk).status == "expired"
    assert MeetingRequest.objects.get(pk=old.pk).reminded_at is not None

    from io import StringIO

    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().strip() == (
        "1 mission(s) checked, 0 request(s) expired, 0 request(s) reminded in 0 e-mail(s)."
    )


# ----------------------------------------------------------------------------- links


def test_resend_link_mails_a_new_link_and_reopens_expired_requests():
    mission = make_mission()
    request, raw = sent_request(mission)
    inv.expire_requests(mission, now=NOW + dt.timedelta(days=15))
    mail.outbox.clear()
    later = NOW + dt.timedelta(days=20)

    report = inv.resend_link(request.stakeholder, user=UserFactory(), now=later)

    assert report.mails == 1
    new_raw = LINK.search(mail.outbox[0].body).group(1)
    assert new_raw != raw
    assert StakeholderToken.objects.find(new_raw).expires_at == later + dt.timedelta(days=14)
    request.refresh_from_db()
    assert (request.status, request.expires_at) == ("sent", later + dt.timedelta(days=14))


def test_resend_link_refuses_a_stakeholder_without_sent_requests():
    mission = make_mission()
    stakeholder = StakeholderFactory(mission=mission)
    with pytest.raises(inv.InvitationError):
        inv.resend_link(stakeholder, user=UserFactory())


def test_revoke_links_makes_every_valid_link_of_the_stakeholder_unusable():
    mission = make_mission()
    request, raw = sent_request(mission, now=dt.datetime.now(dt.UTC))
    assert inv.revoke_links(request.stakeholder) == 1
    token = StakeholderToken.objects.find(raw)
    assert (token.revoked, token.is_valid) == (True, False)
    assert MeetingRequest.objects.get(pk=request.pk).status == "sent"


# ----------------------------------------------------------------------------- answers


def span(day, start, end):
    return {
        "start": dt.datetime.combine(day, start, tzinfo=TORONTO).isoformat(),
        "end": dt.datetime.combine(day, end, tzinfo=TORONTO).isoformat(),
    }


def test_answer_request_records_acceptance_place_and_availability_in_the_mission_time_zone():
    mission = make_mission()
    request, _raw = sent_request(mission)
    utc_start = dt.datetime(2023, 5, 29, 13, 0, tzinfo=dt.UTC)  # 09:00 in Toronto
    answered_at = NOW + dt.timedelta(days=1)

    inv.answer_request(
        request,
        accept=True,
        place="premises",
        availability=[
            span(dt.date(2023, 5, 30), dt.time(13, 0), dt.time(17, 0)),
            {
                "start": utc_start.isoformat(),
                "end": (utc_start + dt.timedelta(hours=3)).isoformat(),
            },
        ],
        note="  Ask for Marie at the front desk. ",
        now=answered_at,
    )

    request.refresh_from_db()
    assert (request.status, request.meeting_place, request.answered_at) == (
        "accepted",
        "premises",
        answered_at,
    )
    assert request.availability == [
        {"start": "2023-05-29T09:00:00-04:00", "end": "2023-05-29T12:00:00-04:00"},
        {"start": "2023-05-30T13:00:00-04:00", "end": "2023-05-30T17:00:00-04:00"},
    ]
    assert request.answer_note == "Ask for Marie at the front desk."


def test_answer_request_can_be_changed_to_a_decline_which_clears_place_and_times():
    mission = make_mission()
    request, _raw = sent_request(mission)
    day = dt.date(2023, 5, 29)
    inv.answer_request(
        request,
        accept=True,
        place="online",
        availability=[span(day, dt.time(9), dt.time(12))],
        now=NOW,
    )
    inv.answer_request(request, accept=False, place="online", note="Not this time.", now=NOW)
    request.refresh_from_db()
    assert (request.status, request.meeting_place, request.availability, request.answer_note) == (
        "declined",
        "",
        [],
        "Not this time.",
    )


def test_answer_request_offers_the_trade_show_only_if_the_mission_has_one():
    mission = make_mission()
    request, _raw = sent_request(mission)
    when = [span(dt.date(2023, 5, 31), dt.time(10), dt.time(12))]
    assert queries.allowed_places(mission) == ["premises", "online"]
    with pytest.raises(inv.InvitationError) as error:
        inv.answer_request(request, accept=True, place="trade_show", availability=when, now=NOW)
    assert "place" in error.value.error_dict

    VenueFactory(mission=mission, kind="trade_show", city="Ottawa")
    inv.answer_request(request, accept=True, place="trade_show", availability=when, now=NOW)
    assert MeetingRequest.objects.get(pk=request.pk).meeting_place == "trade_show"


@pytest.mark.parametrize(
    "times",
    [
        [span(dt.date(2023, 6, 3), dt.time(9), dt.time(12))],  # after the mission
        [span(dt.date(2023, 5, 29), dt.time(7), dt.time(9))],  # before the meeting hours
        [span(dt.date(2023, 5, 29), dt.time(16), dt.time(18))],  # after the meeting hours
        [span(dt.date(2023, 5, 29), dt.time(11), dt.time(10))],  # backwards
        [{"start": "soon", "end": "later"}],
        [],
    ],
)
def test_answer_request_refuses_availability_outside_the_mission(times):
    mission = make_mission()
    request, _raw = sent_request(mission)
    with pytest.raises(inv.InvitationError) as error:
        inv.answer_request(request, accept=True, place="premises", availability=times, now=NOW)
    assert "availability" in error.value.error_dict
    assert MeetingRequest.objects.get(pk=request.pk).status == "sent"


def test_answer_request_refuses_an_expired_request():
    mission = make_mission()
    request, _raw = sent_request(mission)
    with pytest.raises(inv.InvitationError):
        inv.answer_request(request, accept=False, now=NOW + dt.timedelta(days=14))


def test_answer_requests_refuses_the_requests_of_another_stakeholder():
    mission = make_mission()
    mine, raw = sent_request(mission)
    theirs, _other = sent_request(mission)
    token = StakeholderToken.objects.find(raw)

    with pytest.raises(inv.InvitationError):
        inv.answer_requests(
            token,
            {mine.pk: {"accept": False}, theirs.pk: {"accept": False}},
            now=NOW,
        )
    assert set(MeetingRequest.objects.values_list("status", flat=True)) == {"sent"}


def test_half_days_are_those_the_delegation_spends_in_the_stakeholders_city():
    mission = make_mission()
    keys = [half.key for half in queries.half_days(mission, "Kanata")]
    assert keys == ["2023-05-31-am", "2023-05-31-pm", "2023-06-01-am", "2023-06-01-pm"]
    first = queries.half_days(mission, "Longueuil")[0]
    assert (first.start, first.end) == (
        dt.datetime(2023, 5, 29, 9, 0, tzinfo=TORONTO),
        dt.datetime(2023, 5, 29, 12, 0, tzinfo=TORONTO),
    )
    assert len(queries.half_days(mission, "Toronto")) == 10  # not on the itinerary: every day


def test_organiser_email_is_the_advisor_else_coordinator_staff_else_the_sender(settings):
    settings.DEFAULT_FROM_EMAIL = "Trade missions <missions@cluster.example.eu>"
    partner = ProjectPartnerFactory()
    mission = MissionFactory(project=partner.project)
    assert queries.organiser_email(mission) == "missions@cluster.example.eu"
    MembershipFactory(organisation=partner.organisation, user__email="claire@optitec.example.eu")
    assert queries.organiser_email(mission) == "claire@optitec.example.eu"
    MissionMemberFactory(mission=mission, user__email="genevieve@advisor.example.ca")
    assert queries.organiser_email(mission) == "genevieve@advisor.example.ca"
