"""Ranking: the signals combine into one score; wishes first, exclusions never."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.matching.conftest import profile_set
from trademission.matching.profiles import ProfileSet, SmeProfile, StakeholderProfile
from trademission.matching.rank import Options, Rankings, Recommender
from trademission.matching.topk import top_k_rows


def ids(rankings: Rankings) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    return (
        {k: [r.stakeholder for r in v] for k, v in rankings.sme_to_stakeholders.items()},
        {k: [r.sme for r in v] for k, v in rankings.stakeholder_to_smes.items()},
    )


def test_rank_puts_the_fitting_stakeholder_first(profiles: ProfileSet) -> None:
    forward, backward = ids(Recommender(profiles).rank(3))
    assert forward["thermo"][:2] == ["optics", "fire"]
    assert forward["skywatch"][0] == "prime"
    assert set(forward["chiffre"][:2]) == {"ministry", "grid"}
    assert backward["optics"][0] == "thermo"


def test_rank_leaves_out_pairs_with_nothing_in_common(profiles: ProfileSet) -> None:
    forward, backward = ids(Recommender(profiles).rank(10))
    assert "bakery" not in forward["thermo"]
    assert backward["bakery"] == []


def test_rank_never_recommends_an_excluded_pair() -> None:
    profiles = profile_set(exclusions=[{"sme": "thermo", "stakeholder": "optics"}])
    forward, backward = ids(Recommender(profiles).rank(10))
    assert "optics" not in forward["thermo"]
    assert "thermo" not in backward["optics"]
    assert forward["thermo"][0] == "fire"


def test_rank_puts_a_wish_first_in_both_directions() -> None:
    profiles = profile_set(wishes=[{"sme": "thermo", "stakeholder": "bakery"}])
    recommender = Recommender(profiles)
    rankings = recommender.rank(3)
    assert rankings.sme_to_stakeholders["thermo"][0].stakeholder == "bakery"
    assert rankings.sme_to_stakeholders["thermo"][0].wish is True
    assert rankings.stakeholder_to_smes["bakery"][0].sme == "thermo"
    assert recommender.explain("thermo", "bakery").wish is True


def test_rank_exclusion_beats_wish() -> None:
    pair = {"sme": "thermo", "stakeholder": "bakery"}
    profiles = profile_set(wishes=[pair], exclusions=[pair])
    forward, _ = ids(Recommender(profiles).rank(10))
    assert "bakery" not in forward["thermo"]


def test_rank_identical_input_gives_identical_ranking(profiles: ProfileSet) -> None:
    first = Recommender(profiles).rank(5)
    second = Recommender(profiles).rank(5)
    assert first == second


def test_rank_ties_break_in_input_order() -> None:
    twin = {"description": "We build sonar arrays.", "type": "navy"}
    profiles = ProfileSet(
        (SmeProfile("s", "S", "Underwater sonar and hydrophones."),),
        tuple(
            StakeholderProfile(
                id=f"t{k}", name="T", description=str(twin["description"]), type=str(twin["type"])
            )
            for k in range(5)
        ),
    )
    forward, _ = ids(Recommender(profiles).rank(3))
    assert forward["s"] == ["t0", "t1", "t2"]


def test_rank_partner_type_fit_counts(profiles: ProfileSet) -> None:
    recommender = Recommender(profiles)
    wanted = recommender.explain("thermo", "optics")  # a distributor: sought
    other = recommender.explain("thermo", "fire")  # an end user: not sought
    assert wanted.partner_fit == 1.0
    assert other.partner_fit == 0.0


def test_rank_shared_language_counts(profiles: ProfileSet) -> None:
    weights = Options().weights
    recommender = Recommender(profiles)
    base = recommender.explain("thermo", "fire")
    assert base.languages == ("fr",)
    without = Recommender(
        profiles, options=Options(weights=dataclasses.replace(weights, language=0.0))
    )
    difference = base.score - without.explain("thermo", "fire").score
    assert abs(difference - weights.language) < 1e-6


def test_explanation_names_the_concepts_and_phrases(profiles: ProfileSet) -> None:
    explanation = Recommender(profiles).explain("thermo", "fire")
    first = explanation.concepts[0]
    assert first.concept == "thermal_imaging"
    assert first.sme_phrases == ("thermal cameras",)
    assert first.stakeholder_phrases == ("caméras infrarouges",)
    assert first.direct is True
    text = explanation.text()
    assert "thermal imaging — SME: “thermal cameras”; stakeholder: “caméras infrarouges”" in text
    assert "Partner type differs" in text
    assert "Common language: fr." in text


def test_explanation_concepts_account_for_the_concept_signal(profiles: ProfileSet) -> None:
    explanation = Recommender(profiles).explain("skywatch", "prime")
    total = sum(c.contribution for c in explanation.concepts)
    assert explanation.signals["concepts"] is not None
    # The listed concepts carry most of the cosine (the rest is in smaller ones).
    assert total >= 0.8 * explanation.signals["concepts"]
    assert explanation.concepts[0].concept == "counter_uas"


def test_explanation_of_related_concepts_is_marked_indirect() -> None:
    profiles = ProfileSet(
        (SmeProfile("s", "S", "Uncooled thermal cameras."),),
        (StakeholderProfile("t", "T", "We need hyperspectral imaging."),),
    )
    explanation = Recommender(profiles).explain("s", "t")
    by_concept = {c.concept: c for c in explanation.concepts}
    assert by_concept["imaging"].direct is False
    assert by_concept["imaging"].sme_phrases == ("thermal cameras",)
    assert by_concept["imaging"].stakeholder_phrases == ("hyperspectral imaging",)


def test_update_sme_keeps_rankings_exact(profiles: ProfileSet) -> None:
    recommender = Recommender(profiles)
    recommender.rank(2)
    edited = SmeProfile("medic", "StopBleed", "Thermal cameras for firefighters and distributors.")
    mine = recommender.update_sme(edited)
    incremental = recommender.rankings()
    assert [r.stakeholder for r in mine] == [
        r.stakeholder for r in incremental.sme_to_stakeholders["medic"]
    ]
    assert recommender.rank(2) == incremental


def test_update_stakeholder_adds_and_keeps_rankings_exact(profiles: ProfileSet) -> None:
    recommender = Recommender(profiles)
    recommender.rank(2)
    new = StakeholderProfile(
        "coast",
        "Coast Guard",
        "Needs thermal cameras for night search and rescue.",
        type="distributor",
    )
    mine = recommender.update_stakeholder(new)
    assert mine[0].sme == "thermo"
    incremental = recommender.rankings()
    assert recommender.rank(2) == incremental
    assert incremental.sme_to_stakeholders["thermo"][0].stakeholder == "coast"


def test_rank_in_worker_processes_matches_in_process(profiles: ProfileSet) -> None:
    serial = Recommender(profiles, options=Options(workers=1)).rank(3)
    forked = Recommender(
        profiles, options=Options(workers=2, parallel_pairs=0, parallel_texts=0)
    ).rank(3)
    assert forked == serial


def test_rank_without_stakeholders_gives_empty_lists() -> None:
    profiles = ProfileSet((SmeProfile("s", "S", "Lasers"),), ())
    rankings = Recommender(profiles).rank(5)
    assert rankings.sme_to_stakeholders == {"s": []}
    assert rankings.stakeholder_to_smes == {}


@given(
    st.lists(st.lists(st.integers(0, 5), min_size=6, max_size=6), min_size=1, max_size=4),
    st.integers(1, 8),
)
def test_top_k_rows_matches_a_full_sort(rows: list[list[int]], k: int) -> None:
    block = np.array(rows, dtype=np.float32)
    idx, scores = top_k_rows(block, k)
    for r, row in enumerate(block):
        expected = sorted(range(len(row)), key=lambda j: (-row[j], j))[:k]
        assert [int(j) for j in idx[r] if j >= 0] == expected
        assert list(scores[r][: len(expected)]) == [row[j] for j in expected]


WORDS = [
    "thermal",
    "cameras",
    "drones",
    "radar",
    "sonar",
    "lasers",
    "encryption",
    "satellites",
    "batteries",
    "hydrogen",
    "robots",
    "firefighters",
    "police",
    "navy",
    "border",
    "hospitals",
    "training",
    "simulation",
    "composites",
    "sensors",
    "lidar",
]


def _random_profiles(rng: random.Random) -> ProfileSet:
    def text() -> str:
        return " ".join(rng.sample(WORDS, 4))

    return ProfileSet(
        tuple(SmeProfile(f"s{i}", "S", text()) for i in range(30)),
        tuple(
            StakeholderProfile(f"t{j}", "T", text(), type=rng.choice(["prime", "police", ""]))
            for j in range(60)
        ),
    )


def _ids(rankings: Rankings) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    return ids(rankings)


def test_updates_keep_both_directions_equal_to_a_full_recompute() -> None:
    rng = random.Random(4)
    profiles = _random_profiles(rng)
    recommender = Recommender(profiles)
    recommender.rank(3)
    for step in range(25):
        words = " ".join(rng.sample(WORDS, rng.randint(1, 5)))
        if step % 2:
            recommender.update_sme(SmeProfile(f"s{rng.randrange(32)}", "S", words))
        else:
            recommender.update_stakeholder(StakeholderProfile(f"t{rng.randrange(64)}", "T", words))
        # rank() recomputes every list from the current features (same IDF as the updates).
        assert _ids(recommender.rankings()) == _ids(recommender.rank(3)), step
