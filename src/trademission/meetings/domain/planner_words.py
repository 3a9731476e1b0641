"""The planner's reasons in the reader's language.

The planner is a pure package and speaks English; its reasons follow a few fixed sentence
shapes (explain.py, solve.py), recognised here and rebuilt through gettext. A sentence this
module does not know is shown as the planner wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext as _

LANGUAGES = ("en", "fr")

_WHY: list[tuple[re.Pattern[str], Callable[[dict[str, str]], str]]] = [
    (
        re.compile(r"all (?P<n>\d+) tables of (?P<venue>\S+) are taken then"),
        lambda g: _("all %(n)s tables of %(venue)s are taken then") % g,
    ),
    (
        re.compile(r"(?P<who>\S+) is in meeting (?P<other>\S+) then"),
        lambda g: _("%(who)s is in meeting %(other)s then") % g,
    ),
    (
        re.compile(r"(?P<who>\S+) already has (?P<n>\d+) meetings that day"),
        lambda g: _("%(who)s already has %(n)s meetings that day") % g,
    ),
    (
        re.compile(
            r"travel from (?P<a>\S+) to (?P<b>\S+) takes (?P<need>\d+) min, (?P<free>\d+) are free"
        ),
        lambda g: _("travel from %(a)s to %(b)s takes %(need)s min, %(free)s are free") % g,
    ),
    (
        re.compile(r"(?P<who>\S+) cannot travel in time"),
        lambda g: _("%(who)s cannot travel in time") % g,
    ),
    (re.compile(r"it would break a precedence"), lambda g: _("it would break a precedence")),
]

_SENTENCES: list[tuple[re.Pattern[str], Callable[[dict[str, str]], str]]] = [
    (
        re.compile(
            r"(?P<m>\S+): its venues are in (?P<cities>.+), where the delegation never is"
            r" \(and it may not be held online\)"
        ),
        lambda g: (
            _(
                "%(m)s: its venues are in %(cities)s, where the delegation never is"
                " (and it may not be held online)"
            )
            % g
        ),
    ),
    (
        re.compile(r"(?P<m>\S+): its fixed start is not a free time of all its participants"),
        lambda g: _("%(m)s: its fixed start is not a free time of all its participants") % g,
    ),
    (
        re.compile(r"(?P<m>\S+): no common free time in session (?P<session>\S+) in (?P<where>.+)"),
        lambda g: _("%(m)s: no common free time in session %(session)s in %(where)s") % g,
    ),
    (
        re.compile(r"(?P<m>\S+): it lasts longer than any opening hours"),
        lambda g: _("%(m)s: it lasts longer than any opening hours") % g,
    ),
    (
        re.compile(
            r"(?P<m>\S+): no common free time of (?P<who>.+) on the days the delegation is in"
            r" (?P<where>.+)"
        ),
        lambda g: (
            _("%(m)s: no common free time of %(who)s on the days the delegation is in %(where)s")
            % g
        ),
    ),
    (
        re.compile(r"(?P<m>\S+): every possible time is taken \((?P<why>.+)\)"),
        lambda g: (
            _("%(m)s: every possible time is taken (%(why)s)")
            % {"m": g["m"], "why": "; ".join(_one(_WHY, part) for part in g["why"].split("; "))}
        ),
    ),
    (
        re.compile(
            r"(?P<who>\S+) has (?P<n>\d+) must-have meetings but only (?P<k>\d+) different times"
            r" when they could take place .*"
        ),
        lambda g: (
            _(
                "%(who)s has %(n)s must-have meetings but only %(k)s different times when they"
                " could take place (the others are unavailable, forbidden or outside the meetings'"
                " sessions)"
            )
            % g
        ),
    ),
    (
        re.compile(
            r"(?P<who>\S+) has (?P<n>\d+) must-have meetings but at most (?P<k>\d+) a day on"
            r" (?P<days>\d+) possible days"
        ),
        lambda g: (
            _(
                "%(who)s has %(n)s must-have meetings but at most %(k)s a day"
                " on %(days)s possible days"
            )
            % g
        ),
    ),
    (
        re.compile(
            r"every must-have meeting can be held, but not with each participant's"
            r" .*d = (?P<d>\d+)\)"
        ),
        lambda g: (
            _(
                "every must-have meeting can be held, but not with each participant's breaks"
                " within %(d)s of the fewest anyone has (fairness bound d = %(d)s)"
            )
            % g
        ),
    ),
    (
        re.compile(r"the must-have meetings cannot all be held together.*"),
        lambda g: _(
            "the must-have meetings cannot all be held together: they need the same"
            " participants, tables or times"
        ),
    ),
]


def _one(table: list[tuple[re.Pattern[str], Callable[[dict[str, str]], str]]], text: str) -> str:
    for pattern, render in table:
        match = pattern.fullmatch(text)
        if match:
            return render(match.groupdict())
    return text


def translated(text: str) -> str:
    """One planner sentence in the active language."""
    return _one(_SENTENCES, text)


def in_every_language(text: str, then: Callable[[str], str]) -> dict[str, str]:
    """The sentence in each language of the site, each passed through ``then`` (names)."""
    out = {}
    for code in LANGUAGES:
        with translation.override(code):
            out[code] = then(translated(text))
    return out


def in_reader_language(value: object) -> str:
    """A stored reason (one string, or one per language) in the active language."""
    if isinstance(value, dict):
        code = (translation.get_language() or "en").split("-")[0]
        return str(value.get(code) or value.get("en") or next(iter(value.values()), ""))
    return str(value)
