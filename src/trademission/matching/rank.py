"""The recommender: features of both sides, scores by blocks, top-k in both directions.

Scores are computed for blocks of stakeholders against all SMEs at once (sparse products for
the concept and lexical signals, small dense products for partner types and languages), and
each block updates the running top-k of every SME and yields the top-k of its stakeholders, so
memory stays bounded at ``SMEs × BLOCK`` floats whatever the number of stakeholders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]  # no stubs in the lock file
from numpy.typing import NDArray

from trademission.matching.concepts import (
    Annotation,
    ConceptSpace,
    PartnerTypes,
    annotate,
    offered_compat,
    partner_fit_matrix,
    raw_concept_weights,
)
from trademission.matching.explain import Explanation, explain_pairs
from trademission.matching.features import (
    RowFeatures,
    SideFeatures,
    language_indicator,
    profile_languages,
    upsert_row,
)
from trademission.matching.lexical import LexicalModel
from trademission.matching.parallel import default_workers, fork_map, split
from trademission.matching.profiles import ProfileSet, SmeProfile, StakeholderProfile
from trademission.matching.scoring import WISH_BONUS, Signals, Weights, combine
from trademission.matching.semantic import SemanticModel
from trademission.matching.topk import RankState, top_k_columns, top_k_rows
from trademission.matching.vocabulary import Vocabulary, load_vocabulary

BLOCK = 2048
Profile = SmeProfile | StakeholderProfile


@dataclass(frozen=True, slots=True)
class Options:
    """Which signals to use and how to weigh them."""

    concepts: bool = True
    lexical: bool = True
    expand: bool = True
    semantic: bool = False
    # Translate foreign words without an English cognate (data/translations.tsv).
    translate: bool = True
    weights: Weights = field(default_factory=Weights)
    # Worker processes for large runs (None: the available cores, at most 4), and the sizes
    # from which work is spread over them. Annotations are large to send back from a worker
    # (measured: no gain at 22,000 texts on 2 cores), scores are not (top-k arrays only).
    workers: int | None = None
    parallel_texts: int = 50_000
    parallel_pairs: int = 4_000_000


class Recommendation(NamedTuple):
    """One ranked counterpart (a named tuple: large runs create hundreds of thousands)."""

    sme: str
    stakeholder: str
    score: float
    wish: bool = False


@dataclass(frozen=True, slots=True)
class Rankings:
    """Top-k in both directions, best first (mappings of id → list of recommendations).

    The lists are built when first read: a brokerage-scale run has hundreds of thousands.
    """

    sme_to_stakeholders: Mapping[str, list[Recommendation]]
    stakeholder_to_smes: Mapping[str, list[Recommendation]]


class _LazyLists(Mapping[str, list[Recommendation]]):
    """id → recommendations, materialised per id on first access."""

    def __init__(self, ids: list[str], build: Callable[[int], list[Recommendation]]) -> None:
        self._ids = ids
        self._index = {pid: i for i, pid in enumerate(ids)}
        self._build = build
        self._cache: dict[int, list[Recommendation]] = {}

    def __getitem__(self, key: str) -> list[Recommendation]:
        index = self._index[key]
        if index not in self._cache:
            self._cache[index] = self._build(index)
        return self._cache[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __repr__(self) -> str:
        return f"<{len(self)} ranked lists>"


class Recommender:
    """Ranks stakeholders for SMEs and SMEs for stakeholders (see docs/matching.md)."""

    def __init__(
        self,
        profiles: ProfileSet,
        *,
        options: Options | None = None,
        vocabulary: Vocabulary | None = None,
        semantic_model: SemanticModel | None = None,
    ) -> None:
        self.options = options or Options()
        self.vocabulary = vocabulary or load_vocabulary()
        self.space = ConceptSpace(self.vocabulary)
        self.types = PartnerTypes(self.vocabulary)
        self.lexical_model = (
            LexicalModel(self.vocabulary, expand=self.options.expand)
            if self.options.lexical
            else None
        )
        self.semantic_model = (semantic_model or SemanticModel()) if self.options.semantic else None
        self.sme_profiles = {p.id: p for p in profiles.smes}
        self.stakeholder_profiles = {p.id: p for p in profiles.stakeholders}
        self.wishes = {(w.sme, w.stakeholder) for w in profiles.wishes}
        self.exclusions = {(x.sme, x.stakeholder) for x in profiles.exclusions}
        self.smes, self.stakeholders = self._build(profiles.smes, profiles.stakeholders)
        self._offered = offered_compat(self.types, self.stakeholders.partner)
        self._state: RankState | None = None

    # ------------------------------------------------------------------ features
    def _build(
        self, smes: Sequence[SmeProfile], stakeholders: Sequence[StakeholderProfile]
    ) -> tuple[SideFeatures, SideFeatures]:
        texts = [p.text for p in smes] + [p.text for p in stakeholders]
        annotations = self._annotate_all(texts)
        weights = [raw_concept_weights(self.vocabulary, a.topical) for a in annotations]
        self.space.fit_idf(weights)
        concepts = self.space.matrix([self.space.vector(w) for w in weights])
        lexical = self.lexical_model.fit(annotations) if self.lexical_model else None
        semantic = self.semantic_model.encode(texts) if self.semantic_model else None
        partner_sets = [self.types.sought(p.partner_types_sought) for p in smes] + [
            self.types.of_stakeholder(p.type, a)
            for p, a in zip(stakeholders, annotations[len(smes) :], strict=True)
        ]
        language_sets = [profile_languages(p.languages, p.description) for p in smes] + [
            profile_languages(p.languages, p.description) for p in stakeholders
        ]
        self.language_codes = sorted(set().union(*language_sets)) if language_sets else []
        cut = len(smes)
        sides = []
        for rows, profiles in ((slice(0, cut), smes), (slice(cut, None), stakeholders)):
            sides.append(
                SideFeatures(
                    ids=[p.id for p in profiles],
                    texts=texts[rows],
                    annotations=annotations[rows],
                    concept_weights=weights[rows],
                    concepts=concepts[rows],
                    lexical=None if lexical is None else sp.csr_matrix(lexical[rows]),
                    semantic=None if semantic is None else semantic[rows],
                    partner_sets=partner_sets[rows],
                    partner=self.types.indicator(partner_sets[rows]),
                    language_sets=language_sets[rows],
                    languages=language_indicator(language_sets[rows], self.language_codes),
                )
            )
        return sides[0], sides[1]

    def _workers(self, work: int, threshold: int) -> int:
        if work < threshold:
            return 1
        return self.options.workers or default_workers()

    def _annotate_all(self, texts: list[str]) -> list[Annotation]:
        workers = self._workers(len(texts), self.options.parallel_texts)
        chunks = split(len(texts), workers)
        shared = {
            "vocabulary": self.vocabulary,
            "texts": texts,
            "translate": self.options.translate,
        }
        return [a for part in fork_map(_annotate_chunk, chunks, shared, workers) for a in part]

    def _row_features(self, profile: Profile) -> RowFeatures:
        annotation = annotate(self.vocabulary, profile.text, translate=self.options.translate)
        weights = raw_concept_weights(self.vocabulary, annotation.topical)
        if isinstance(profile, SmeProfile):
            partner_set = self.types.sought(profile.partner_types_sought)
        else:
            partner_set = self.types.of_stakeholder(profile.type, annotation)
        languages = profile_languages(profile.languages, profile.description)
        return RowFeatures(
            id=profile.id,
            text=profile.text,
            annotation=annotation,
            concept_weights=weights,
            concepts=self.space.matrix([self.space.vector(weights)])[0],
            lexical=(self.lexical_model.transform([annotation]) if self.lexical_model else None),
            semantic=(
                self.semantic_model.encode([profile.text])[0] if self.semantic_model else None
            ),
            partner_set=partner_set,
            partner=self.types.indicator([partner_set])[0],
            language_set=languages,
            languages=language_indicator([languages], self.language_codes)[0],
        )

    # ------------------------------------------------------------------ scores
    def signals(self, rows: NDArray[np.int64], cols: NDArray[np.int64]) -> Signals:
        """All signals for SMEs ``rows`` × stakeholders ``cols``."""
        a, b = self.smes, self.stakeholders
        r, c = _as_slice(rows), _as_slice(cols)
        shape = (len(rows), len(cols))
        concepts = (
            a.concepts[r] @ b.concepts[c].T
            if self.options.concepts
            else np.zeros(shape, dtype=np.float32)
        )
        lexical = np.zeros(shape, dtype=np.float32)
        if a.lexical is not None and b.lexical is not None:
            # Transposing costs a conversion of the transposed side: transpose the smaller.
            if len(rows) < len(cols):
                lexical = (b.lexical[c] @ a.lexical[r].T).T.toarray()
            else:
                lexical = (a.lexical[r] @ b.lexical[c].T).toarray()
        semantic = None
        if a.semantic is not None and b.semantic is not None:
            semantic = np.clip(a.semantic[r] @ b.semantic[c].T, 0.0, 1.0)
        language = (a.languages[r] @ b.languages[c].T > 0).astype(np.float32)
        fit = partner_fit_matrix(a.partner[r], self._offered[c], b.partner[c])
        return Signals(
            np.asarray(concepts, dtype=np.float32),
            np.asarray(lexical, dtype=np.float32),
            semantic,
            fit,
            language,
        )

    def _weights(self) -> Weights:
        w = self.options.weights
        return Weights(
            concepts=w.concepts if self.options.concepts else 0.0,
            lexical=w.lexical if self.options.lexical else 0.0,
            semantic=w.semantic,
            partner=w.partner,
            language=w.language,
        )

    def scores(self, rows: NDArray[np.int64], cols: NDArray[np.int64]) -> NDArray[np.float32]:
        """Final scores for a block, with wishes lifted and exclusions set to -1."""
        score = combine(self.signals(rows, cols), self._weights())
        pairs = [(s, t, WISH_BONUS) for s, t in self.wishes] + [
            (s, t, None) for s, t in self.exclusions
        ]
        if pairs:
            self._adjust(score, rows, cols, pairs)
        return score

    def _adjust(
        self,
        score: NDArray[np.float32],
        rows: NDArray[np.int64],
        cols: NDArray[np.int64],
        pairs: Iterable[tuple[str, str, float | None]],
    ) -> None:
        row_at = {int(r): k for k, r in enumerate(rows)}
        col_at = {int(c): k for k, c in enumerate(cols)}
        for sme, stakeholder, bonus in pairs:
            i = row_at.get(self.smes.position.get(sme, -1))
            j = col_at.get(self.stakeholders.position.get(stakeholder, -1))
            if i is None or j is None:
                continue
            score[i, j] = -1.0 if bonus is None else score[i, j] + bonus

    # ------------------------------------------------------------------ ranking
    def rank(self, top_k: int = 20) -> Rankings:
        """Top-``top_k`` stakeholders of every SME and SMEs of every stakeholder."""
        n, m = len(self.smes), len(self.stakeholders)
        state = RankState.empty(n, m, top_k)
        workers = self._workers(n * m, self.options.parallel_pairs)
        chunks = split(m, workers) if m else []
        shared = {"recommender": self, "k": top_k}
        for chunk, part in zip(chunks, fork_map(_rank_chunk, chunks, shared, workers), strict=True):
            state.merge_candidates(part.row_idx, part.row_score)
            state.col_idx[chunk.start : chunk.stop] = part.col_idx
            state.col_score[chunk.start : chunk.stop] = part.col_score
            state.col_complete[chunk.start : chunk.stop] = part.col_complete
        self._state = state
        return self._rankings()

    def rank_columns(self, start: int, stop: int, k: int) -> RankState:
        """Top-k of every SME among stakeholders ``start:stop``, and those stakeholders' top-k."""
        n = len(self.smes)
        state = RankState.empty(n, stop - start, k)
        all_rows = np.arange(n, dtype=np.int64)
        for first in range(start, stop, BLOCK):
            cols = np.arange(first, min(stop, first + BLOCK), dtype=np.int64)
            block = self.scores(all_rows, cols)
            state.merge_rows(block, cols)
            state.set_columns(cols - start, *top_k_columns(block, state.capacity))
        return state

    def _rankings(self) -> Rankings:
        assert self._state is not None
        state = self._state
        # Frozen copies: later updates must not change rankings already handed out.
        k = state.k
        row_idx, row_score = state.row_idx[:, :k].copy(), _rounded(state.row_score[:, :k])
        col_idx, col_score = state.col_idx[:, :k].copy(), _rounded(state.col_score[:, :k])
        return Rankings(
            _LazyLists(
                list(self.smes.ids),
                lambda i: self._listed(i, row_idx[i].tolist(), row_score[i].tolist(), forward=True),
            ),
            _LazyLists(
                list(self.stakeholders.ids),
                lambda j: self._listed(
                    j, col_idx[j].tolist(), col_score[j].tolist(), forward=False
                ),
            ),
        )

    def _listed(
        self, own: int, others: list[int], scores: list[float], *, forward: bool
    ) -> list[Recommendation]:
        wishes = self.wishes
        out = []
        for other, score in zip(others, scores, strict=True):
            if other < 0 or score <= 0:
                continue
            sme = self.smes.ids[own if forward else other]
            stakeholder = self.stakeholders.ids[other if forward else own]
            out.append(
                Recommendation(
                    sme, stakeholder, score, bool(wishes) and (sme, stakeholder) in wishes
                )
            )
        return out

    def _recommendation(self, i: int, j: int, score: float) -> Recommendation:
        sme, stakeholder = self.smes.ids[i], self.stakeholders.ids[j]
        wish = (sme, stakeholder) in self.wishes
        return Recommendation(sme, stakeholder, round(float(score), 6), wish)

    # ------------------------------------------------------------------ updates
    def update_sme(self, profile: SmeProfile) -> list[Recommendation]:
        """Add or replace one SME and re-rank it; keeps stakeholders' rankings exact."""
        state = self._require_state()
        self.sme_profiles[profile.id] = profile
        i = upsert_row(self.smes, self._row_features(profile))
        state.grow_rows(len(self.smes))
        scores = self.scores(
            np.array([i], dtype=np.int64), np.arange(len(self.stakeholders), dtype=np.int64)
        )[0]
        refill = state.update_row(i, scores)
        if refill.size:
            block = self.scores(np.arange(len(self.smes), dtype=np.int64), refill)
            state.set_columns(refill, *top_k_columns(block, state.capacity))
        return [self._recommendation(i, j, s) for j, s in state.row_list(i)]

    def update_stakeholder(self, profile: StakeholderProfile) -> list[Recommendation]:
        """Add or replace one stakeholder and re-rank it; keeps SMEs' rankings exact."""
        state = self._require_state()
        self.stakeholder_profiles[profile.id] = profile
        j = upsert_row(self.stakeholders, self._row_features(profile))
        row = offered_compat(self.types, self.stakeholders.partner[j : j + 1])
        self._offered = np.vstack([self._offered[:j], row, self._offered[j + 1 :]])
        state.grow_columns(len(self.stakeholders))
        scores = self.scores(
            np.arange(len(self.smes), dtype=np.int64), np.array([j], dtype=np.int64)
        )[:, 0]
        refill = state.update_column(j, scores)
        if refill.size:
            block = self.scores(refill, np.arange(len(self.stakeholders), dtype=np.int64))
            state.set_rows(refill, *top_k_rows(block, state.capacity))
        return [self._recommendation(i, j, s) for i, s in state.column_list(j)]

    def _require_state(self) -> RankState:
        if self._state is None:
            self.rank()
        assert self._state is not None
        return self._state

    def rankings(self) -> Rankings:
        """The current rankings (computing them if needed)."""
        self._require_state()
        return self._rankings()

    # ------------------------------------------------------------------ explanations
    def explain(self, sme: str, stakeholder: str) -> Explanation:
        """Why ``stakeholder`` scores as it does for ``sme`` (raises KeyError if unknown)."""
        return explain_pairs(self, sme, [stakeholder])[0]

    def explain_many(self, sme: str, stakeholders: Sequence[str]) -> list[Explanation]:
        """Explanations of several stakeholders for one SME, computed together (faster)."""
        return explain_pairs(self, sme, stakeholders)


def _annotate_chunk(shared: dict[str, Any], chunk: range) -> list[Annotation]:
    vocabulary, texts, translate = shared["vocabulary"], shared["texts"], shared["translate"]
    return [annotate(vocabulary, texts[i], translate=translate) for i in chunk]


def _rank_chunk(shared: dict[str, Any], chunk: range) -> RankState:
    recommender: Recommender = shared["recommender"]
    return recommender.rank_columns(chunk.start, chunk.stop, shared["k"])


def _as_slice(index: NDArray[np.int64]) -> slice | NDArray[np.int64]:
    """A contiguous index as a slice: slicing a CSR matrix is far cheaper than fancy indexing."""
    contiguous = index.size and int(index[-1]) - int(index[0]) + 1 == index.size
    if contiguous and (index.size == 1 or bool(np.all(np.diff(index) == 1))):
        return slice(int(index[0]), int(index[-1]) + 1)
    return index


def _rounded(score: NDArray[np.float32]) -> NDArray[np.float64]:
    """Scores as float64 rounded to 6 decimals (padding −inf becomes −1, never listed)."""
    finite = np.where(np.isfinite(score), score, np.float32(-1.0)).astype(np.float64)
    return np.asarray(np.round(finite, 6), dtype=np.float64)
