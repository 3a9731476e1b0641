"""Domain functions of the call and selection, without pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tests.factories import ContactFactory, MissionFactory, ParticipationFactory, SmeFactory
from trademission.missions.validators import check_scores, validate_application_questions
from trademission.participants.domain.selection import (
    apply_to_mission,
    decide_application,
    find_existing_sme,
    score_application,
    website_domain,
    weighted_total,
)
from trademission.participants.models import SelectionCriterion


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Example-Thermavue.eu/fr/", "example-thermavue.eu"),
        ("http://example-thermavue.eu", "example-thermavue.eu"),
        ("example-thermavue.eu/contact", "example-thermavue.eu"),
        ("", ""),
    ],
)
def test_website_domain_ignores_scheme_www_and_path(url, domain):
    assert website_domain(url) == domain


def test_weighted_total_counts_missing_scores_as_zero():
    weights = {"fit": Decimal(3), "export": Decimal("0.5")}
    assert weighted_total({"fit": 4, "export": 2, "gone": 5}, weights) == Decimal(13)
    assert weighted_total({}, weights) == Decimal(0)


def test_check_scores_names_the_bad_criterion():
    with pytest.raises(ValidationError) as exc:
        check_scores({"fit": 6, "other": 1, "export": 3}, {"fit", "export"})
    assert exc.value.message_dict == {
        "fit": ["A score lies between 0 and 5."],
        "other": ["This mission has no criterion “other”."],
    }


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ({"key": "a"}, "The questions must be a list."),
        ([{"key": "a"}], "Each question needs a key and a label."),
        (
            [{"key": "a", "label": "A"}, {"key": "a", "label": "B"}],
            "Two questions have the key “a”; keys must differ.",
        ),
    ],
)
def test_application_questions_are_checked(questions, message):
    with pytest.raises(ValidationError) as exc:
        validate_application_questions(questions)
    assert exc.value.messages == [message]


@pytest.mark.django_db
def test_find_existing_sme_prefers_the_website_domain():
    by_site = SmeFactory(name="Old name", website="https://thermavue.example")
    SmeFactory(name="ThermaVue", country="FR")
    found = find_existing_sme(
        name="ThermaVue", country="FR", website="http://www.thermavue.example/x"
    )
    assert found == by_site
    assert find_existing_sme(name="thermavue ", country="FR", website="").name == "ThermaVue"
    assert find_existing_sme(name="ThermaVue", country="DE", website="") is None


@pytest.mark.django_db
def test_score_application_keeps_only_given_scores():
    participation = ParticipationFactory(status="applied")
    SelectionCriterion.objects.create(mission=participation.mission, key="fit", label="Fit")
    score_application(participation, scores={"fit": 5}, advisor_input="Good")
    participation.refresh_from_db()
    assert participation.scores == {"fit": 5}
    with pytest.raises(ValidationError):
        score_application(participation, scores={"fit": 9}, advisor_input="")


@pytest.mark.django_db
def test_decision_outside_the_three_is_refused_and_nothing_sent():
    participation = ParticipationFactory(status="applied")
    ContactFactory(sme=participation.sme)
    with pytest.raises(ValidationError):
        decide_application(participation, status="withdrawn", message="x", user=None)
    participation.refresh_from_db()
    assert participation.status == "applied"
    assert mail.outbox == []


@pytest.mark.django_db
def test_decision_falls_back_to_the_smes_first_contact():
    participation = ParticipationFactory(status="applied")
    first = ContactFactory(sme=participation.sme, language="fr")
    ContactFactory(sme=participation.sme)
    assert decide_application(participation, status="declined", message="Désolé.", user=None)
    assert mail.outbox[0].to == [first.email]
    assert "Désolé." in mail.outbox[0].body


@pytest.mark.django_db
def test_apply_to_mission_writes_only_profile_fields():
    mission = MissionFactory()
    cluster = SmeFactory().cluster
    participation = apply_to_mission(
        mission,
        profile={
            "name": "Jutland Armour",
            "country": "DK",
            "cluster": cluster,
            "description": "Composite armour.",
            "employees": 5000,  # not asked on the form: never written from an application
        },
        contact={"name": "Ann", "email": "ann@jutland.example", "language": "da"},
        answers={},
    )
    assert participation.sme.employees is None
    assert participation.status == "applied"
    assert participation.contact.language == "da"
