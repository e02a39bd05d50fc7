"""The value-type registry: every type has a reference form, a reader and a comparison."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline import values
from pipeline.extract.readers import READERS
from pipeline.models import Claim, Fact


def claim(value: str, value_text: str = "") -> Claim:
    return Claim(
        article_id="a",
        sentence="s",
        sentence_start=0,
        start=0,
        end=1,
        kind="value",
        as_of=date(2024, 1, 1),
        time_source="article",
        value=value,
        value_text=value_text or value,
    )


def fact(value: str) -> Fact:
    return Fact("f", "E", "a", value, None, None, "https://example.org")


def test_every_type_has_a_reader_and_every_reader_a_type():
    assert set(READERS) == set(values.TYPES)


def test_every_type_says_how_the_reference_writes_it():
    for entry in values.TYPES.values():
        assert entry.written and callable(entry.valid) and callable(entry.same)


@pytest.mark.parametrize(
    ("type_name", "good", "bad"),
    [
        ("count", "32", "032"),
        ("number", "3.5 million", "3,5"),
        ("year", "1949", "49"),
        ("date", "1949-04", "1949-13"),
        ("rank", "3", "0"),
        ("text", "Fumio Kishida", ""),
        ("provision", "Article 5: an attack on one is an attack on all", "Article 5"),
    ],
)
def test_reference_forms(type_name, good, bad):
    entry = values.TYPES[type_name]
    assert entry.valid(good) and not entry.valid(bad)


@pytest.mark.parametrize(
    ("type_name", "value", "written", "actual", "tolerance", "same"),
    [
        ("count", "32", "32", "32", "", True),
        ("count", "32", "nearly 32", "31", "", True),
        ("count", "30", "30", "32", "", False),
        ("number", "4000000", "about 4 million", "4.2 million", "", True),
        ("number", "4000000", "4 million", "4.2 million", "5%", True),
        ("year", "1949", "1949", "1949", "", True),
        ("date", "1999", "in 1999", "1999-09-25", "", True),
        ("date", "1999-06", "June 1999", "1999-09-25", "", False),
        ("rank", "3", "third", "4", "", False),
        ("text", "F. Kishida", "F. Kishida", "Fumio Kishida", "", True),
    ],
)
def test_comparisons(type_name, value, written, actual, tolerance, same):
    entry = values.TYPES[type_name]
    assert entry.same(claim(value, written), fact(actual), tolerance) is same


def test_numbers_are_shown_with_separators():
    assert values.TYPES["number"].show("124500000") == "124,500,000"
    assert values.TYPES["text"].show("Fumio Kishida") == "Fumio Kishida"
