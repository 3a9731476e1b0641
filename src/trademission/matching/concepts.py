"""The vocabulary signal: profiles as weighted concept vectors, and partner types.

Each profile text is annotated with the vocabulary. Technology and application-domain concepts
become a vector: a mentioned concept weighs ``1 + log(mentions)``, each broader concept gets
``BROADER_DECAY ** depth`` of that (partial credit for related concepts: "thermal camera" and
"infrared sensor" share "imaging"/"sensors"), domains weigh ``DOMAIN_WEIGHT`` of a technology,
and every concept is multiplied by its inverse document frequency over all profiles so that
"defence", which nearly everybody mentions, counts less than "sonar". Vectors are L2-normalised,
so the concept similarity of a pair is the cosine of the two vectors, in [0, 1].

Partner types (the ``partner`` kind) do not enter that vector: they are read from a
stakeholder's ``type`` (or, failing that, its description) and from the SME's
``partner_types_sought``, and compared by :func:`partner_fit_matrix`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from trademission.matching.text import tokenize
from trademission.matching.vocabulary import ConceptHit, Vocabulary

DOMAIN_WEIGHT = 0.6
# Partner-type fit when the SME asked for nothing or the stakeholder's type is unknown.
UNKNOWN_FIT = 0.5
# Fit when the stakeholder's type is a narrower or broader type than the one sought
# (e.g. a prime contractor for an SME that asked for integrators).
RELATED_FIT = 0.8


@dataclass(frozen=True, slots=True)
class Annotation:
    """The concept hits of one profile, split by kind."""

    topical: tuple[ConceptHit, ...]
    partner: tuple[ConceptHit, ...]
    stems: tuple[str, ...]


def annotate(vocabulary: Vocabulary, text: str, *, translate: bool = True) -> Annotation:
    """Tokenise ``text`` once and find its concepts; the stems feed the lexical signal."""
    tokens = tokenize(text, translate=translate)
    hits = vocabulary.annotate(text, tokens)
    topical = tuple(h for h in hits if vocabulary.kind(h.concept) != "partner")
    partner = tuple(h for h in hits if vocabulary.kind(h.concept) == "partner")
    return Annotation(topical, partner, tuple(token.stem for token in tokens))


def raw_concept_weights(vocabulary: Vocabulary, hits: Sequence[ConceptHit]) -> dict[str, float]:
    """Concept weights of one profile before IDF: mentions, hierarchy, kind."""
    counts = Counter(hit.concept for hit in hits)
    strength: dict[str, float] = {}
    for hit in hits:
        strength[hit.concept] = max(strength.get(hit.concept, 0.0), hit.strength)
    weights: dict[str, float] = {}
    for concept, count in counts.items():
        base = (1.0 + math.log(count)) * strength[concept]
        if vocabulary.kind(concept) == "domain":
            base *= DOMAIN_WEIGHT
        weights[concept] = max(weights.get(concept, 0.0), base)
        for parent, credit in vocabulary.ancestors(concept).items():
            weights[parent] = max(weights.get(parent, 0.0), base * credit)
    return weights


class ConceptSpace:
    """Maps concept ids to columns and holds the IDF of each concept."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.ids = sorted(
            c for c, concept in vocabulary.concepts.items() if concept.kind != "partner"
        )
        self.column = {cid: index for index, cid in enumerate(self.ids)}
        self.idf = np.ones(len(self.ids), dtype=np.float64)

    def fit_idf(self, profiles: Sequence[dict[str, float]]) -> None:
        """Inverse document frequency of each concept over ``profiles`` (smoothed)."""
        df = np.zeros(len(self.ids), dtype=np.float64)
        for weights in profiles:
            for concept in weights:
                df[self.column[concept]] += 1
        n = max(len(profiles), 1)
        self.idf = np.log((n + 1) / (df + 1)) + 1.0

    def vector(self, weights: dict[str, float]) -> dict[int, float]:
        """The normalised sparse vector (column → value) of one profile."""
        row = {self.column[c]: w * float(self.idf[self.column[c]]) for c, w in weights.items()}
        norm = math.sqrt(sum(v * v for v in row.values()))
        return {k: v / norm for k, v in row.items()} if norm else {}

    def matrix(self, rows: Sequence[dict[int, float]]) -> NDArray[np.float32]:
        """Dense rows: the concept space is small (about a hundred columns)."""
        out = np.zeros((len(rows), len(self.ids)), dtype=np.float32)
        for index, row in enumerate(rows):
            for column, value in row.items():
                out[index, column] = value
        return out


