"""Ranking quality of trademission.matching on a labelled set.

    python benchmarks/matching_quality.py [--data benchmarks/data/matching/labelled.json]

The labelled file is a profile file (``smes``, ``stakeholders``) plus ``judgments``: a list of
``{"sme": id, "stakeholder": id, "grade": 0-3}`` (pairs not listed are grade 0). Optionally
``sme_languages`` maps SME ids to the language they wrote in; otherwise it is detected.

Prints nDCG@5, nDCG@10 (gain 2^grade − 1, log2 discount, ideal ranking from the judgments) and
recall@10 (share of the pairs graded 2 or 3 found in the top 10), SME → stakeholder, for all
SMEs and for the SMEs that did not write in English, for these variants:

- plain TF-IDF: lexical signal alone, no concept expansion, no word translation, no partner
  type, no language;
- lexical only: TF-IDF without concept expansion or translation, with partner-type fit and
  language;
- vocabulary only: the concept signal, with partner-type fit and language;
- combined: the default recommender;
- combined + semantic: the default plus sentence embeddings (needs the ``semantic`` extra).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from trademission.matching.profiles import profiles_from_dict
from trademission.matching.rank import Options, Recommender
from trademission.matching.scoring import Weights
from trademission.matching.semantic import semantic_available
from trademission.matching.text import detect_language

DEFAULT_DATA = Path(__file__).parent / "data" / "matching" / "labelled.json"
RELEVANT = 2


def dcg(grades: Sequence[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def ndcg(ranked: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    ideal = dcg(sorted(judged.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([judged.get(item, 0) for item in ranked[:k]]) / ideal


def recall(ranked: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    relevant = {item for item, grade in judged.items() if grade >= RELEVANT}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def read_judgments(data: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Graded pairs as ``{sme: {stakeholder: grade}}``.

    Accepts ``judgments`` (or ``qrels``) either as that mapping or as a list of objects with
    ``sme``/``sme_id``, ``stakeholder``/``stakeholder_id`` and ``grade``/``relevance``.
    """
    raw = data.get("judgments", data.get("qrels", []))
    judged: dict[str, dict[str, int]] = {}
    if isinstance(raw, Mapping):
        for sme, grades in raw.items():
            judged[str(sme)] = {str(st): int(g) for st, g in grades.items()}
        return judged
    for item in raw:
        sme = item.get("sme", item.get("sme_id"))
        stakeholder = item.get("stakeholder", item.get("stakeholder_id"))
        grade = item.get("grade", item.get("relevance"))
        judged.setdefault(str(sme), {})[str(stakeholder)] = int(grade)
    return judged


def variants(with_semantic: bool) -> dict[str, Options | None]:
    plain = Weights(partner=0.0, language=0.0)
    return {
        "plain TF-IDF": Options(concepts=False, expand=False, translate=False, weights=plain),
        "lexical only": Options(concepts=False, expand=False, translate=False),
        "vocabulary only": Options(lexical=False),
        "combined": Options(),
        "combined + semantic": Options(semantic=True) if with_semantic else None,
    }


def evaluate(data: Mapping[str, Any], options: Options) -> dict[str, dict[str, float]]:
    profiles = profiles_from_dict(data)
    judged = read_judgments(data)
    languages = data.get("sme_languages") or {
        sme.id: detect_language(sme.description) for sme in profiles.smes
    }
    rankings = Recommender(profiles, options=options).rank(top_k=10)
    groups: dict[str, list[str]] = {"all": [], "non-English": []}
    for sme in profiles.smes:
        if sme.id not in judged:
            continue
        groups["all"].append(sme.id)
        if languages.get(sme.id, "en") != "en":
            groups["non-English"].append(sme.id)
    result = {}
    for group, ids in groups.items():
        ranked = {i: [r.stakeholder for r in rankings.sme_to_stakeholders[i]] for i in ids}
        result[group] = {
            "n": float(len(ids)),
            "nDCG@5": _mean([ndcg(ranked[i], judged[i], 5) for i in ids]),
            "nDCG@10": _mean([ndcg(ranked[i], judged[i], 10) for i in ids]),
            "recall@10": _mean([recall(ranked[i], judged[i], 10) for i in ids]),
        }
    return result


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    data = json.loads(args.data.read_text(encoding="utf-8"))
    print(
        f"data: {args.data} ({len(data['smes'])} SMEs, {len(data['stakeholders'])} "
        f"stakeholders, {len(data['judgments'])} judgments); cores: {os.cpu_count()}"
    )
    header = f"{'variant':<22}{'group':<13}{'n':>4}{'nDCG@5':>9}{'nDCG@10':>9}{'recall@10':>11}"
    print(header)
    print("-" * len(header))
    figures: dict[str, Any] = {}
    for name, options in variants(semantic_available()).items():
        if options is None:
            print(f"{name:<22}skipped: pip install 'trademission[semantic]'")
            continue
        started = time.perf_counter()
        result = evaluate(data, options)
        figures[name] = result
        for group, row in result.items():
            print(
                f"{name:<22}{group:<13}{int(row['n']):>4}{row['nDCG@5']:>9.3f}"
                f"{row['nDCG@10']:>9.3f}{row['recall@10']:>11.3f}"
            )
        print(f"{'':<22}({time.perf_counter() - started:.1f} s)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
