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
import scipy.sparse as sp  # type: ignore[import-untyped]  # no stubs in the lock file
from numpy.typing import NDArray

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


def annotate(vocabulary: Vocabulary, text: str) -> Annotation:
    hits = vocabulary.annotate(text)
    topical = tuple(h for h in hits if vocabulary.kind(h.concept) != "partner")
    partner = tuple(h for h in hits if vocabulary.kind(h.concept) == "partner")
    return Annotation(topical, partner)


def raw_concept_weights(vocabulary: Vocabulary, hits: Sequence[ConceptHit]) -> dict[str, float]:
    """Concept weights of one profile before IDF: mentions, hierarchy, kind."""
    counts = Counter(hit.concept for hit in hits)
    weights: dict[str, float] = {}
    for concept, count in counts.items():
        base = 1.0 + math.log(count)
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

    def matrix(self, rows: Sequence[dict[int, float]]) -> sp.csr_matrix:
        indptr, indices, data = [0], [], []
        for row in rows:
            for column in sorted(row):
                indices.append(column)
                data.append(row[column])
            indptr.append(len(indices))
        return sp.csr_matrix(
            (
                np.asarray(data, dtype=np.float32),
                np.asarray(indices, dtype=np.int32),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(rows), len(self.ids)),
        )


class PartnerTypes:
    """Partner-type concepts as columns, with their compatibility."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.ids = sorted(
            c for c, concept in vocabulary.concepts.items() if concept.kind == "partner"
        )
        self.column = {cid: index for index, cid in enumerate(self.ids)}
        size = len(self.ids)
        self.compat = np.eye(size, dtype=np.float32)
        for cid in self.ids:
            for parent in vocabulary.ancestors(cid):
                if parent in self.column:
                    a, b = self.column[cid], self.column[parent]
                    self.compat[a, b] = self.compat[b, a] = RELATED_FIT

    def sought(self, phrases: Sequence[str]) -> frozenset[str]:
        """Partner types named by an SME's ``partner_types_sought`` entries."""
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


def partner_fit_matrix(
    types: PartnerTypes, sought: NDArray[np.float32], offered: NDArray[np.float32]
) -> NDArray[np.float32]:
    """Fit of every (SME, stakeholder) pair; ``sought``/``offered`` are indicator matrices."""
    compat_offered = np.zeros_like(offered)
    for column in range(offered.shape[1]):
        # For each sought type a, the best compatibility of the stakeholder's types with a.
        compat_offered[:, column] = (offered * types.compat[column][None, :]).max(axis=1)
    fit = np.zeros((sought.shape[0], offered.shape[0]), dtype=np.float32)
    for column in range(sought.shape[1]):
        np.maximum(fit, np.outer(sought[:, column], compat_offered[:, column]), out=fit)
    unknown_sme = sought.sum(axis=1) == 0
    unknown_st = offered.sum(axis=1) == 0
    fit[unknown_sme, :] = UNKNOWN_FIT
    fit[:, unknown_st] = UNKNOWN_FIT
    return fit
