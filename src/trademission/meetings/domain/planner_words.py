"""The planner's reasons in the reader's language.

The planner is a pure package and speaks English; its reasons follow a few fixed sentence
shapes (explain.py, solve.py). Each shape is written once, as its English msgid: the pattern
that recognises the planner's sentence is derived from it, so the two cannot drift apart. A
sentence this module does not know is shown as the planner wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

LANGUAGES = ("en", "fr")

# the reasons one option of a meeting is blocked, joined by "; " inside "%(why)s" below
_WHY = (
    gettext_noop("all %(n)s tables of %(venue)s are taken then"),
    gettext_noop("%(who)s is in meeting %(other)s then"),
    gettext_noop("%(who)s already has %(n)s meetings that day"),
    gettext_noop("travel from %(a)s to %(b)s takes %(need)s min, %(free)s are free"),
    gettext_noop("%(who)s cannot travel in time"),
    gettext_noop("it would break a precedence"),
)

_SENTENCES = (
    gettext_noop(
        "%(m)s: its venues are in %(cities)s, where the delegation never is"
        " (and it may not be held online)"
    ),
    gettext_noop("%(m)s: its fixed start is not a free time of all its participants"),
    gettext_noop("%(m)s: no common free time in session %(session)s in %(where)s"),
    gettext_noop("%(m)s: it lasts longer than any opening hours"),
    gettext_noop(
        "%(m)s: no common free time of %(who)s on the days the delegation is in %(where)s"
    ),
    gettext_noop("%(m)s: every possible time is taken (%(why)s)"),
    gettext_noop(
        "%(who)s has %(n)s must-have meetings but only %(k)s different times when they"
        " could take place (the others are unavailable, forbidden or outside the meetings'"
        " sessions)"
    ),
    gettext_noop(
        "%(who)s has %(n)s must-have meetings but at most %(k)s a day on %(days)s possible days"
    ),
    gettext_noop(
        "every must-have meeting can be held, but not with each participant's breaks"
        " within %(d)s of the fewest anyone has (fairness bound d = %(d)s)"
    ),
    gettext_noop(
        "the must-have meetings cannot all be held together: they need the same"
        " participants, tables or times"
    ),
    gettext_noop(
        "the must-have meetings cannot all be held together: they need the same"
        " participants, tables or times (with the fairness bound d = %(d)s on breaks)"
    ),
    gettext_noop(
        "no plan with each participant's breaks within %(d)s of the fewest anyone has was"
        " found within the time limit of %(s)s s; a longer run may find one"
    ),
    gettext_noop(
        "no plan holding every must-have meeting was found within the time limit of"
        " %(s)s s; a longer run may find one"
    ),
)


@cache
def _pattern(msgid: str) -> re.Pattern[str]:
    """The English sentence with each ``%(name)s`` as a named group (repeats must agree)."""
    out, seen = [], set()
    for part in re.split(r"(%\(\w+\)s)", msgid):
        name = re.fullmatch(r"%\((\w+)\)s", part)
        if name is None:
            out.append(re.escape(part))
        elif name[1] in seen:
            out.append(f"(?P={name[1]})")
        else:
            seen.add(name[1])
            out.append(f"(?P<{name[1]}>.+?)")
    return re.compile("".join(out))


def _one(msgids: tuple[str, ...], text: str) -> str:
    for msgid in msgids:
        match = _pattern(msgid).fullmatch(text)
        if match:
            values = match.groupdict()
            if "why" in values:
                values["why"] = "; ".join(_one(_WHY, part) for part in values["why"].split("; "))
            return _(msgid) % values
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
