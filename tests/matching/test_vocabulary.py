"""The vocabulary maps free text in English and French (and a few other languages) to concepts."""

from __future__ import annotations

import pytest

from trademission.matching.text import detect_language, stem, strip_accents
from trademission.matching.vocabulary import (
    VocabularyError,
    load_vocabulary,
    parse_vocabulary,
)


def concepts(text: str) -> set[str]:
    return {hit.concept for hit in load_vocabulary().annotate(text)}


@pytest.mark.parametrize(
    "text",
    [
        "We make thermal cameras.",
        "Nous fabriquons des caméras thermiques.",
        "nous fabriquons des CAMERAS THERMIQUES",  # no accents, upper case
        "Imagerie thermique embarquée",
        "Wir bauen Wärmebildkameras.",
    ],
)
def test_vocabulary_maps_thermal_imaging_in_each_language(text: str) -> None:
    assert "thermal_imaging" in concepts(text)


@pytest.mark.parametrize(
    ("english", "french", "concept"),
    [
        ("counter-drone systems", "systèmes de lutte anti-drones", "counter_uas"),
        ("night vision goggles", "jumelles de vision nocturne", "night_vision"),
        ("penetration testing", "tests d'intrusion", "cybersecurity"),
        ("additive manufacturing", "fabrication additive", "additive_manufacturing"),
        ("fuel cells", "piles à combustible", "hydrogen"),
        ("search and rescue", "recherche et sauvetage", "emergency_response"),
        ("satellite communications", "communications par satellite", "satcom"),
        ("underwater acoustics", "acoustique sous-marine", "sonar"),
    ],
)
def test_vocabulary_maps_english_and_french_to_the_same_concept(
    english: str, french: str, concept: str
) -> None:
    assert concept in concepts(english)
    assert concept in concepts(french)


def test_vocabulary_ignores_word_order_inside_a_label() -> None:
    assert "counter_uas" in concepts("drone detection")
    assert "counter_uas" in concepts("détection de drones")
    assert "counter_uas" in concepts("detection of drones")


def test_vocabulary_longest_label_wins() -> None:
    hits = load_vocabulary().annotate("drone detection")
    assert [(hit.concept, hit.phrase) for hit in hits] == [("counter_uas", "drone detection")]


def test_vocabulary_hits_quote_the_original_phrase() -> None:
    text = "Le Service de sécurité incendie cherche des caméras infrarouges."
    phrases = {(h.concept, h.phrase) for h in load_vocabulary().annotate(text)}
    assert ("thermal_imaging", "caméras infrarouges") in phrases
    assert ("firefighting", "Service de sécurité incendie") in phrases


def test_vocabulary_rule_infers_a_concept_from_a_paraphrase() -> None:
    text = "The agency must detect and stop small unmanned aircraft over its prisons."
    hits = {h.concept: h for h in load_vocabulary().annotate(text)}
    assert "counter_uas" in hits
    assert "small unmanned aircraft" in hits["counter_uas"].phrase
    assert "detect" in hits["counter_uas"].phrase


def test_vocabulary_rule_needs_its_cue() -> None:
    assert "counter_uas" not in concepts("We fly agricultural drones to spray crops.")


def test_vocabulary_broader_concepts_get_decaying_credit() -> None:
    vocabulary = load_vocabulary()
    ancestors = vocabulary.ancestors("thermal_imaging")
    assert ancestors["imaging"] == 0.5
    assert ancestors["night_vision"] == 0.5
    assert ancestors["photonics"] == 0.25


def test_vocabulary_packaged_file_is_broad_and_bilingual() -> None:
    vocabulary = load_vocabulary()
    assert len(vocabulary.concepts) >= 100
    missing = [c.id for c in vocabulary.concepts.values() if not c.labels["fr"]]
    assert missing == []
    kinds = {c.kind for c in vocabulary.concepts.values()}
    assert kinds == {"tech", "domain", "partner"}


def test_vocabulary_rejects_unknown_broader_concept() -> None:
    with pytest.raises(VocabularyError, match="unknown broader 'nowhere'"):
        parse_vocabulary("a\ttech\tnowhere\talpha\talpha fr\n")


def test_vocabulary_rejects_cycles() -> None:
    with pytest.raises(VocabularyError, match="cycle"):
        parse_vocabulary("a\ttech\tb\talpha\talpha\nb\ttech\ta\tbeta\tbeta\n")


def test_vocabulary_rejects_rule_on_unknown_concept() -> None:
    with pytest.raises(VocabularyError, match="unknown concept 'ghost'"):
        parse_vocabulary("a\ttech\t\talpha\talpha\nrule\ta\tghost\tcue\n")


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("electronics", "électronique"),
        ("detection", "détection"),
        ("cybersecurity", "cybersécurité"),
        ("robotics", "robotique"),
        ("equipment", "équipement"),
        ("materials", "matériaux"),
        ("simulators", "simulateurs"),
    ],
)
def test_stemmer_folds_english_and_french_cognates(english: str, french: str) -> None:
    assert stem(strip_accents(english)) == stem(strip_accents(french))


def test_detect_language_recognises_french_and_english() -> None:
    assert detect_language("Nous développons des caméras pour la défense") == "fr"
    assert detect_language("We develop cameras for the defence sector") == "en"
    assert detect_language("") == "en"


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("Wir entwickeln Wärmebildkameras und Sensoren für die Polizei.", "thermal_imaging"),
        ("Tarjetas inteligentes y lectores biométricos de huellas.", "biometrics"),
        ("Telecamere a infrarossi per la sorveglianza dei porti.", "thermal_imaging"),
        ("Des capteurs détectent les drones malveillants.", "counter_uas"),
    ],
)
def test_vocabulary_reaches_other_languages_through_word_translations(
    text: str, concept: str
) -> None:
    assert concept in concepts(text)


def test_translation_maps_non_cognates_to_english_stems() -> None:
    from trademission.matching.text import stems

    assert stems("capteurs Sensoren sensori sensors") == ["sens", "sens", "sens", "sens"]
    assert stems("capteurs", translate=False) == ["capt"]
