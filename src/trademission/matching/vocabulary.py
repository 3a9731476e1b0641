"""The multilingual technology vocabulary: concepts, their labels, and text-to-concept mapping.

A concept has an id, a kind (``tech`` for technology areas, ``domain`` for application
domains, ``partner`` for partner types), broader concepts (a hierarchy: "thermal imaging" is
narrower than "imaging" and "night vision") and labels in English, French and a few other
languages. :meth:`Vocabulary.annotate` finds every label in a text and returns the concept hits
with the phrase of the text that triggered each one, which is what explanations quote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from trademission.matching.text import Token, stem, strip_accents, tokenize

KINDS = ("tech", "domain", "partner")
# How much credit a broader concept gets from a narrower mention, per level up.
BROADER_DECAY = 0.5
MAX_PHRASE = 6
# A word that belongs to the labels of at most SOFT_MAX_CONCEPTS concepts ("infrared",
# "ballistic", "hyperspectral") says something on its own even when the rest of the label is
# missing: it gives its concepts SOFT_STRENGTH of a full mention.
SOFT_STRENGTH = 0.4
SOFT_MAX_CONCEPTS = 2
SOFT_MIN_LENGTH = 5
# Words too general to say anything alone, whatever label they appear in.
_GENERIC_WORDS = """
support services system solutions products platform management equipment technology development
design provide users operations applications performance integration advanced modern improve
effective new module modules watch charge charging
"""
SOFT_GENERIC = frozenset(stem(word) for word in _GENERIC_WORDS.split())


@dataclass(frozen=True, slots=True)
class Concept:
    """One entry of the vocabulary."""

    id: str
    kind: str
    broader: tuple[str, ...]
    labels: Mapping[str, tuple[str, ...]]

    @property
    def label(self) -> str:
        """The preferred English label, for explanations."""
        english = self.labels.get("en", ())
        return english[0] if english else self.id.replace("_", " ")


class ConceptHit(NamedTuple):
    """A concept found in a text, with the span of the words that triggered it."""

    concept: str
    start: int
    end: int
    phrase: str
    # 1 for a whole label; SOFT_STRENGTH for a distinctive word of a longer label alone.
    strength: float = 1.0


@dataclass(frozen=True, slots=True)
class Rule:
    """Infer ``target`` when all ``concepts`` and a word of every cue group occur in a text.

    Needs are often written around a concept without naming it: "detect and stop small
    unmanned aircraft" is counter-UAS, "deep learning on images from space" is Earth
    observation. Rules catch such combinations.
    """

    target: str
    concepts: tuple[str, ...]
    cues: tuple[tuple[str, ...], ...]  # each group sorted, so the first cue found is stable


class VocabularyError(ValueError):
    """The vocabulary file is malformed (unknown kind, unknown broader concept, cycle)."""


class Vocabulary:
    """Concepts indexed for phrase lookup."""

    def __init__(self, concepts: Iterable[Concept], rules: Iterable[Rule] = ()) -> None:
        self.concepts: dict[str, Concept] = {c.id: c for c in concepts}
        self.rules = tuple(rules)
        self._check()
        self._index: dict[tuple[str, ...], tuple[str, ...]] = _build_index(self.concepts)
        self._label_stems = frozenset(stem for key in self._index for stem in key)
        self._soft = _soft_index(self.concepts)
        self._max_phrase = max((len(key) for key in self._index), default=0)
        self._ancestors: dict[str, dict[str, float]] = {
            cid: self._weighted_ancestors(cid) for cid in self.concepts
        }

    def _check(self) -> None:
        for concept in self.concepts.values():
            if concept.kind not in KINDS:
                raise VocabularyError(f"concept {concept.id!r}: unknown kind {concept.kind!r}")
            for parent in concept.broader:
                if parent not in self.concepts:
                    raise VocabularyError(f"concept {concept.id!r}: unknown broader {parent!r}")
        for cid in self.concepts:
            self._walk_up(cid, ())
        for rule in self.rules:
            for cid in (rule.target, *rule.concepts):
                if cid not in self.concepts:
                    raise VocabularyError(f"rule for {rule.target!r}: unknown concept {cid!r}")

    def _walk_up(self, cid: str, path: tuple[str, ...]) -> None:
        if cid in path:
            raise VocabularyError(f"cycle in broader concepts: {' > '.join((*path, cid))}")
        for parent in self.concepts[cid].broader:
            self._walk_up(parent, (*path, cid))

    def _weighted_ancestors(self, cid: str) -> dict[str, float]:
        """Broader concepts of ``cid`` (transitively) with weight ``BROADER_DECAY ** depth``."""
        weights: dict[str, float] = {}
        frontier, weight = list(self.concepts[cid].broader), BROADER_DECAY
        while frontier:
            next_frontier: list[str] = []
            for parent in frontier:
                if weights.get(parent, 0.0) < weight:
                    weights[parent] = weight
                    next_frontier.extend(self.concepts[parent].broader)
            frontier, weight = next_frontier, weight * BROADER_DECAY
        return weights

    def ancestors(self, cid: str) -> dict[str, float]:
        """Broader concepts of ``cid`` with the partial credit each receives."""
        return self._ancestors[cid]

    def kind(self, cid: str) -> str:
        return self.concepts[cid].kind

    def annotate(self, text: str, tokens: list[Token] | None = None) -> list[ConceptHit]:
        """Find the concepts mentioned in ``text`` (``tokens``: its tokens, if known).

        Labels match on stems regardless of word order inside the phrase; at each position the
        longest label wins and its words are not reused by shorter labels, so "drone detection"
        is counter-UAS and not also "drones" and "sensors".
        """
        tokens = tokenize(text) if tokens is None else tokens
        stems = [token.stem for token in tokens]
        # Only runs of words that occur in some label can match: measure them once.
        run = [0] * (len(tokens) + 1)
        label_stems = self._label_stems
        for position in range(len(tokens) - 1, -1, -1):
            if stems[position] in label_stems:
                run[position] = run[position + 1] + 1
        hits: list[ConceptHit] = []
        covered = [False] * len(tokens)
        position = 0
        while position < len(tokens):
            found = 0
            for length in range(min(self._max_phrase, run[position]), 0, -1):
                key = stems[position : position + length]
                key.sort()
                concepts = self._index.get(tuple(key))
                if concepts:
                    start, end = tokens[position].start, tokens[position + length - 1].end
                    hits.extend(ConceptHit(c, start, end, text[start:end]) for c in concepts)
                    covered[position : position + length] = [True] * length
                    found = length
                    break
            position += found or 1
        hits += self._soft_hits(text, tokens, hits, covered)
        return hits + self._apply_rules(text, tokens, hits)

    def _soft_hits(
        self, text: str, tokens: list[Token], hits: list[ConceptHit], covered: list[bool]
    ) -> list[ConceptHit]:
        found = {hit.concept for hit in hits}
        soft: list[ConceptHit] = []
        for index, token in enumerate(tokens):
            concepts = self._soft.get(token.stem)
            if not concepts or covered[index]:
                continue
            phrase = text[token.start : token.end]
            soft.extend(
                ConceptHit(c, token.start, token.end, phrase, SOFT_STRENGTH)
                for c in concepts
                if c not in found
            )
        return soft

    def _apply_rules(
        self, text: str, tokens: list[Token], hits: list[ConceptHit]
    ) -> list[ConceptHit]:
        found = {hit.concept: hit for hit in hits}
        by_stem: dict[str, Token] = {}
        for token in tokens:
            by_stem.setdefault(token.stem, token)
        inferred: list[ConceptHit] = []
        for rule in self.rules:
            if rule.target in found or not all(c in found for c in rule.concepts):
                continue
            cue_tokens = []
            for group in rule.cues:
                cue = next((by_stem[s] for s in group if s in by_stem), None)
                if cue is None:
                    break
                cue_tokens.append(cue)
            else:
                spans = [(found[c].start, found[c].end) for c in rule.concepts]
                spans += [(t.start, t.end) for t in cue_tokens]
                phrase = " … ".join(text[a:b] for a, b in sorted(set(spans)))
                start, end = min(a for a, _ in spans), max(b for _, b in spans)
                hit = ConceptHit(rule.target, start, end, phrase)
                inferred.append(hit)
                found[rule.target] = hit
        return inferred


def _build_index(concepts: Mapping[str, Concept]) -> dict[tuple[str, ...], tuple[str, ...]]:
    index: dict[tuple[str, ...], list[str]] = {}
    for concept in concepts.values():
        for labels in concept.labels.values():
            for label in labels:
                stems = tuple(sorted(token.stem for token in tokenize(label)))
                if not stems or len(stems) > MAX_PHRASE:
                    continue
                owners = index.setdefault(stems, [])
                if concept.id not in owners:
                    owners.append(concept.id)
    return {key: tuple(sorted(value)) for key, value in index.items()}


def _soft_index(concepts: Mapping[str, Concept]) -> dict[str, tuple[str, ...]]:
    """Distinctive words of labels: word stem → the few concepts whose labels use it.

    Requiring the word to recur in several labels of its concept was tried: it removes noise
    ("packages" of "suspicious packages") but loses more paraphrases than it saves.
    """
    uses: dict[str, dict[str, int]] = {}
    whole: set[str] = set()
    for concept in concepts.values():
        for labels in concept.labels.values():
            for label in labels:
                stems = {token.stem for token in tokenize(label)}
                if len(stems) == 1:
                    whole.update(stems)
                for word in stems:
                    counts = uses.setdefault(word, {})
                    counts[concept.id] = counts.get(concept.id, 0) + 1
    return {
        word: tuple(sorted(counts))
        for word, counts in uses.items()
        if len(counts) <= SOFT_MAX_CONCEPTS
        and len(word) >= SOFT_MIN_LENGTH
        and word not in whole
        and word not in SOFT_GENERIC
    }


def parse_vocabulary(text: str) -> Vocabulary:
    """Parse the tab-separated vocabulary format (see ``data/vocabulary.tsv``)."""
    concepts, rules = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.rstrip("\n").split("\t")
        if fields[0] == "rule":
            rules.append(_parse_rule(fields, number))
            continue
        if len(fields) < 5:
            raise VocabularyError(f"line {number}: expected at least 5 tab-separated fields")
        fields += [""] * (6 - len(fields))
        cid, kind, broader, english, french, other = fields[:6]
        concepts.append(
            Concept(
                id=cid.strip(),
                kind=kind.strip(),
                broader=tuple(b.strip() for b in broader.split(",") if b.strip()),
                labels={
                    "en": _split_labels(english),
                    "fr": _split_labels(french),
                    "other": _split_labels(other),
                },
            )
        )
    return Vocabulary(concepts, rules)


def _parse_rule(fields: list[str], number: int) -> Rule:
    """``rule<TAB>target<TAB>concept,concept<TAB>cue;cue | cue;cue`` (groups are ANDed)."""
    if len(fields) < 3:
        raise VocabularyError(f"line {number}: a rule needs a target and concepts or cues")
    groups = []
    for group in "|".join(fields[3:]).split("|"):
        words = frozenset(stem(strip_accents(w.strip())) for w in group.split(";") if w.strip())
        if words:
            groups.append(tuple(sorted(words)))
    concepts = tuple(c.strip() for c in fields[2].split(",") if c.strip())
    if not concepts and not groups:
        raise VocabularyError(f"line {number}: a rule needs concepts or cues")
    return Rule(fields[1].strip(), concepts, tuple(groups))


def _split_labels(field: str) -> tuple[str, ...]:
    return tuple(label.strip() for label in field.split(";") if label.strip())


_DEFAULT: Vocabulary | None = None


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Load a vocabulary file, or the packaged default (cached) when ``path`` is None."""
    global _DEFAULT
    if path is not None:
        return parse_vocabulary(path.read_text(encoding="utf-8"))
    if _DEFAULT is None:
        data = resources.files("trademission.matching").joinpath("data/vocabulary.tsv")
        _DEFAULT = parse_vocabulary(data.read_text(encoding="utf-8"))
    return _DEFAULT
