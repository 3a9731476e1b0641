"""Explanations: why a stakeholder was recommended for an SME, in words.

An explanation lists the concepts both profiles share — directly, or through a broader concept
("thermal imaging" on one side and "infrared sensor" on the other meet at "imaging") — with the
phrases of each text that triggered them, the words the two texts share, the partner-type fit,
the shared languages, and the signal values that made the score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from trademission.matching.scoring import Signals
from trademission.matching.text import Token, tokenize
from trademission.matching.vocabulary import ConceptHit, Vocabulary

if TYPE_CHECKING:
    from trademission.matching.rank import Recommender

MAX_CONCEPTS = 5
# Concepts contributing less than this share of the strongest one are left out of the
# explanation (a remote broader concept shared by a word on each side says nothing).
MIN_SHARE = 0.15
MAX_TERMS = 5


@dataclass(frozen=True, slots=True)
class ConceptMatch:
    """A concept that contributes to the concept similarity of a pair."""

    concept: str
    label: str
    contribution: float
    sme_phrases: tuple[str, ...]
    stakeholder_phrases: tuple[str, ...]
    direct: bool


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why one pair was scored as it was."""

    sme: str
    stakeholder: str
    score: float
    signals: dict[str, float | None]
    concepts: tuple[ConceptMatch, ...]
    shared_terms: tuple[str, ...]
    partner_fit: float
    sme_seeks: tuple[str, ...]
    stakeholder_types: tuple[str, ...]
    languages: tuple[str, ...]
    wish: bool

    def text(self) -> str:
        """A sentence or three an advisor can read."""
        parts = []
        if self.wish:
            parts.append("Requested by the advisor (wish).")
        if self.concepts:
            parts.append("Shared concepts: " + "; ".join(_describe(c) for c in self.concepts) + ".")
        if self.shared_terms:
            parts.append("Common words: " + ", ".join(self.shared_terms) + ".")
        parts.append(self._partner_sentence())
        if self.languages:
            parts.append("Common language: " + ", ".join(self.languages) + ".")
        else:
            parts.append("No common language.")
        return " ".join(parts)

    def _partner_sentence(self) -> str:
        if not self.sme_seeks:
            return "The SME did not say which kind of partner it seeks."
        if not self.stakeholder_types:
            return "The stakeholder's kind of organisation is unknown."
        seeks, types = ", ".join(self.sme_seeks), ", ".join(self.stakeholder_types)
        if self.partner_fit >= 1.0:
            return f"Partner type fits: the SME seeks {seeks}; the stakeholder is {types}."
        if self.partner_fit > 0.5:
            return f"Partner type is related: the SME seeks {seeks}; the stakeholder is {types}."
        return f"Partner type differs: the SME seeks {seeks}; the stakeholder is {types}."

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "wish": self.wish,
            "signals": {k: None if v is None else round(v, 4) for k, v in self.signals.items()},
            "concepts": [
                {
                    "concept": c.concept,
                    "label": c.label,
                    "direct": c.direct,
                    "contribution": round(c.contribution, 4),
                    "sme_phrases": list(c.sme_phrases),
                    "stakeholder_phrases": list(c.stakeholder_phrases),
                }
                for c in self.concepts
            ],
            "shared_terms": list(self.shared_terms),
            "partner_type": {
                "fit": self.partner_fit,
                "sme_seeks": list(self.sme_seeks),
                "stakeholder_types": list(self.stakeholder_types),
            },
            "languages": list(self.languages),
            "text": self.text(),
        }


def _describe(match: ConceptMatch) -> str:
    sme = ", ".join(f"“{p}”" for p in match.sme_phrases)
    stakeholder = ", ".join(f"“{p}”" for p in match.stakeholder_phrases)
    relation = "" if match.direct else " (related)"
    return f"{match.label}{relation} — SME: {sme}; stakeholder: {stakeholder}"


def _phrases_by_concept(
    vocabulary: Vocabulary, hits: tuple[ConceptHit, ...]
) -> tuple[dict[str, list[str]], set[str]]:
    """Phrases that support each concept (directly or through a narrower one)."""
    phrases: dict[str, list[str]] = defaultdict(list)
    direct = set()
    for hit in hits:
        direct.add(hit.concept)
        for concept in (hit.concept, *vocabulary.ancestors(hit.concept)):
            if hit.phrase not in phrases[concept]:
                phrases[concept].append(hit.phrase)
    return phrases, direct


