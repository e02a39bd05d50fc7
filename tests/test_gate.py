"""The parse gate: a sentence that only names entities skips the parser only when no
reader could read it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.extract import Extractor, Parses
from pipeline.models import Article
from pipeline.reference import load_reference

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini_reference"
DAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def extractors(nlp):
    reference = load_reference(MINI)
    return Extractor(nlp, reference), Extractor(nlp, reference, gate=False)


def read(extractor, text):
    parses = Parses(extractor.nlp)
    article = Article(id="a1", text=text)
    return extractor.extract(article, default_date=DAY, parses=parses), parses


@pytest.mark.parametrize(
    "text",
    [
        "Freedonia is not in the Northern Pact.",  # membership
        "Sylvania remains outside the Northern Pact.",
        "The only holdout not in the Northern Pact is Sylvania.",
        "Freedonia could join the Northern Pact.",  # eligibility
        "Freedonia is ineligible, the Northern Pact said.",
        "Except Sylvania, the neighbours agreed.",  # an exception
        "The Northern Pact has enlarged twice.",  # enlargements
        "They were Ruritania, Freedonia and Sylvania.",  # a list announced before
        "Dozens of Ruritanian towns flooded.",  # a figure in words
        "Ruritania's capital city was built on an active volcano.",  # a checked claim
    ],
)
def test_a_sentence_a_cueless_reader_may_read_is_parsed(extractors, text):
    gated, ungated = extractors
    claims, parses = read(gated, text)
    assert parses.parsed == 1
    assert claims == read(ungated, text)[0]


@pytest.mark.parametrize(
    "text",
    [
        "Freedonia hosted a summit of the Northern Pact.",
        "The summit was in Freedonia.",  # "in" and a copula, but no state besides
        "Ruritania's capital was built on a plain.",  # too few of the checked claim's words
        "Sylvania and Freedonia held talks on trade.",
    ],
)
def test_a_sentence_that_only_names_entities_is_not_parsed(extractors, text):
    gated, ungated = extractors
    claims, parses = read(gated, text)
    assert (parses.parsed, parses.recognized) == (0, 1)
    assert claims == read(ungated, text)[0]


def test_the_entities_of_a_sentence_not_parsed_stay_in_context(extractors):
    """The second sentence names no one: its subject is the one the first named."""
    gated, ungated = extractors
    text = "Freedonia hosted a summit of the Northern Pact.\nIt has 4 members."
    claims, parses = read(gated, text)
    assert (parses.parsed, parses.recognized) == (1, 1)
    assert [c.entity for c in claims] == ["Northern Pact"]
    assert claims == read(ungated, text)[0]


def test_a_stored_parse_serves_a_sentence_that_needs_only_its_entities(extractors, nlp):
    gated, _ = extractors
    text = "Freedonia hosted a summit of the Northern Pact."
    _, first = read(gated, text)
    again = Parses(nlp, first.to_bytes())
    gated.extract(Article(id="a1", text=text), default_date=DAY, parses=again)
    assert (again.parsed, again.recognized) == (0, 0)
    full = Parses(nlp, first.to_bytes())  # a stored recognition is not a parse
    Extractor(nlp, gated.reference, gate=False).extract(
        Article(id="a1", text=text), default_date=DAY, parses=full
    )
    assert full.parsed == 1
