"""Reliability of ingest: each input of the tester's issue (numbers are theirs) gives an
article or a skip with its reason, never a merge, a silent loss, a crash, hours of regular
expressions or a record held whole in memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from pipeline.ingest import iter_articles
from pipeline.models import Article, Skipped

MINI = Path(__file__).parent / "data" / "mini_reference"
AS_OF = date(2024, 6, 1)
GOOD = "Published: June 1, 2024\n\nThe Northern Pact has four members.\n"
CLAIM = "The Northern Pact has four members."


def items_of(*paths: Path, **options: object) -> list[Article | Skipped]:
    return list(iter_articles(list(paths), **options))


def summary(items: list[Article | Skipped]) -> list[str]:
    """Each item as 'id' for an article, 'line: reason' for a skipped record and
    'source: reason' for a skipped file, for short asserts."""
    return [
        item.id if isinstance(item, Article) else f"{_where(item)}: {item.reason}" for item in items
    ]


def _where(item: Skipped) -> str:
    line = item.source.rsplit(":", 1)[-1]
    return line if line.isdigit() else item.source


# -- 4. Markdown in linear time ------------------------------------------------------------

# Lines of the shapes that made the Markdown rules backtrack (the tester's 96 KB file took
# 59 s): five megabytes of prose whose brackets never close, and a megabyte each of markers
# that open a span and never close, brackets, backticks, a heading padded with spaces.
PROSE = (
    "The *Northern Pact* has **four** members, says [the charter](https://x.example/a_b) "
    "of `Ruritania`, ~~three~~ since 2005. "
)
STRAY = "The *Northern Pact* has **four** members [sic, says `Ruritania`. "
MEGABYTE = 1_000_000
SHAPES = {
    "prose with stray brackets, 5 MB": STRAY * (5 * MEGABYTE // len(STRAY)),
    "emphasis never closed": "*a " * (MEGABYTE // 3),
    "strong never closed": "**a " * (MEGABYTE // 4),
    "underscores never closed": "_a " * (MEGABYTE // 3),
    "strike-through never closed": "~~a " * (MEGABYTE // 4),
    "backticks": "a" + "`" * MEGABYTE,
    "brackets": "[" * MEGABYTE,
    "image openers": "![a](" * (MEGABYTE // 5),
    "autolink openers": "<http:" * (MEGABYTE // 6),
    "heading padded with spaces": "# x" + " " * MEGABYTE + "y",
}
SECONDS = 10.0


@pytest.fixture(scope="module")
def markdown_seconds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    """Seconds to read each shape as a .md file, in a subprocess stopped after a minute."""
    folder = tmp_path_factory.mktemp("markdown")
    for index, line in enumerate(SHAPES.values()):
        (folder / f"{index}.md").write_text(line + "\n", encoding="utf-8")
    code = textwrap.dedent(
        f"""
        import json, time
        from pathlib import Path
        from pipeline.ingest import iter_articles
        seconds = []
        for index in range({len(SHAPES)}):
            started = time.monotonic()
            (item,) = iter_articles([Path({str(folder)!r}) / f"{{index}}.md"], max_bytes=10**8)
            assert item.text, item
            seconds.append(time.monotonic() - started)
        print(json.dumps(seconds))
        """
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
            capture_output=True,
            text=True,
            timeout=60 + SECONDS * len(SHAPES),
            check=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("reading the Markdown lines did not finish")
    return dict(zip(SHAPES, json.loads(done.stdout), strict=True))


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_long_markdown_line_is_read_in_seconds(markdown_seconds, shape: str) -> None:
    assert markdown_seconds[shape] < SECONDS


def test_markdown_markup_is_still_removed_on_a_long_line(tmp_path: Path) -> None:
    path = tmp_path / "long.md"
    path.write_text(PROSE * 1000, encoding="utf-8")
    (article,) = items_of(path)
    assert article.text.startswith(
        "The Northern Pact has four members, says the charter of Ruritania, three since 2005. "
    )
