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


# Lists keep this many entries beyond the k that are shown, so that an edited profile falling
# out of some lists rarely forces recomputing them (see _update_reverse).
MARGIN = 10


@dataclass
class RankState:
    """Top lists of both directions as arrays: ``k`` shown, ``capacity`` kept.

    Invariant: the valid entries of a list are the best entries among all counterparts, in
    order (a prefix of the full ranking); ``*_complete`` says the list holds every counterpart.
    """

    k: int
    row_idx: Indices
    row_score: Scores
    col_idx: Indices
    col_score: Scores
    row_complete: NDArray[np.bool_]
    col_complete: NDArray[np.bool_]

    @property
    def capacity(self) -> int:
        return int(self.row_idx.shape[1])

    @classmethod
    def empty(cls, n: int, m: int, k: int) -> RankState:
        capacity = k + MARGIN
        return cls(
            k,
            np.full((n, capacity), -1, dtype=np.int64),
            np.full((n, capacity), PAD_SCORE, dtype=np.float32),
            np.full((m, capacity), -1, dtype=np.int64),
            np.full((m, capacity), PAD_SCORE, dtype=np.float32),
            np.full(n, m <= capacity),
            np.full(m, n <= capacity),
        )

    def merge_rows(self, block: Scores, cols: Indices) -> None:
        """Fold a block of columns into every row's running top list."""
        local, scores = top_k_rows(block, self.capacity)
        self.merge_candidates(np.where(local >= 0, cols[np.maximum(local, 0)], -1), scores)

    def merge_candidates(self, candidates: Indices, scores: Scores) -> None:
        """Fold candidate columns (global indices) into every row's top list."""
        idx = np.hstack([self.row_idx, candidates])
        score = np.hstack([self.row_score, scores])
        idx, score = _sorted(idx, score)
        self.row_idx, self.row_score = idx[:, : self.capacity], score[:, : self.capacity]

    def set_columns(self, cols: Indices, idx: Indices, score: Scores) -> None:
        self.col_idx[cols], self.col_score[cols] = idx, score
        self.col_complete[cols] = self.row_idx.shape[0] <= self.capacity

    def set_rows(self, rows: Indices, idx: Indices, score: Scores) -> None:
        self.row_idx[rows], self.row_score[rows] = idx, score
        self.row_complete[rows] = self.col_idx.shape[0] <= self.capacity

    def grow_rows(self, n: int) -> None:
        grown = n - self.row_idx.shape[0]
        self.row_idx, self.row_score = _grow(self.row_idx, self.row_score, n)
        if grown > 0:
            self.row_complete = np.concatenate([self.row_complete, np.ones(grown, bool)])

    def grow_columns(self, m: int) -> None:
        grown = m - self.col_idx.shape[0]
        self.col_idx, self.col_score = _grow(self.col_idx, self.col_score, m)
        if grown > 0:
            self.col_complete = np.concatenate([self.col_complete, np.ones(grown, bool)])

    def update_row(self, i: int, scores: Scores) -> Indices:
        """Row ``i`` changed to ``scores``; returns the columns that need a full refill."""
        idx, score = top_k_rows(scores.reshape(1, -1), self.capacity)
        self.set_rows(np.array([i]), idx, score)
        return _update_reverse(self.col_idx, self.col_score, self.col_complete, i, scores, self.k)

    def update_column(self, j: int, scores: Scores) -> Indices:
        """Column ``j`` changed to ``scores``; returns the rows that need a full refill."""
        idx, score = top_k_rows(scores.reshape(1, -1), self.capacity)
        self.set_columns(np.array([j]), idx, score)
        return _update_reverse(self.row_idx, self.row_score, self.row_complete, j, scores, self.k)

    def row_list(self, i: int) -> list[tuple[int, float]]:
        return _listed(self.row_idx[i, : self.k], self.row_score[i, : self.k])

    def column_list(self, j: int) -> list[tuple[int, float]]:
        return _listed(self.col_idx[j, : self.k], self.col_score[j, : self.k])


def _listed(idx: Indices, score: Scores) -> list[tuple[int, float]]:
    return [(int(i), float(s)) for i, s in zip(idx, score, strict=True) if i >= 0 and s > 0]


def _grow(idx: Indices, score: Scores, size: int) -> tuple[Indices, Scores]:
    missing = size - idx.shape[0]
    if missing <= 0:
        return idx, score
    width = idx.shape[1]
    return (
        np.vstack([idx, np.full((missing, width), -1, dtype=np.int64)]),
        np.vstack([score, np.full((missing, width), PAD_SCORE, dtype=np.float32)]),
    )


def _update_reverse(
    idx: Indices, score: Scores, complete: NDArray[np.bool_], entity: int, new: Scores, k: int
) -> Indices:
    """Update the lists of the other direction after ``entity``'s scores became ``new``.

    Each list drops ``entity``, then takes it back at its new place when that place is known:
    the list holds every counterpart, or the new score ranks before the list's last entry
    (everything the list does not hold ranks after that entry). A full list that takes it
    loses its last entry. Lists left with fewer than ``k`` entries while counterparts are
    missing are returned for a full refill.
    """
    held = idx == entity
    holds = held.any(axis=1)
    idx[held], score[held] = -1, PAD_SCORE
    if holds.any():
        idx[holds], score[holds] = _sorted(idx[holds], score[holds])
    valid = (idx >= 0).sum(axis=1)
    rows = np.arange(idx.shape[0])
    last = np.maximum(valid - 1, 0)
    last_score = np.where(valid > 0, score[rows, last], np.inf)
    last_idx = np.where(valid > 0, idx[rows, last], -1)
    before_last = (new > last_score) | ((new == last_score) & (entity < last_idx))
    capacity = idx.shape[1]
    fits = complete | before_last
    slot = np.where(valid < capacity, valid, capacity - 1)
    enter = np.nonzero(fits & ((valid < capacity) | before_last))[0]
    idx[enter, slot[enter]], score[enter, slot[enter]] = entity, new[enter]
    complete &= ~(valid >= capacity)  # a full list dropped or did not take someone
    touched = np.union1d(np.nonzero(holds)[0], enter)
    if touched.size:
        idx[touched], score[touched] = _sorted(idx[touched], score[touched])
    valid = (idx >= 0).sum(axis=1)
    return np.nonzero((valid < k) & ~complete)[0].astype(np.int64)
