"""Claims that run over lines, read by the functions of pipeline/extract/lines.py."""

from __future__ import annotations

from datetime import date

import spacy

from pipeline.extract import lines
from pipeline.extract.sentence import Mention, OpenList
from pipeline.models import Article

ARTICLE = Article(id="a", text="The members are:\n- Ruritania\n- Xanadu\n- Freedonia", title="")


def blank():
    return spacy.blank("en")


def test_a_bullet_the_reference_does_not_name_makes_the_list_partial():
    nlp = blank()
    listing = lines.Listing(OpenList("members", "Pact", 0.9, complete=True), start=0, end=16)
    for name, offset, named in (
        ("Ruritania", 19, True),
        ("Xanadu", 31, False),
        ("Freedonia", 40, True),
    ):
        tokens = nlp.make_doc(name)
        mentions = [Mention(0, 1, name)] if named else []
        line = lines.Line(name, offset, "bullet", first=True)
        assert lines.read_item(listing, line, mentions, tokens, ARTICLE.text)
    claim = lines.listed(ARTICLE, listing, date(2024, 1, 1), "article")
    assert (claim.value, claim.complete) == ("Ruritania|Freedonia", False)
    assert claim.text.startswith("Ruritania")


def test_a_blank_line_ends_a_list():
    text = "Members:\nRuritania\n\nFreedonia"
    listing = lines.Listing(OpenList("members", "Pact", 0.9, complete=True), start=0, end=18)
    line = lines.Line("Freedonia", 20, "line", first=True)
    tokens = blank().make_doc("Freedonia")
    assert not lines.read_item(listing, line, [Mention(0, 1, "Freedonia")], tokens, text)


def test_an_office_label_is_a_short_line_ending_in_the_cue():
    doc = blank().make_doc("Summit Chairperson")
    assert lines.ends_with_office(doc, [(0, 1, 2)])
    assert not lines.ends_with_office(doc, [(0, 0, 1)])


def test_the_holder_is_the_name_that_ends_the_line():
    doc = blank()("Flag of Sylvania.svg Oskar Lindqvist")
    (claim,) = lines.holder(
        ARTICLE, lines.Line(doc.text, 0, "line", True), doc, "chair", date(2024, 1, 1), "article"
    )
    assert (claim.value, claim.kind) == ("Oskar Lindqvist", "office")
