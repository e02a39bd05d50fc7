"""Hand-made findings for the report tests (HTML, CSV, browser)."""

from __future__ import annotations

from pipeline.models import Finding


def make_finding(
    finding_id: str = "f1",
    *,
    verdict: str = "contradicted",
    article: str = "a1",
    sentence: str = "The town has 120 bridges.",
    claim: str = "120 bridges",
    source: str = "https://example.org/bridges",
    **changes: object,
) -> Finding:
    """A hand-made finding whose claim offsets point at `claim` inside `sentence`."""
    start = sentence.index(claim)
    fields = {
        "finding_id": finding_id,
        "article": article,
        "published": "2024-03-01",
        "as_of": "2024-03-01",
        "sentence": sentence,
        "start": start,
        "end": start + len(claim),
        "claim": claim,
        "entity": "Exampletown",
        "attribute": "bridges",
        "claimed_value": "120",
        "reference_value": "80",
        "verdict": verdict,
        "confidence": 0.8765,
        "fact_id": "F001",
        "source": source,
        "explanation": "The reference says 80 bridges.",
        "kind": "value",
        "title": "Bridges of Exampletown",
        "url": "https://news.example/bridges",
    }
    fields.update(changes)
    return Finding(**fields)
