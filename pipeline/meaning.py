"""The checked claims as sentence embeddings, for matching article sentences by meaning.

Built once per extractor (per process, or per Dask worker): the claims are embedded when a
sentence first needs them, and each sentence's embedding is computed once.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.embed import Vectors, check_installed, load_encoder

CACHE = 256  # sentences whose embedding is kept, for the clauses of one article


class ClaimIndex:
    """Cosine similarities between a text and every checked claim."""

    def __init__(self, claims: Sequence[str]) -> None:
        if claims:
            check_installed()  # fail at the start of a run, in one line, not mid-batch
        self.claims = list(claims)
        self._vectors: Vectors | None = None
        self._seen: dict[str, Vectors] = {}

    def similarities(self, text: str) -> Vectors:
        """The cosine of `text` to each claim, in the claims' order."""
        encoder = load_encoder()
        if self._vectors is None:
            self._vectors = encoder.encode(self.claims)
        if text not in self._seen:
            if len(self._seen) >= CACHE:
                self._seen.clear()
            self._seen[text] = encoder.encode([text])[0]
        return self._vectors @ self._seen[text]
