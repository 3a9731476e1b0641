"""The invitation board and its actions: permissions, sending, reminders, links, query counts."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ContactFactory,
    MatchFactory,
    MembershipFactory,
    MissionFactory,
    MissionMemberFactory,
    ParticipationFactory,
    ProjectPartnerFactory,
    StakeholderFactory,
)
from trademission.meetings.domain import invitations as inv
from trademission.meetings.models import MeetingRequest
from trademission.participants.models import StakeholderToken

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/\S*p/invitation/[\w-]+/)")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _url(name, mission, **kwargs):
    return reverse(f"control:{name}", kwargs={"mission": mission.slug, **kwargs})


def accepted(mission, *, sme="ThermaVue Optique", stakeholder=None, email=True, language="en"):
    if stakeholder is None:
        stakeholder = StakeholderFactory(mission=mission)
        ContactFactory(
            stakeholder=stakeholder, language=language, **({} if email else {"email": ""})
        )
    return MatchFactory(
        participation=ParticipationFactory(mission=mission, sme__name=sme),
        stakeholder=stakeholder,
        decision="accepted",
    )


def partner_staff(tenant):
    partner = ProjectPartnerFactory(project=tenant.project, is_coordinator=False)
    return MembershipFactory(organisation=partner.organisation).user


# ----------------------------------------------------------------------------- permissions


def test_partner_staff_sees_the_board_but_cannot_act(client, tenant):
    accepted(tenant.mission)
    client.force_login(partner_staff(tenant))
    board = _url("invitations", tenant.mission)
    page = client.get(board)
    assert page.status_code == 200
    assert "Prepare requests from accepted recommendations" not in page.content.decode()
    assert client.post(board, {"action": "prepare"}).status_code == 403
    assert client.post(_url("invitations_send", tenant.mission)).status_code == 403
    assert not MeetingRequest.objects.exists()


def test_advisor_prepares_and_sends(client, tenant):
    accepted(tenant.mission)
    advisor = MissionMemberFactory(mission=tenant.mission, role="advisor").user
    client.force_login(advisor)
    response = client.post(_url("invitations", tenant.mission), {"action": "prepare"}, follow=True)
    assert "1 meeting request prepared from the accepted recommendations." in (
        response.content.decode()
    )
    client.post(_url("invitations_send", tenant.mission))
    assert MeetingRequest.objects.get().status == "sent"
    assert len(mail.outbox) == 1


def test_link_pages_are_scoped_to_the_mission_and_need_send_invitations(client, tenant):
    match = accepted(tenant.mission)
    foreign = StakeholderFactory(mission=MissionFactory())
    client.force_login(tenant.user)
    for name in ("invitations_resend", "invitations_revoke"):
        url = _url(name, tenant.mission, stakeholder=foreign.pk)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        own = _url(name, tenant.mission, stakeholder=match.stakeholder_id)
        assert client.get(own).status_code == 200
    client.force_login(partner_staff(tenant))
    own = _url("invitations_revoke", tenant.mission, stakeholder=match.stakeholder_id)
    assert client.get(own).status_code == 403
    assert client.post(own).status_code == 403


# ----------------------------------------------------------------------------- flow


def test_send_confirmation_lists_recipients_and_stakeholders_without_email(client, tenant):
    reachable = accepted(tenant.mission, sme="Sentinelle RF", language="fr")
    silent = accepted(tenant.mission, sme="Baltic Orbit Analytics", email=False)
    inv.prepare_requests(tenant.mission)
    client.force_login(tenant.user)

    page = client.get(_url("invitations_send", tenant.mission))
    html = page.content.decode()
    assert [g.stakeholder for g in page.context["reachable"]] == [reachable.stakeholder]
    assert [g.stakeholder for g in page.context["unreachable"]] == [silent.stakeholder]
    assert reachable.stakeholder.contacts.get().email in html
    assert "1 stakeholder has no contact e-mail and will be skipped:" in html
    assert mail.outbox == []  # nothing is sent by looking

    response = client.post(_url("invitations_send", tenant.mission), follow=True)
    html = response.content.decode()
    assert "Invitations sent to 1 stakeholder (1 e-mails)." in html
    assert f"Not sent, no contact e-mail: {silent.stakeholder.name}." in html
    assert [m.to for m in mail.outbox] == [[reachable.stakeholder.contacts.get().email]]
    assert mail.outbox[0].subject.startswith("Demandes de rendez-vous")
    statuses = dict(MeetingRequest.objects.values_list("match_id", "status"))
    assert statuses == {reachable.pk: "sent", silent.pk: "draft"}


def test_board_shows_who_answered_what_and_filters_by_status(client, tenant):
    yes = accepted(tenant.mission, sme="Alpilles Détection")
    no = accepted(tenant.mission, sme="Kattegat Cyber Intelligence")
    inv.prepare_requests(tenant.mission)
    inv.send_invitations(tenant.mission, user=tenant.user)
    tz = tenant.mission.tz
    inv.answer_request(
        MeetingRequest.objects.get(match=yes),
        accept=True,
        place="online",
        availability=[
            {
                "start": dt.datetime(2023, 5, 29, 9, 0, tzinfo=tz),
                "end": dt.datetime(2023, 5, 29, 12, 0, tzinfo=tz),
            }
        ],
        note="Bring the demo kit.",
    )
    inv.answer_request(MeetingRequest.objects.get(match=no), accept=False)
    client.force_login(tenant.user)

    page = client.get(_url("invitations", tenant.mission))
    html = page.content.decode()
    assert page.context["counts"] == {
        "draft": 0,
        "sent": 0,
        "accepted": 1,
        "declined": 1,
        "expired": 0,
    }
    assert "Online" in html and "Mon 29 May 09:00–12:00" in html and "Bring the demo kit." in html

    accepted_only = client.get(_url("invitations", tenant.mission) + "?status=accepted")
    rows = list(accepted_only.context["rows"])
    assert [s.pk for s in rows] == [yes.stakeholder_id]
    assert [r.status for r in rows[0].board_requests] == ["accepted"]
    assert "Kattegat Cyber Intelligence" not in accepted_only.content.decode()


def test_send_reminders_now_reminds_due_requests_and_expires_overdue_ones(client, tenant):
    due = accepted(tenant.mission, sme="Jutland Composite Armour")
    overdue = accepted(tenant.mission, sme="Vercors Embedded Systems")
    inv.prepare_requests(tenant.mission)
    inv.send_invitations(tenant.mission, user=tenant.user)
    now = timezone.now()
    MeetingRequest.objects.filter(match=due).update(sent_at=now - dt.timedelta(days=6))
    MeetingRequest.objects.filter(match=overdue).update(expires_at=now - dt.timedelta(hours=1))
    mail.outbox.clear()
    client.force_login(tenant.user)

    response = client.post(_url("invitations", tenant.mission), {"action": "remind"}, follow=True)

    assert "Reminders sent to 1 stakeholder. 1 request expired." in response.content.decode()
    assert [m.to for m in mail.outbox] == [[due.stakeholder.contacts.get().email]]
    assert MeetingRequest.objects.get(match=due).reminded_at is not None
    assert MeetingRequest.objects.get(match=overdue).status == "expired"


def test_revoke_then_resend_link(client, tenant):
    match = accepted(tenant.mission)
    inv.prepare_requests(tenant.mission)
    inv.send_invitations(tenant.mission, user=tenant.user)
    first_path = LINK.search(mail.outbox[0].body).group(1)
    client.force_login(tenant.user)

    revoke = _url("invitations_revoke", tenant.mission, stakeholder=match.stakeholder_id)
    assert "Revoke the links of" in client.get(revoke).content.decode()
    response = client.post(revoke, follow=True)
    assert f"1 link of {match.stakeholder.name} revoked." in response.content.decode()
    assert client.get(first_path).status_code == 410

    resend = _url("invitations_resend", tenant.mission, stakeholder=match.stakeholder_id)
    response = client.post(resend, follow=True)
    assert f"A new link was sent to {match.stakeholder.name}." in response.content.decode()
    new_path = LINK.search(mail.outbox[-1].body).group(1)
    assert client.get(new_path).status_code == 200
    assert StakeholderToken.objects.filter(stakeholder=match.stakeholder).count() == 2


# ----------------------------------------------------------------------------- queries


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _invited_stakeholder(mission, n):
    match = accepted(mission, sme=f"SME {n}")
    MatchFactory(
        participation=ParticipationFactory(mission=mission),
        stakeholder=match.stakeholder,
        decision="accepted",
    )
    inv.prepare_requests(mission)
    inv.send_invitations(mission, user=None)
    request = MeetingRequest.objects.filter(match=match).get()
    inv.answer_request(
        request,
        accept=True,
        place="premises",
        availability=[
            {
                "start": dt.datetime(2023, 5, 29, 9, 0, tzinfo=mission.tz),
                "end": dt.datetime(2023, 5, 29, 12, 0, tzinfo=mission.tz),
            }
        ],
    )


def test_board_query_count_does_not_grow_with_rows(client, tenant):
    client.force_login(tenant.user)
    board = _url("invitations", tenant.mission)
    send = _url("invitations_send", tenant.mission)
    _invited_stakeholder(tenant.mission, 1)
    accepted(tenant.mission, sme="Draft 1")
    inv.prepare_requests(tenant.mission)
    one = (_queries(client, board), _queries(client, send))
    for n in (2, 3):
        _invited_stakeholder(tenant.mission, n)
        accepted(tenant.mission, sme=f"Draft {n}")
    inv.prepare_requests(tenant.mission)
    # Three stakeholders invited (one answered request each), three more with requests.
    three = (_queries(client, board), _queries(client, send))
    assert len(client.get(board).context["rows"]) == 6
    assert one == three


def test_invitation_rules_are_set_on_the_board(client, tenant):
    client.force_login(tenant.user)
    board = _url("invitations", tenant.mission)
    bad = client.post(
        board, {"action": "rules", "invitation_valid_days": "0", "reminder_after_days": "3"}
    )
    assert bad.status_code == 400
    assert "invitation_valid_days" in bad.context["rules_form"].errors

    response = client.post(
        board,
        {"action": "rules", "invitation_valid_days": "10", "reminder_after_days": "3"},
        follow=True,
    )
    assert "Invitation rules saved." in response.content.decode()
    plan = tenant.mission.plan
    assert (plan.invitation_valid_days, plan.reminder_after_days, plan.version) == (10, 3, 1)

    client.force_login(partner_staff(tenant))
    assert client.post(board, {"action": "rules"}).status_code == 403
