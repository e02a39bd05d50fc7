"""Tables with one row per entity, read by pipeline/extract/rows.py and the extractor."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.clean import clean_text
from pipeline.extract import Extractor, rows
from pipeline.extract.sentence import Mention
from pipeline.models import Article
from pipeline.reference import load_reference

MINI = Path(__file__).parent / "data" / "mini_reference"
DAY = date(2024, 6, 1)

TABLE = """The Northern Pact

Its members over the years.

Members
Country Zone Joined
Population
Ruritania North 1990 4,200,000
Grand Fenwick West 2006[a 1] 35,000

Former members
Country Zone Joined Left
Freedonia South 1990 2003
Sylvania East 1990 2001

Total 4,235,000
"""


def line(text, mentions=(), starts_line=True):
    return rows.Line(text, 0, starts_line, list(mentions), text.split())


@pytest.mark.parametrize(
    ("text", "mentions", "expected"),
    [
        ("Ruritania North 1990 4,200,000", [Mention(0, 1, "Ruritania")], True),
        ("Grand Fenwick West 2006", [Mention(0, 2, "Grand Fenwick")], True),
        ("Ruritania joined in 1990", [Mention(0, 1, "Ruritania")], False),  # a sentence
        ("Ruritania North", [Mention(0, 1, "Ruritania")], False),  # no figure
        ("Zone Ruritania 1990", [Mention(1, 2, "Ruritania")], False),  # no name first
    ],
)
def test_a_row_starts_with_a_name_and_holds_only_names_and_figures(text, mentions, expected):
    assert rows.is_row(line(text, mentions)) is expected


def test_a_bullet_is_not_a_row():
    assert not rows.is_row(line("Ruritania 1990", [Mention(0, 1, "Ruritania")], False))


def test_years_skip_footnotes_and_grouped_figures():
    assert rows.years("North 2006[a 1] 35,000 1,990,000 1990") == ["2006", "1990"]


def test_a_former_heading():
    assert rows.is_former(["Former members"]) and not rows.is_former(["Members"])


@pytest.fixture(scope="module")
def claims(nlp):
    extractor = Extractor(nlp, load_reference(MINI))
    article = Article(id="t.txt", text=clean_text(TABLE), published=DAY, title="")
    return extractor.extract(article, default_date=DAY)


def test_each_date_column_takes_the_rows_years_in_order(claims):
    dated = {(c.entity, c.attribute, c.value) for c in claims if c.kind == "value"}
    assert dated == {
        ("Ruritania", "pact_accession", "1990"),
        ("Grand Fenwick", "pact_accession", "2006"),
        ("Freedonia", "pact_accession", "1990"),
        ("Freedonia", "pact_withdrawal", "2003"),
        ("Sylvania", "pact_accession", "1990"),
        ("Sylvania", "pact_withdrawal", "2001"),
    }
    left = next(c for c in claims if c.attribute == "pact_withdrawal")
    assert left.readings == "@pact_suspension"  # "Left" may also mean suspended


def test_rows_are_members_or_former_members_by_their_heading(claims):
    listed = {(c.value, c.negated) for c in claims if c.kind == "list"}
    assert listed == {
        ("Ruritania", False),
        ("Grand Fenwick", False),
        ("Freedonia", True),
        ("Sylvania", True),
    }
    row = next(c for c in claims if c.kind == "list" and c.value == "Grand Fenwick")
    assert row.sentence.startswith("Grand Fenwick West 2006") and row.text == "Grand Fenwick"


def test_a_table_with_no_date_column_or_group_gives_nothing(nlp):
    extractor = Extractor(nlp, load_reference(MINI))
    text = "Country Zone\nRuritania North 12\nFreedonia South 14\n"
    article = Article(id="t.txt", text=clean_text(text), published=DAY, title="")
    found = extractor.extract(article, default_date=DAY)
    assert not [c for c in found if c.kind in ("value", "list")]


def test_a_markdown_table_with_one_row_per_member(nlp):
    extractor = Extractor(nlp, load_reference(MINI))
    text = (
        "The Northern Pact\n\nMembers\n\n| Country | Joined |\n|---|---|\n"
        "| Ruritania | 1990 |\n| Grand Fenwick | 2005 |\n"
    )
    article = Article(id="t.md", text=clean_text(text), published=DAY, title="")
    found = {(c.kind, c.entity, c.value) for c in extractor.extract(article, default_date=DAY)}
    assert found == {
        ("value", "Ruritania", "1990"),
        ("value", "Grand Fenwick", "2005"),
        ("list", "Northern Pact", "Ruritania"),
        ("list", "Northern Pact", "Grand Fenwick"),
    }
