"""The lexical signal: TF-IDF cosine over stems, with cross-language concept expansion.

Texts are analysed by :func:`trademission.matching.text.stems` (accent-free, stop words of
several languages removed, a stemmer that folds English and French cognates together), plus
word bigrams for phrases. With ``expand=True`` each vocabulary concept found in a text also
adds the stems of its preferred English label: a French "caméra thermique" then shares the
terms "thermal imaging" with an English text, which bridges the language gap for the lexical
signal too (the "lexical only" benchmark variant runs without it).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]  # no stubs in the lock file
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

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

    def _expansion(self, hits: Sequence[ConceptHit]) -> list[str]:
        if not self.expand or self.vocabulary is None:
            return []
        terms: list[str] = []
        for concept in {hit.concept for hit in hits}:
            label = self.vocabulary.concepts[concept].label
            terms.extend(EXPANSION_PREFIX + stem for stem in stems(label))
        return terms

    @staticmethod
    def _analyse_document(document: tuple[str, tuple[str, ...]]) -> list[str]:
        text, expansion = document
        words = stems(text)
        bigrams = [f"{a} {b}" for a, b in itertools.pairwise(words)]
        return [*words, *bigrams, *expansion]

    def _documents(
        self, texts: Sequence[str], hits: Sequence[Sequence[ConceptHit]]
    ) -> list[tuple[str, tuple[str, ...]]]:
        return [(text, tuple(self._expansion(h))) for text, h in zip(texts, hits, strict=True)]

    def fit(self, texts: Sequence[str], hits: Sequence[Sequence[ConceptHit]]) -> sp.csr_matrix:
        """Fit IDF on ``texts`` and return their L2-normalised TF-IDF rows."""
        matrix = self._vectorizer.fit_transform(self._documents(texts, hits))
        self._fitted = True
        return sp.csr_matrix(matrix)

    def transform(
        self, texts: Sequence[str], hits: Sequence[Sequence[ConceptHit]]
    ) -> sp.csr_matrix:
        """TF-IDF rows of new texts with the fitted IDF (unseen terms are ignored)."""
        if not self._fitted:
            raise RuntimeError("LexicalModel.transform called before fit")
        return sp.csr_matrix(self._vectorizer.transform(self._documents(texts, hits)))

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
