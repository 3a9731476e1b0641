"""Text normalisation shared by the vocabulary and the lexical signal.

Profiles arrive in English, French and now and then another European language. Both the
vocabulary labels and the profile texts go through the same pipeline — lower case, accents
removed, split into word tokens, stop words dropped, a light stemmer — so that an inflected or
accent-less spelling ("capteurs embarques", "Embarqué capteur") meets its label.

The stemmer is deliberately *cross-language*: it removes the endings that English and French
cognates do not share ("électronique"/"electronics" → ``electron``, "détection"/"detection" →
``detect``, "cybersécurité"/"cybersecurity" → ``cybersecur``), so the lexical signal also
bridges part of the language gap for the many technical words the two languages share.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

_WORD = re.compile(r"[a-z0-9]+")


# Function words of the languages seen in missions. Dropping them lets "vision de nuit" match
# "vision nuit" and "detection of drones" match "drone detection".
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS = _words(
    """
    a an and are as at be by for from has have in into is it its of on or our that the their
    this to we with our us you your can will which who also such more most other than these
    those using use used based new including provide provides providing offer offers well
    all any both each over under between within per via etc they them been being was were
    au aux avec ce ces cet cette dans de des du en et est elle il ils la le les leur leurs
    ma mes mon nos notre nous ou par pas plus pour qu que qui sa se ses son sur ta te tes
    un une vos votre vous d l s n c j m y sont ainsi afin tout tous toute toutes tres entre
    chez sans sous comme dont leurs ont etre avoir fait faire aussi offre propose proposons
    der die das und mit fur von zu im ein eine den dem des auf ist el los las del con para
    por una y il lo gli della delle di per con het een van voor og til af med che sono nel
    nella dei degli alle als auch oder sowie bei nach wie las les los unas unos sus nuestro
    """
)

# Endings removed by the stemmer (after plural "s"/"x" and final "e" are gone), longest
# first. English and French forms of the same suffix sit side by side on purpose.
_SUFFIXES = (
    "isation",
    "ization",
    "issement",
    "ement",
    "ment",
    "ation",
    "ition",
    "ion",
    "ateur",
    "ator",
    "ico",
    "ica",
    "ical",
    "iqu",
    "ic",
    "ity",
    "it",
    "iv",
    "if",
    "eus",
    "eur",
    "er",
    "or",
    "ing",
    "ed",
    "ous",
    "ell",
    "el",
    "al",
    "au",
    "at",
    "i",
    "y",
)
_MIN_STEM = 3


def strip_accents(text: str) -> str:
    """Lower-case ``text`` and remove diacritics ("Sécurité" → "securite")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")


# Words the stemmer would fold onto an unrelated word ("matériel" is equipment, not
# "matériaux"; "engins" are devices, not "engines"; a "fabric" is not a "fabrication";
# "aéroporté" is airborne, not an airport; a "supplier" is not a "supply").
_EXCEPTIONS = {
    "aeroporte": "airborn",
    "aeroportes": "airborn",
    "aeroportee": "airborn",
    "aeroportees": "airborn",
    "alimentation": "aliment",
    "alimentations": "aliment",
    "fabric": "fabric_",
    "fabrics": "fabric_",
    "supplier": "supplier",
    "suppliers": "supplier",
    "materiel": "materiel",
    "materiels": "materiel",
    "engin": "engin_",
    "engins": "engin_",
}


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Return the light cross-language stem of an accent-free, lower-case token."""
    if token in _EXCEPTIONS:
        return _EXCEPTIONS[token]
    if len(token) <= 3 or not token.isalpha():
        return token
    # Plurals: "feux" → "feu", "capteurs" → "capteur" (not "bus", "gps", "analysis").
    if token[-1] == "x" or (token[-1] == "s" and len(token) > 4 and token[-2] not in "sui"):
        token = token[:-1]
    while len(token) > 4 and token.endswith("e"):
        token = token[:-1]
    # Two rounds fold "cartographier" and "cartographie" (→ "cartographi" → "cartograph").
    for _ in range(2):
        for suffix in _SUFFIXES:
            if token.endswith(suffix) and len(token) - len(suffix) >= _MIN_STEM:
                token = token[: -len(suffix)]
                break
        else:
            break
    return token


class Token(NamedTuple):
    """One word of a text: its stem and the span of the original characters."""

    stem: str
    start: int
    end: int


def _build_fold_table() -> dict[int, int]:
    """One lower-case accent-free character (or a space) for each Latin character."""
    table: dict[int, int] = {}
    for code in range(0x300):
        folded = [c for c in strip_accents(chr(code)) if c.isascii() and c.isalnum()]
        table[code] = ord(folded[0]) if folded else ord(" ")
    return table


# Folding keeps one character per character, so spans found in the folded text are spans of
# the original text.
_FOLD = _build_fold_table()


def tokenize(text: str, *, translate: bool = True) -> list[Token]:
    """Split ``text`` into stemmed tokens without stop words, keeping character spans.

    With ``translate``, a word of another language with no English cognate is replaced by the
    stem of its English translation (``data/translations.tsv``): "capteurs", "Sensoren" and
    "sensori" all become ``sens``, like "sensors".
    """
    folded = text.translate(_FOLD)
    table = _translations() if translate else {}
    tokens: list[Token] = []
    for match in _WORD.finditer(folded):
        word = match.group()
        if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            continue
        stemmed = stem(word)
        tokens.append(Token(table.get(stemmed, stemmed), match.start(), match.end()))
    return tokens


@lru_cache(maxsize=1)
def _translations() -> dict[str, str]:
    """Stem of a foreign word → stem of its English translation."""
    data = resources.files("trademission.matching").joinpath("data/translations.tsv")
    table: dict[str, str] = {}
    for line in data.read_text(encoding="utf-8").splitlines()[1:]:
        if not line.strip() or line.startswith(("#", "english\t")):
            continue
        english, *others = line.split("\t")
        target = stem(strip_accents(english.strip()))
        for field in others:
            for word in (w.strip() for w in field.split(";")):
                source = stem(strip_accents(word))
                if word and " " not in word and source != target and source not in STOP_WORDS:
                    table.setdefault(source, target)
    return table


def stems(text: str, *, translate: bool = True) -> list[str]:
    """The stems of ``text`` in order (stop words removed)."""
    return [token.stem for token in tokenize(text, translate=translate)]


# A few words of each language that are frequent, short and almost never shared.
_LANGUAGE_MARKERS: dict[str, frozenset[str]] = {
    "en": _words("the and of for with our we is are to in on that this from"),
    "fr": _words("le la les des et du pour avec nous est une dans sur qui notre aux"),
    "de": _words("der die das und mit für fur wir ist eine von zu im auf unsere"),
    "es": _words("el los las y con para nuestra una del que en por es"),
    "it": _words("il gli della delle e con per una che nostra sono di"),
    "nl": _words("de het een en van voor met wij onze zijn op"),
    "da": _words("og til af med er en et vi vores for den det"),
}


def detect_language(text: str) -> str:
    """Guess the ISO 639-1 language of ``text`` from its function words ("en" if unsure)."""
    words = _WORD.findall(strip_accents(text))
    if not words:
        return "en"
    best, best_count = "en", 0
    for language, markers in _LANGUAGE_MARKERS.items():
        count = sum(1 for word in words if word in markers)
        if count > best_count:
            best, best_count = language, count
    return best
