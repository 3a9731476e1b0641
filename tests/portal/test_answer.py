"""The stakeholder's token page: answer without an account, only one's own requests."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import (
    ContactFactory,
    MatchFactory,
    MissionFactory,
    MissionMemberFactory,
    ParticipationFactory,
    SmeFactory,
    StakeholderFactory,
    StopFactory,
)
from trademission.meetings.domain import invitations as inv
from trademission.meetings.models import MeetingRequest
from trademission.participants.models import StakeholderToken

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/\S*p/invitation/([\w-]+)/\S*)")
EXPLANATION = {
    "concepts": [{"label": "Infrared imaging", "direct": True}],
    "shared_terms": ["port security"],
    "score": 0.87,
}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def mission():
    mission = MissionFactory(lunch_start=dt.time(12, 0), lunch_end=dt.time(13, 0))
    StopFactory(
        mission=mission, city="Montreal", start=dt.date(2023, 5, 29), end=dt.date(2023, 5, 30)
    )
    StopFactory(mission=mission, city="Ottawa", start=dt.date(2023, 5, 31), end=dt.date(2023, 6, 2))
    MissionMemberFactory(mission=mission, user__email="advisor@cluster.example.eu")
    return mission


def invite(mission, sme_name, *, language="en", profile_language="en", contact_email=None):
    """A stakeholder invited to meet one SME; returns (request, link path, raw secret)."""
    stakeholder = StakeholderFactory(
        mission=mission, city="Longueuil", profile_language=profile_language
    )
    contact = ContactFactory(stakeholder=stakeholder, language=language)
    if contact_email:
        contact.email = contact_email
        contact.save()
    match = MatchFactory(
        participation=ParticipationFactory(
            mission=mission,
            sme=SmeFactory(name=sme_name, description=f"{sme_name} makes thermal cameras."),
        ),
        stakeholder=stakeholder,
        decision="accepted",
        explanation=EXPLANATION,
    )
    inv.prepare_requests(mission)
    before = len(mail.outbox)
    inv.send_invitations(mission, user=None)
    found = LINK.search(mail.outbox[before].body)
    return MeetingRequest.objects.get(match=match), found.group(1), found.group(2)


def answer_data(request, **fields):
    return {f"r{request.pk}-{name}": value for name, value in fields.items()}


def test_stakeholder_accepts_through_the_token_link(client, mission):
    request, path, _raw = invite(mission, "ThermaVue Optique")

    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    assert "ThermaVue Optique" in html and "ThermaVue Optique makes thermal cameras." in html
    assert "Infrared imaging, port security" in html
    assert "All times are in the America/Toronto time zone." in html
    # Half-days offered: those the delegation spends in Montreal (Longueuil is in its area).
    offered = [choice[0] for choice in page.context["forms"][0].fields["half_days"].choices]
    assert offered == ["2023-05-29-am", "2023-05-29-pm", "2023-05-30-am", "2023-05-30-pm"]

    response = client.post(
        path,
        answer_data(
            request,
            response="accept",
            place="premises",
            half_days=["2023-05-29-pm", "2023-05-30-am"],
            note="Parking at the back.",
        ),
        follow=True,
    )

    assert response.redirect_chain[-1][1] == 302
    assert "your answers are saved" in response.content.decode()
    request.refresh_from_db()
    assert (request.status, request.meeting_place, request.answer_note) == (
        "accepted",
        "premises",
        "Parking at the back.",
    )
    assert request.availability == [
        {"start": "2023-05-29T13:00:00-04:00", "end": "2023-05-29T17:30:00-04:00"},
        {"start": "2023-05-30T09:00:00-04:00", "end": "2023-05-30T12:00:00-04:00"},
    ]
    # The page shows the answer again, ready to be changed.
    form = response.context["forms"][0]
    assert form.initial["response"] == "accept"
    assert form.initial["half_days"] == ["2023-05-29-pm", "2023-05-30-am"]
    assert "You accepted" in response.content.decode()


def test_stakeholder_can_change_the_answer_until_expiry(client, mission):
    request, path, _raw = invite(mission, "Lasertrace Photonics")
    client.post(
        path,
        answer_data(request, response="accept", place="online", half_days=["2023-05-29-am"]),
    )
    client.post(path, answer_data(request, response="decline", note="Budget frozen."))
    request.refresh_from_db()
    assert (request.status, request.meeting_place, request.availability) == ("declined", "", [])


def test_accepting_without_place_or_time_shows_the_errors_next_to_the_fields(client, mission):
    request, path, _raw = invite(mission, "Sentinelle RF")
    response = client.post(path, answer_data(request, response="accept", place=""))
    assert response.status_code == 400
    form = response.context["forms"][0]
    assert form.errors == {
        "place": ["Choose where the meeting can take place."],
        "half_days": ["Tick at least one half-day."],
    }
    assert MeetingRequest.objects.get(pk=request.pk).status == "sent"


def test_trade_show_is_not_offered_without_a_trade_show_venue(client, mission):
    request, path, _raw = invite(mission, "Baltic Orbit Analytics")
    page = client.get(path)
    assert [c[0] for c in page.context["forms"][0].fields["place"].choices] == [
        "premises",
        "online",
    ]
    response = client.post(
        path,
        answer_data(request, response="accept", place="trade_show", half_days=["2023-05-29-am"]),
    )
    assert response.status_code == 400
    assert "place" in response.context["forms"][0].errors


def test_token_of_one_stakeholder_opens_nothing_of_another(client, mission):
    mine, path, _raw = invite(mission, "Alpilles Détection", contact_email="me@port.example.ca")
    theirs, other_path, _other = invite(mission, "Kattegat Cyber Intelligence")

    html = client.get(path).content.decode()
    assert "Alpilles Détection" in html
    assert "Kattegat Cyber Intelligence" not in html
    assert theirs.stakeholder.name not in html

    # Posting answers for the other stakeholder's request through this link changes nothing.
    client.post(
        path,
        {
            **answer_data(mine, response="decline"),
            **answer_data(theirs, response="accept", place="premises", half_days=["2023-05-29-am"]),
        },
    )
    assert MeetingRequest.objects.get(pk=mine.pk).status == "declined"
    assert MeetingRequest.objects.get(pk=theirs.pk).status == "sent"
    assert other_path != path


def test_page_shows_no_contact_data(client, mission):
    request, path, _raw = invite(
        mission, "Jutland Composite Armour", contact_email="c@x.example.ca"
    )
    ContactFactory(sme=request.participations.get().sme, email="ceo@sme.example.eu", phone="+33 1")
    html = client.get(path).content.decode()
    assert "c@x.example.ca" not in html
    assert "ceo@sme.example.eu" not in html and "+33 1" not in html
    assert "advisor@cluster.example.eu" in html  # whom to ask


def test_unknown_token_is_404(client, mission):
    invite(mission, "Chartreuse Navigation")
    assert client.get(reverse("portal:answer", kwargs={"token": "x" * 43})).status_code == 404


def test_expired_token_is_refused_with_a_clear_page(client, mission):
    request, path, _raw = invite(mission, "Vercors Embedded Systems")
    StakeholderToken.objects.filter(stakeholder=request.stakeholder).update(
        expires_at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    )
    page = client.get(path)
    assert page.status_code == 410
    html = page.content.decode()
    assert "This link has expired" in html
    assert "mailto:advisor@cluster.example.eu" in html
    assert "Vercors Embedded Systems" not in html

    response = client.post(path, answer_data(request, response="decline"))
    assert response.status_code == 410
    assert MeetingRequest.objects.get(pk=request.pk).status == "sent"


def test_revoked_token_is_refused_with_the_same_page(client, mission):
    request, path, _raw = invite(mission, "Calanque Spectral Imaging")
    inv.revoke_links(request.stakeholder)
    page = client.get(path)
    assert page.status_code == 410
    assert "This link has expired" in page.content.decode()


def test_page_defaults_to_the_stakeholders_language_and_offers_the_other(client, mission):
    _request, path, raw = invite(
        mission, "Belledonne Vision AI", language="fr", profile_language="fr"
    )
    assert path.startswith("/fr/p/invitation/")
    plain = reverse("portal:answer", kwargs={"token": raw})
    redirect = client.get(plain)
    assert (redirect.status_code, redirect["Location"]) == (302, path)
    french = client.get(path)
    assert french.status_code == 200
    assert '<html lang="fr">' in french.content.decode()
    english = client.get(plain + "?lang=en")
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    assert [link[0] for link in english.context["language_links"]] == ["en", "fr"]


def test_closed_request_is_shown_but_cannot_be_answered(client, mission):
    request, path, _raw = invite(mission, "Skagen Maritime Autonomy")
    MeetingRequest.objects.filter(pk=request.pk).update(
        status="expired", expires_at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    )
    page = client.get(path)
    assert page.status_code == 200
    assert "can no longer be answered" in page.content.decode()
    assert page.context["any_open"] is False
    client.post(path, answer_data(request, response="decline"))
    assert MeetingRequest.objects.get(pk=request.pk).status == "expired"
