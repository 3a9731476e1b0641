"""Top-k bookkeeping for both ranking directions.

Rows are SMEs, columns stakeholders. ``RankState`` keeps, for every SME, the indices and scores
of its ``k`` best stakeholders, and for every stakeholder its ``k`` best SMEs (both sorted by
score, then by index, so ties break in input order). Entries with a score of 0 or less
(nothing in common, or excluded) are kept for bookkeeping but never listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Indices = NDArray[np.int64]
Scores = NDArray[np.float32]
PAD_SCORE = -np.inf


def _sorted(idx: Indices, score: Scores) -> tuple[Indices, Scores]:
    """Sort each row by score descending, then index ascending (padding last)."""
    tie_index = np.where(idx < 0, np.iinfo(np.int64).max, idx)
    order = np.lexsort((tie_index, -score), axis=-1)
    return np.take_along_axis(idx, order, -1), np.take_along_axis(score, order, -1)


def top_k_rows(block: Scores, k: int) -> tuple[Indices, Scores]:
    """The ``k`` best columns of every row of ``block`` (local indices), sorted."""
    rows, cols = block.shape
    if cols > k:
        # Partition on (score, -index) so that ties at the boundary keep the lowest indices.
        part = np.argpartition(block, cols - k, axis=1)[:, cols - k :].astype(np.int64)
        threshold = np.take_along_axis(block, part, 1).min(axis=1, keepdims=True)
        part = _resolve_ties(block, part, threshold, k)
    else:
        part = np.tile(np.arange(cols, dtype=np.int64), (rows, 1))
    scores = np.take_along_axis(block, part, 1).astype(np.float32)
    idx, scores = _sorted(part, scores)
    if cols < k:
        pad = k - cols
        idx = np.hstack([idx, np.full((rows, pad), -1, dtype=np.int64)])
        scores = np.hstack([scores, np.full((rows, pad), PAD_SCORE, dtype=np.float32)])
    return idx, scores


def _resolve_ties(block: Scores, part: Indices, threshold: Scores, k: int) -> Indices:
    """Make the selection deterministic when several columns tie at the k-th score."""
    ties = (block == threshold).sum(axis=1) > (np.take_along_axis(block, part, 1) == threshold).sum(
        axis=1
    )
    for row in np.nonzero(ties)[0]:
        values = block[row]
        order = np.lexsort((np.arange(values.size), -values))[:k]
        part[row] = order
    return part


def top_k_columns(block: Scores, k: int) -> tuple[Indices, Scores]:
    """The ``k`` best rows of every column of ``block``; result has one row per column."""
    return top_k_rows(np.ascontiguousarray(block.T), k)


@dataclass
class RankState:
    """Top-k lists of both directions as arrays."""

    k: int
    row_idx: Indices
    row_score: Scores
    col_idx: Indices
    col_score: Scores

    @classmethod
    def empty(cls, n: int, m: int, k: int) -> RankState:
        return cls(
            k,
            np.full((n, k), -1, dtype=np.int64),
            np.full((n, k), PAD_SCORE, dtype=np.float32),
            np.full((m, k), -1, dtype=np.int64),
            np.full((m, k), PAD_SCORE, dtype=np.float32),
        )

    def merge_rows(self, block: Scores, cols: Indices) -> None:
        """Fold a block of columns into every row's running top-k."""
        local, scores = top_k_rows(block, self.k)
        self.merge_candidates(np.where(local >= 0, cols[np.maximum(local, 0)], -1), scores)

    def merge_candidates(self, candidates: Indices, scores: Scores) -> None:
        """Fold candidate columns (global indices) into every row's top-k."""
        idx = np.hstack([self.row_idx, candidates])
        score = np.hstack([self.row_score, scores])
        idx, score = _sorted(idx, score)
        self.row_idx, self.row_score = idx[:, : self.k], score[:, : self.k]

    def set_columns(self, cols: Indices, idx: Indices, score: Scores) -> None:
        self.col_idx[cols], self.col_score[cols] = idx, score

    def set_rows(self, rows: Indices, idx: Indices, score: Scores) -> None:
        self.row_idx[rows], self.row_score[rows] = idx, score

    def grow_rows(self, n: int) -> None:
        self.row_idx, self.row_score = _grow(self.row_idx, self.row_score, n)

    def grow_columns(self, m: int) -> None:
        self.col_idx, self.col_score = _grow(self.col_idx, self.col_score, m)

    def update_row(self, i: int, scores: Scores) -> Indices:
        """Row ``i`` changed to ``scores``; returns the columns that need a full refill."""
        idx, score = top_k_rows(scores.reshape(1, -1), self.k)
        self.row_idx[i], self.row_score[i] = idx[0], score[0]
        return _update_reverse(self.col_idx, self.col_score, i, scores)

    def update_column(self, j: int, scores: Scores) -> Indices:
        """Column ``j`` changed to ``scores``; returns the rows that need a full refill."""
        idx, score = top_k_rows(scores.reshape(1, -1), self.k)
        self.col_idx[j], self.col_score[j] = idx[0], score[0]
        return _update_reverse(self.row_idx, self.row_score, j, scores)

    def row_list(self, i: int) -> list[tuple[int, float]]:
        return _listed(self.row_idx[i], self.row_score[i])

    def column_list(self, j: int) -> list[tuple[int, float]]:
        return _listed(self.col_idx[j], self.col_score[j])

    def lists(self) -> tuple[list[list[tuple[int, float]]], list[list[tuple[int, float]]]]:
        forward = [self.row_list(i) for i in range(self.row_idx.shape[0])]
        backward = [self.column_list(j) for j in range(self.col_idx.shape[0])]
        return forward, backward


def _listed(idx: Indices, score: Scores) -> list[tuple[int, float]]:
    return [(int(i), float(s)) for i, s in zip(idx, score, strict=True) if i >= 0 and s > 0]


def _grow(idx: Indices, score: Scores, size: int) -> tuple[Indices, Scores]:
    missing = size - idx.shape[0]
    if missing <= 0:
        return idx, score
    k = idx.shape[1]
    return (
        np.vstack([idx, np.full((missing, k), -1, dtype=np.int64)]),
        np.vstack([score, np.full((missing, k), PAD_SCORE, dtype=np.float32)]),
    )


def _update_reverse(idx: Indices, score: Scores, entity: int, new: Scores) -> Indices:
    """Update the lists of the other direction after ``entity``'s scores became ``new``.

    A list that held ``entity`` keeps it if its score did not drop (nothing else moved);
    if its score dropped, an unseen counterpart may now belong there, so the list is
    returned for a full refill. A list that did not hold it takes it in place of its last
    entry when the new score beats that entry.
    """
    held = idx == entity
    holds = held.any(axis=1)
    old = np.where(held, score, PAD_SCORE).max(axis=1)
    refill = np.nonzero(holds & (new < old))[0].astype(np.int64)
    raise_in_place = np.nonzero(holds & (new >= old))[0]
    score[raise_in_place] = np.where(
        held[raise_in_place], new[raise_in_place, None], score[raise_in_place]
    )
    last = score[:, -1]
    enter = np.nonzero(~holds & ((new > last) | ((new == last) & (entity < idx[:, -1]))))[0]
    idx[enter, -1] = entity
    score[enter, -1] = new[enter]
    touched = np.union1d(raise_in_place, enter)
    if touched.size:
        idx[touched], score[touched] = _sorted(idx[touched], score[touched])
    return refill