class PartnerTypes:
    """Partner-type concepts as columns, with their compatibility."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.ids = sorted(
            c for c, concept in vocabulary.concepts.items() if concept.kind == "partner"
        )
        self.column = {cid: index for index, cid in enumerate(self.ids)}
        size = len(self.ids)
        self._cache: dict[tuple[str, ...], frozenset[str]] = {}
        self.compat = np.eye(size, dtype=np.float32)
        for cid in self.ids:
            for parent in vocabulary.ancestors(cid):
                if parent in self.column:
                    a, b = self.column[cid], self.column[parent]
                    self.compat[a, b] = self.compat[b, a] = RELATED_FIT

    def sought(self, phrases: Sequence[str]) -> frozenset[str]:
        """Partner types named by an SME's ``partner_types_sought`` entries."""
        key = tuple(phrases)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._find(phrases)
        return cached

    def _find(self, phrases: Sequence[str]) -> frozenset[str]:
        found: set[str] = set()
        for phrase in phrases:
            found.update(
                h.concept for h in self.vocabulary.annotate(phrase) if h.concept in self.column
            )
        return frozenset(found)

    def of_stakeholder(self, type_text: str, annotation: Annotation) -> frozenset[str]:
        """A stakeholder's types: from its ``type`` field, else its description's first."""
        if type_text:
            declared = self.sought([type_text])
            if declared:
                return declared
        if annotation.partner:
            return frozenset({annotation.partner[0].concept})
        return frozenset()

    def fit(self, sought: frozenset[str], types: frozenset[str]) -> float:
        """Partner-type fit of one pair in [0, 1]."""
        if not sought or not types:
            return UNKNOWN_FIT
        return float(
            max(self.compat[self.column[a], self.column[b]] for a in sought for b in types)
        )

    def indicator(self, rows: Sequence[frozenset[str]]) -> NDArray[np.float32]:
        out = np.zeros((len(rows), len(self.ids)), dtype=np.float32)
        for index, types in enumerate(rows):
            for cid in types:
                out[index, self.column[cid]] = 1.0
        return out


def offered_compat(types: PartnerTypes, offered: NDArray[np.float32]) -> NDArray[np.float32]:
    """``out[j, a]``: how well stakeholder ``j``'s types answer a request for type ``a``.

    Rows of stakeholders with no known type are all zero (see :func:`partner_fit_matrix`).
    """
    return np.asarray(
        (offered[:, None, :] * types.compat[None, :, :]).max(axis=2), dtype=np.float32
    )


def partner_fit_matrix(
    sought: NDArray[np.float32], compat: NDArray[np.float32], offered: NDArray[np.float32]
) -> NDArray[np.float32]:
    """Fit of every (SME, stakeholder) pair.

    ``sought`` and ``offered`` are indicator matrices of partner types, ``compat`` is
    :func:`offered_compat` of ``offered``. SMEs ask for a handful of distinct combinations of
    partner types, so the fit is computed once per distinct combination and gathered.
    """
    # Each row's set of sought types as a bit mask, so that unique() works on integers.
    masks = (sought > 0).astype(np.int64) @ (np.int64(1) << np.arange(sought.shape[1]))
    _, first, inverse = np.unique(masks, return_index=True, return_inverse=True)
    patterns = sought[first]
    per_pattern = np.zeros((patterns.shape[0], compat.shape[0]), dtype=np.float32)
    for column in range(sought.shape[1]):
        np.maximum(per_pattern, np.outer(patterns[:, column], compat[:, column]), out=per_pattern)
    per_pattern[patterns.sum(axis=1) == 0, :] = UNKNOWN_FIT
    fit = per_pattern[inverse.reshape(-1)]
    fit[:, offered.sum(axis=1) == 0] = UNKNOWN_FIT
    return np.asarray(fit, dtype=np.float32)
