"""``trademission match PROFILES.json [--top K] [--semantic] --out RANKINGS.json``.

Writes ``{"sme_to_stakeholders": {sme_id: [stakeholder ids, best first]},
"stakeholder_to_smes": {stakeholder_id: [sme ids, best first]},
"explanations": {sme_id: {stakeholder_id: explanation}}}`` with an explanation for every pair
that appears in either direction. Invalid input exits with code 2 and a message naming the
record.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from trademission.matching.profiles import ProfileError, load_profiles
from trademission.matching.rank import Options, Rankings, Recommender
from trademission.matching.semantic import SemanticUnavailableError, semantic_available

EXIT_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trademission match",
        description="Rank stakeholders for SMEs and SMEs for stakeholders, with explanations.",
    )
    parser.add_argument(
        "profiles", type=Path, help="PROFILES.json: {smes: [...], stakeholders: [...]}"
    )
    parser.add_argument(
        "--top",
        type=int,
        default=20,
        metavar="K",
        help="how many counterparts per profile (default 20)",
    )
    parser.add_argument(
        "--semantic",
        action="store_true",
        help="add sentence-embedding similarity (needs the 'semantic' extra)",
    )
    parser.add_argument("--out", type=Path, required=True, help="RANKINGS.json to write")
    return parser


def rankings_document(recommender: Recommender, rankings: Rankings) -> dict[str, Any]:
    """The RANKINGS.json structure for ``rankings``."""
    pairs: set[tuple[str, str]] = set()
    for items in rankings.sme_to_stakeholders.values():
        pairs.update((r.sme, r.stakeholder) for r in items)
    for items in rankings.stakeholder_to_smes.values():
        pairs.update((r.sme, r.stakeholder) for r in items)
    by_sme: dict[str, list[str]] = {}
    for sme, stakeholder in sorted(pairs):
        by_sme.setdefault(sme, []).append(stakeholder)
    explanations: dict[str, dict[str, Any]] = {}
    for sme, stakeholders in by_sme.items():
        explained = recommender.explain_many(sme, stakeholders)
        explanations[sme] = {e.stakeholder: e.to_dict() for e in explained}
    return {
        "sme_to_stakeholders": {
            sme: [r.stakeholder for r in items]
            for sme, items in rankings.sme_to_stakeholders.items()
        },
        "stakeholder_to_smes": {
            stakeholder: [r.sme for r in items]
            for stakeholder, items in rankings.stakeholder_to_smes.items()
        },
        "explanations": explanations,
    }


def main(argv: list[str]) -> int:
    """Run the command; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.top < 1:
        print("error: --top must be at least 1", file=sys.stderr)
        return EXIT_INPUT
    if args.semantic and not semantic_available():
        print(
            "error: --semantic needs the 'semantic' extra: pip install 'trademission[semantic]'",
            file=sys.stderr,
        )
        return EXIT_INPUT
    try:
        profiles = load_profiles(args.profiles)
        recommender = Recommender(profiles, options=Options(semantic=args.semantic))
    except ProfileError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    except SemanticUnavailableError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    document = rankings_document(recommender, recommender.rank(args.top))
    # Indented for people at mission scale; compact for brokerage-scale files.
    indent = 1 if len(profiles.smes) * args.top <= 20_000 else None
    args.out.write_text(json.dumps(document, ensure_ascii=False, indent=indent), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
