"""Per-profile features of one side (SMEs or stakeholders), stored as matrices.

Rows follow the input order, which is also the tie-break order of rankings, so identical input
gives identical rankings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]  # no stubs in the lock file
from numpy.typing import NDArray

from trademission.matching.concepts import Annotation
from trademission.matching.text import detect_language


@dataclass(slots=True)
class SideFeatures:
    """Features of every profile of one side; row ``i`` is profile ``ids[i]``."""

    ids: list[str]
    texts: list[str]
    annotations: list[Annotation]
    concept_weights: list[dict[str, float]]
    concepts: NDArray[np.float32]
    lexical: sp.csr_matrix | None
    semantic: NDArray[np.float32] | None
    partner_sets: list[frozenset[str]]
    partner: NDArray[np.float32]
    language_sets: list[frozenset[str]]
    languages: NDArray[np.float32]
    position: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.position = {pid: index for index, pid in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, slots=True)
class RowFeatures:
    """The features of one profile, to insert or replace in a :class:`SideFeatures`."""

    id: str
    text: str
    annotation: Annotation
    concept_weights: dict[str, float]
    concepts: NDArray[np.float32]
    lexical: sp.csr_matrix | None
    semantic: NDArray[np.float32] | None
    partner_set: frozenset[str]
    partner: NDArray[np.float32]
    language_set: frozenset[str]
    languages: NDArray[np.float32]


def profile_languages(declared: Sequence[str], text: str) -> frozenset[str]:
    """Declared languages, or the language the text is written in when none is declared."""
    return frozenset(declared) if declared else frozenset({detect_language(text)})


def language_indicator(rows: Sequence[frozenset[str]], codes: Sequence[str]) -> NDArray[np.float32]:
    column = {code: index for index, code in enumerate(codes)}
    out = np.zeros((len(rows), len(codes)), dtype=np.float32)
    for index, languages in enumerate(rows):
        for code in languages:
            if code in column:
                out[index, column[code]] = 1.0
    return out


def _replace_sparse(matrix: sp.csr_matrix, index: int, row: sp.csr_matrix) -> sp.csr_matrix:
    if index == matrix.shape[0]:
        return sp.csr_matrix(sp.vstack([matrix, row], format="csr"))
    parts = [matrix[:index], row, matrix[index + 1 :]]
    return sp.csr_matrix(sp.vstack(parts, format="csr"))


def _replace_dense(
    matrix: NDArray[np.float32], index: int, row: NDArray[np.float32]
) -> NDArray[np.float32]:
    if index == matrix.shape[0]:
        return np.vstack([matrix, row.reshape(1, -1)]).astype(np.float32)
    matrix[index] = row
    return matrix


def upsert_row(side: SideFeatures, row: RowFeatures) -> int:
    """Insert ``row`` (new id) or replace the row of the same id; return its index."""
    index = side.position.get(row.id, len(side.ids))
    if index == len(side.ids):
        side.ids.append(row.id)
        side.texts.append(row.text)
        side.annotations.append(row.annotation)
        side.concept_weights.append(row.concept_weights)
        side.partner_sets.append(row.partner_set)
        side.language_sets.append(row.language_set)
        side.position[row.id] = index
    else:
        side.texts[index] = row.text
        side.annotations[index] = row.annotation
        side.concept_weights[index] = row.concept_weights
        side.partner_sets[index] = row.partner_set
        side.language_sets[index] = row.language_set
    side.concepts = _replace_dense(side.concepts, index, row.concepts)
    if side.lexical is not None and row.lexical is not None:
        side.lexical = _replace_sparse(side.lexical, index, row.lexical)
    if side.semantic is not None and row.semantic is not None:
        side.semantic = _replace_dense(side.semantic, index, row.semantic)
    side.partner = _replace_dense(side.partner, index, row.partner)
    side.languages = _replace_dense(side.languages, index, row.languages)
    return index
