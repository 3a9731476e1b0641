"""The optional semantic signal (skipped when the ``semantic`` extra is not installed)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.matching.conftest import SMES, STAKEHOLDERS, profile_set
from trademission.matching.cli import main
from trademission.matching.rank import Options, Recommender
from trademission.matching.semantic import SemanticModel, model_path, semantic_available

pytestmark = pytest.mark.skipif(
    not semantic_available(), reason="pip install 'trademission[semantic]'"
)


@pytest.fixture(scope="module")
def model() -> SemanticModel:
    return SemanticModel()


def test_semantic_model_comes_from_the_installed_package() -> None:
    path = model_path()
    assert (path / "model.safetensors").is_file()
    assert "site-packages" in str(path) or "dist-packages" in str(path)


def test_semantic_embeddings_put_paraphrases_closer(model: SemanticModel) -> None:
    vectors = model.encode(
        [
            "Cameras that see people in complete darkness using body heat.",
            "We need thermal imagers for night surveillance.",
            "Industrial bakery looking for packaging machines.",
        ]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_semantic_signal_enters_the_score(model: SemanticModel) -> None:
    recommender = Recommender(profile_set(), options=Options(semantic=True), semantic_model=model)
    explanation = recommender.explain("thermo", "optics")
    assert explanation.signals["semantic"] is not None
    assert explanation.signals["semantic"] > 0.2
    assert recommender.rank(1).sme_to_stakeholders["thermo"][0].stakeholder == "optics"


def test_cli_semantic_flag(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    path.write_text(json.dumps({"smes": SMES, "stakeholders": STAKEHOLDERS}), encoding="utf-8")
    out = tmp_path / "rankings.json"
    assert main([str(path), "--semantic", "--out", str(out)]) == 0
    explanation = json.loads(out.read_text(encoding="utf-8"))["explanations"]["thermo"]["optics"]
    assert explanation["signals"]["semantic"] is not None
