"""The French catalogue is complete, and the compiled catalogue is the one the pages use."""

import gettext
import re
from pathlib import Path

import trademission

LOCALE = Path(trademission.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


def entries() -> list[str]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    return [block for block in re.split(r"\n\s*\n", text) if 'msgid "' in block]


def translations(block: str) -> list[str]:
    """The msgstr (or msgstr[n]) texts of one entry, continuation lines joined."""
    found = []
    for match in re.finditer(r'^msgstr(?:\[\d+\])? ((?:".*"\n?)+)', block, re.MULTILINE):
        found.append("".join(re.findall(r'"(.*)"', match.group(1))))
    return found


def unescape(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), text)


def msgid(block: str) -> str:
    match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.MULTILINE)
    return "".join(re.findall(r'"(.*)"', match.group(1))) if match else ""


def test_every_string_has_a_french_translation():
    missing = [msgid(block) for block in entries() if msgid(block) and not all(translations(block))]
    assert missing == []


def test_no_translation_is_a_fuzzy_guess():
    fuzzy = [msgid(b) for b in entries() if msgid(b) and re.search(r"^#,.*\bfuzzy\b", b, re.M)]
    assert fuzzy == []


def test_compiled_catalogue_matches_the_sources():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        msgid(block)
        for block in entries()
        if msgid(block)
        and "msgid_plural" not in block
        and "msgctxt" not in block
        and compiled.gettext(unescape(msgid(block))) != unescape(translations(block)[0])
    ]
    assert stale == []
