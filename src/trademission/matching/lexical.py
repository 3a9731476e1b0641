"""The lexical signal: TF-IDF cosine over stems, with cross-language concept expansion.

Texts are analysed by :func:`trademission.matching.text.stems` (accent-free, stop words of
several languages removed, a stemmer that folds English and French cognates together). Word
bigrams were tried and dropped: no gain on the labelled set, twice the cost. With
``expand=True`` each vocabulary concept found in a text also adds the stems of its preferred
English label: a French "caméra thermique" then shares the
terms "thermal imaging" with an English text, which bridges the language gap for the lexical
signal too (the "lexical only" benchmark variant runs without it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]  # no stubs in the lock file
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

from trademission.matching.concepts import Annotation
from trademission.matching.text import stems
from trademission.matching.vocabulary import ConceptHit, Vocabulary

EXPANSION_PREFIX = "x:"


class LexicalModel:
    """A TF-IDF model fitted on all profile texts of a run."""

    def __init__(self, vocabulary: Vocabulary | None = None, *, expand: bool = True) -> None:
        self.vocabulary = vocabulary
        self.expand = expand and vocabulary is not None
        self._vectorizer = TfidfVectorizer(
            analyzer=self._analyse_document, sublinear_tf=True, min_df=1, dtype=np.float32
        )
        self._fitted = False
        self._idf: dict[str, float] | None = None
        self._label_cache: dict[str, tuple[str, ...]] = {}

    def _expansion(self, hits: Sequence[ConceptHit]) -> tuple[str, ...]:
        if not self.expand or self.vocabulary is None:
            return ()
        terms: list[str] = []
        for concept in sorted({hit.concept for hit in hits}):
            terms.extend(self._label_terms(concept))
        return tuple(terms)

    def _label_terms(self, concept: str) -> tuple[str, ...]:
        cached = self._label_cache.get(concept)
        if cached is None:
            assert self.vocabulary is not None
            label = self.vocabulary.concepts[concept].label
            cached = tuple(EXPANSION_PREFIX + stem for stem in stems(label))
            self._label_cache[concept] = cached
        return cached

    @staticmethod
    def _analyse_document(document: tuple[tuple[str, ...], tuple[str, ...]]) -> list[str]:
        words, expansion = document
        return [*words, *expansion]

    def _documents(
        self, annotations: Sequence[Annotation]
    ) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        return [(a.stems, self._expansion(a.topical)) for a in annotations]

    def fit(self, annotations: Sequence[Annotation]) -> sp.csr_matrix:
        """Fit IDF on the annotated texts and return their L2-normalised TF-IDF rows."""
        matrix = self._vectorizer.fit_transform(self._documents(annotations))
        self._fitted = True
        return sp.csr_matrix(matrix)

    def transform(self, annotations: Sequence[Annotation]) -> sp.csr_matrix:
        """TF-IDF rows of new texts with the fitted IDF (unseen terms are ignored)."""
        if not self._fitted:
            raise RuntimeError("LexicalModel.transform called before fit")
        return sp.csr_matrix(self._vectorizer.transform(self._documents(annotations)))

    def term_weights(self) -> dict[str, float]:
        """The IDF of every term seen at fit time (used to order shared words)."""
        if not self._fitted:
            return {}
        if self._idf is None:
            idf = self._vectorizer.idf_
            self._idf = {
                term: float(idf[col]) for term, col in self._vectorizer.vocabulary_.items()
            }
        return self._idf