def concept_matches(
    vocabulary: Vocabulary,
    sme_hits: tuple[ConceptHit, ...],
    stakeholder_hits: tuple[ConceptHit, ...],
    contributions: dict[str, float],
) -> tuple[ConceptMatch, ...]:
    """The concepts with the largest contribution, with the phrases on each side."""
    sme_phrases, sme_direct = _phrases_by_concept(vocabulary, sme_hits)
    st_phrases, st_direct = _phrases_by_concept(vocabulary, stakeholder_hits)
    ranked = sorted(contributions.items(), key=lambda item: (-item[1], item[0]))
    matches = []
    strongest = ranked[0][1] if ranked else 0.0
    for concept, contribution in ranked[:MAX_CONCEPTS]:
        if contribution <= 0 or contribution < MIN_SHARE * strongest:
            break
        matches.append(
            ConceptMatch(
                concept=concept,
                label=vocabulary.concepts[concept].label,
                contribution=contribution,
                sme_phrases=tuple(sme_phrases[concept][:3]),
                stakeholder_phrases=tuple(st_phrases[concept][:3]),
                direct=concept in sme_direct and concept in st_direct,
            )
        )
    return tuple(matches)


def shared_terms(
    sme_text: str,
    sme_tokens: Sequence[Token],
    other: set[str] | frozenset[str],
    weight: dict[str, float],
) -> tuple[str, ...]:
    """Words of the SME text whose stem also occurs on the other side, weightiest first."""
    surface: dict[str, str] = {}
    for token in sme_tokens:
        if token.stem in other and token.stem not in surface:
            surface[token.stem] = sme_text[token.start : token.end]
    ranked = sorted(surface, key=lambda stem: (-weight.get(stem, 0.0), stem))
    return tuple(surface[stem] for stem in ranked[:MAX_TERMS])


def explain_pairs(
    recommender: Recommender, sme: str, stakeholders: Sequence[str]
) -> list[Explanation]:
    """Explanations of ``stakeholders`` for ``sme``, with the signals computed in one block."""
    rec = recommender
    i = rec.smes.position[sme]
    cols = np.array([rec.stakeholders.position[s] for s in stakeholders], dtype=np.int64)
    rows = np.array([i], dtype=np.int64)
    signals, scores = rec.signals(rows, cols), rec.scores(rows, cols)[0]
    products = rec.smes.concepts[i][None, :] * rec.stakeholders.concepts[cols]
    sme_tokens = tokenize(rec.smes.texts[i])
    weights = rec.lexical_model.term_weights() if rec.lexical_model else {}
    seeks = _labels(rec.vocabulary, rec.smes.partner_sets[i])
    out = []
    for k, stakeholder in enumerate(stakeholders):
        j = int(cols[k])
        out.append(
            Explanation(
                sme=sme,
                stakeholder=stakeholder,
                score=float(scores[k]),
                signals=_signal_values(rec, signals, k),
                concepts=_shared_concepts(rec, i, j, products[k]),
                shared_terms=shared_terms(
                    rec.smes.texts[i],
                    sme_tokens,
                    set(rec.stakeholders.annotations[j].stems),
                    weights,
                ),
                partner_fit=float(signals.partner_fit[0, k]),
                sme_seeks=seeks,
                stakeholder_types=_labels(rec.vocabulary, rec.stakeholders.partner_sets[j]),
                languages=tuple(
                    sorted(rec.smes.language_sets[i] & rec.stakeholders.language_sets[j])
                ),
                wish=(sme, stakeholder) in rec.wishes,
            )
        )
    return out


def _shared_concepts(
    rec: Recommender, i: int, j: int, products: NDArray[np.float32]
) -> tuple[ConceptMatch, ...]:
    """The concepts SME ``i`` and stakeholder ``j`` share; ``products``: their vectors' product."""
    if not rec.options.concepts:
        return ()
    contributions = {rec.space.ids[c]: float(products[c]) for c in np.nonzero(products > 0)[0]}
    return concept_matches(
        rec.vocabulary,
        rec.smes.annotations[i].topical,
        rec.stakeholders.annotations[j].topical,
        contributions,
    )


def _signal_values(rec: Recommender, signals: Signals, k: int) -> dict[str, float | None]:
    return {
        "concepts": float(signals.concepts[0, k]) if rec.options.concepts else None,
        "lexical": float(signals.lexical[0, k]) if rec.options.lexical else None,
        "semantic": None if signals.semantic is None else float(signals.semantic[0, k]),
        "partner_fit": float(signals.partner_fit[0, k]),
        "shared_language": float(signals.shared_language[0, k]),
    }


def _labels(vocabulary: Vocabulary, concepts: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(vocabulary.concepts[c].label for c in concepts))
