"""Bounded fuzz tests of ingest (a few seconds in CI): arbitrary bytes under every supported
extension give an Article or a Skipped with a reason, never an exception; every record of a
CSV batch, broken records among them, becomes an article or a reported skip."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.clean import clean_text
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


# -- CSV batches ---------------------------------------------------------------------------

# Field text with everything CSV must quote: commas, quotes, line feeds, CR LF, lone CRs.
CELL = st.lists(
    st.sampled_from([*'ab Zé,"\n\r;', "\r\n", "Ruritania", "Freedonia"]), max_size=12
).map("".join)
# One-line records that break the CSV rules: a quote never closed, a character after a
# closing quote.
BROKEN = st.sampled_from(['bad,"Sylvania has', 'bad,"Sylvania" has'])


def write_csv(texts: list[str], broken: dict[int, str], newline: str) -> tuple[str, dict[str, int]]:
    """A CSV batch of records r0, r1, ... with `texts`, a broken line before record i for each
    i in `broken`; and the line each record starts on."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(["id", "text"])
    lines: dict[str, int] = {}
    for index, text in enumerate(texts):
        if index in broken:
            out.write(broken[index] + newline)
        lines[f"r{index}"] = out.getvalue().count("\n") + 1
        writer.writerow([f"r{index}", text])
    return out.getvalue(), lines


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(CELL, max_size=8),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_every_csv_record_becomes_an_article_or_a_skip(texts: list[str], newline: str) -> None:
    raw, lines = write_csv(texts, {}, newline)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "batch.csv"
        path.write_bytes(raw.encode("utf-8"))
        items = list(iter_articles([path], max_bytes=10_000))
    assert len(items) == len(texts)  # count in = articles + skips
    for index, (item, text) in enumerate(zip(items, texts, strict=True)):
        if clean_text(text):
            assert isinstance(item, Article)
            assert (item.id, item.text, item.line) == (
                f"r{index}",
                clean_text(text),
                lines[item.id],
            )
        else:
            assert item == Skipped(f"{path.as_posix()}:{lines[f'r{index}']}", item.reason)


def closes_a_stray_quote(text: str) -> bool:
    """True when the first line of `text`'s quoted field (`r1,"` then only doubled quotes)
    would cleanly close a quote left open above it: no reader can tell which is meant."""
    return "\n" in text and not text.split("\n", 1)[0].removesuffix("\r").strip('"')


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(CELL, min_size=1, max_size=8),
    broken=st.dictionaries(st.integers(min_value=0, max_value=7), BROKEN, min_size=1),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_a_broken_csv_record_is_skipped_and_the_others_read(
    texts: list[str], broken: dict[int, str], newline: str
) -> None:
    broken = {index: line for index, line in broken.items() if index < len(texts)}
    assume(not any(closes_a_stray_quote(text) for text in texts))
    raw, lines = write_csv(texts, broken, newline)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "batch.csv"
        path.write_bytes(raw.encode("utf-8"))
        items = list(iter_articles([path], max_bytes=10_000))
    assert len(items) == len(texts) + len(broken)  # count in = articles + skips
    articles = {item.id: item for item in items if isinstance(item, Article)}
    skipped = {
        item.source.rsplit(":", 1)[1]: item.reason for item in items if isinstance(item, Skipped)
    }
    assert "bad" not in articles  # a broken record is never read, nor merged with others
    for index, text in enumerate(texts):
        key = f"r{index}"
        if clean_text(text):
            assert articles[key].text == clean_text(text)
        else:
            assert str(lines[key]) in skipped
    assert sum("not valid CSV" in reason for reason in skipped.values()) == len(broken)
