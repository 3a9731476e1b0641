"""The planner's reasons reach a French reader in French, names kept."""

from __future__ import annotations

from django.utils import translation

from trademission.meetings.domain.planner_words import (
    in_every_language,
    in_reader_language,
    translated,
)
from trademission.planner import Calendar, Day, Meeting, Participant, Problem, solve


def test_a_blocked_meeting_reason_in_french() -> None:
    text = (
        "m4: every possible time is taken"
        " (s2 is in meeting m1 then; all 3 tables of hall are taken then)"
    )
    with translation.override("fr"):
        assert translated(text) == (
            "m4 : tous les horaires possibles sont pris (s2 est en rendez-vous avec m1 à ce"
            " moment-là; les 3 tables de hall sont toutes occupées à ce moment-là)"
        )
    with translation.override("en"):
        assert translated(text) == text


def test_every_reason_the_planner_gives_for_an_infeasible_problem_is_known() -> None:
    day = Day(date="2026-05-01", open=9, close=12)
    ms = tuple(Meeting(id=f"m{i}", host="h", delegates=(f"s{i}",), required=True) for i in range(3))
    others = [Participant(id=f"s{i}") for i in range(3)]
    people = (Participant(id="h", unavailable=((10, 11),)), *others)
    problem = Problem(
        calendar=Calendar(grain_minutes=60, days=(day,)), participants=people, meetings=ms
    )
    result = solve(problem, time_limit=5)
    with translation.override("fr"):
        french = [translated(t) for t in result.explanation]
    assert french and all(f != t for f, t in zip(french, result.explanation, strict=True))
    assert french[0].startswith("h a 3 rendez-vous indispensables")


def test_no_plan_in_time_in_french() -> None:
    text = (
        "no plan holding every must-have meeting was found within the time limit of 0.5 s;"
        " a longer run may find one"
    )
    with translation.override("fr"):
        assert translated(text) == (
            "aucun plan tenant tous les rendez-vous indispensables n'a été trouvé dans la"
            " limite de 0.5 s ; un calcul plus long peut en trouver un"
        )


def test_an_unknown_sentence_is_shown_as_written() -> None:
    with translation.override("fr"):
        assert translated("something new") == "something new"


def test_stored_reasons_follow_the_reader() -> None:
    text = "m1: it lasts longer than any opening hours"
    stored = in_every_language(text, lambda w: w.replace("m1", "Alpha"))
    fr = "Alpha : il dure plus longtemps que toutes les plages d'ouverture"
    assert stored == {"en": "Alpha: it lasts longer than any opening hours", "fr": fr}
    with translation.override("fr"):
        assert in_reader_language(stored) == fr
    with translation.override("en"):
        assert in_reader_language(stored) == stored["en"]
        assert in_reader_language("an old job's text") == "an old job's text"
