"""A bounded fuzz test of ingest: arbitrary bytes under every supported extension give an
Article or a Skipped with a reason, never an exception (a few seconds in CI)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ingest import iter_articles
from pipeline.models import Article, Skipped

EXTENSIONS = (".txt", ".md", ".html", ".htm", ".jsonl", ".csv")

# Bytes that look like the formats, so the fuzzer reaches past the first checks.
FRAGMENTS = st.sampled_from(
    [
        b"Published: April 29, 2024\n",
        b"<html><head><meta property='article:published_time' content='2024-01-01'>",
        b"<p>NATO has 32 members.</p>",
        b'{"id": "a", "text": "x"}\n',
        b'{"id": 1, "html": null}\n',
        b"id,text,published\n",
        b'"a","b\n',
        b"---\ndate: 2024-02-30\n---\n",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\x00",
        b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>&a;",
    ]
)
CONTENT = st.lists(st.one_of(FRAGMENTS, st.binary(max_size=200)), max_size=8).map(b"".join)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(content=CONTENT, extension=st.sampled_from(EXTENSIONS))
def test_any_bytes_give_an_article_or_a_reason(content, extension):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{extension}"
        path.write_bytes(content)
        for item in iter_articles([Path(folder)], max_bytes=10_000):
            assert isinstance(item, (Article, Skipped))
            if isinstance(item, Skipped):
                assert item.reason.strip()
            else:
                assert isinstance(item.text, str) and item.id
