"""One score per (SME, stakeholder) pair from the signals (formula in docs/matching.md).

    topical  = (w_c·concepts + w_l·lexical + w_s·semantic) / (w_c + w_l + w_s)
    score    = topical · (1 − w_p + w_p·partner_fit) + w_g·shared_language

``concepts``, ``lexical`` and ``semantic`` are cosine similarities in [0, 1]; ``partner_fit`` is
1 when the stakeholder is a kind of partner the SME seeks, 0.8 for a related kind, 0.5 when
either side is unknown, 0 otherwise; ``shared_language`` is 1 when both sides have a language
in common. Partner fit multiplies the topical score (a perfect partner type does not make an
unrelated stakeholder relevant); a shared language only breaks near-ties. Advisor wishes get
``WISH_BONUS`` so they always rank first; exclusions are removed before ranking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

WISH_BONUS = 10.0
# Pairs whose topical score is below this share nothing worth recommending (a remote
# broader concept, a common word).
MIN_TOPICAL = 0.02


@dataclass(frozen=True, slots=True)
class Weights:
    """Signal weights. ``semantic`` only counts when the semantic signal is computed."""

    concepts: float = 0.5
    lexical: float = 0.5
    semantic: float = 0.4
    partner: float = 0.4
    language: float = 0.03

    def topical_total(self, *, semantic: bool) -> float:
        return self.concepts + self.lexical + (self.semantic if semantic else 0.0)


@dataclass(frozen=True, slots=True)
class Signals:
    """The signals of a block of pairs (rows: SMEs, columns: stakeholders)."""

    concepts: NDArray[np.float32]
    lexical: NDArray[np.float32]
    semantic: NDArray[np.float32] | None
    partner_fit: NDArray[np.float32]
    shared_language: NDArray[np.float32]


def topical(signals: Signals, weights: Weights) -> NDArray[np.float32]:
    """The weighted mean of the topical signals (a new array; the signals are not changed)."""
    total = weights.topical_total(semantic=signals.semantic is not None)
    value = np.multiply(signals.concepts, np.float32(weights.concepts / total), dtype=np.float32)
    # In place from here: blocks are millions of pairs, temporaries cost more than arithmetic.
    value += np.float32(weights.lexical / total) * signals.lexical
    if signals.semantic is not None:
        value += np.float32(weights.semantic / total) * signals.semantic
    return value


def combine(signals: Signals, weights: Weights) -> NDArray[np.float32]:
    """The score of each pair of the block (see module docstring)."""
    score = topical(signals, weights)
    unrelated = score < MIN_TOPICAL
    partner = np.multiply(signals.partner_fit, np.float32(weights.partner), dtype=np.float32)
    partner += np.float32(1.0 - weights.partner)
    score *= partner
    if weights.language:
        score += np.float32(weights.language) * signals.shared_language
    score[unrelated] = 0.0
    return score


def combine_one(
    concepts: float,
    lexical: float,
    semantic: float | None,
    partner_fit: float,
    shared_language: float,
    weights: Weights,
) -> float:
    """The same formula for a single pair (used by explanations)."""
    signals = Signals(
        np.array([[concepts]], dtype=np.float32),
        np.array([[lexical]], dtype=np.float32),
        None if semantic is None else np.array([[semantic]], dtype=np.float32),
        np.array([[partner_fit]], dtype=np.float32),
        np.array([[shared_language]], dtype=np.float32),
    )
    return float(combine(signals, weights)[0, 0])
