"""Tests for pipeline.clean: folding, line structure, idempotence and blocks."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import BULLET, Block, clean_text, split_blocks, split_sentences

FOLDING = [
    ("curly single quotes", "It\u2019s the \u2018best\u2019", "It's the 'best'"),
    ("reversed and prime quotes", "\u201bx\u2032", "'x'"),
    ("curly double quotes", "\u201cYes,\u201d she said", '"Yes," she said'),
    ("low and double-prime quotes", "\u201eno\u2033", '"no"'),
    ("hyphen and non-breaking hyphen", "well\u2010known non\u2011stop", "well-known non-stop"),
    (
        "figure dash and en dash in a range",
        "pages 4\u20129, 1990\u20131995",
        "pages 4-9, 1990-1995",
    ),
    ("unspaced em dash", "red\u2014blue", "red-blue"),
    ("spaced en dash", "the plan \u2013 later dropped", "the plan - later dropped"),
    ("spaced em dash", "one \u2014 two", "one - two"),
    ("horizontal bar", "a\u2015b", "a-b"),
    ("no-break space", "10\u00a0km", "10 km"),
    ("narrow no-break and ideographic spaces", "5\u202f000\u3000units", "5 000 units"),
    ("zero-width space and joiner", "par\u200bli\u200dament", "parliament"),
    ("byte order mark and soft hyphen", "\ufeffgovern\u00adment", "government"),
    ("fullwidth letters", "\uff21\uff22\uff23 news", "ABC news"),
    ("ligature", "\ufb01nal of\ufb01ce", "final office"),
    ("ellipsis", "and so\u2026", "and so..."),
    ("tabs and runs of spaces", "a \t b    c", "a b c"),
    ("spaces at line ends", "  padded line  ", "padded line"),
]


@pytest.mark.parametrize(
    ("raw", "expected"), [case[1:] for case in FOLDING], ids=[c[0] for c in FOLDING]
)
def test_clean_text_folds_typography(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "glyph", ["\u2022", "\u25e6", "\u25aa", "\u2023", "\u25cf", "*", "-", "+", "\u2013"]
)
def test_clean_text_rewrites_a_bullet_glyph_to_one_marker(glyph: str) -> None:
    assert clean_text(f"  {glyph}  Ferries run hourly.") == f"{BULLET}Ferries run hourly."


def test_clean_text_keeps_a_glyph_bullet_without_a_space() -> None:
    assert clean_text("\u2022Ferries run hourly.") == "- Ferries run hourly."


def test_clean_text_keeps_numbered_items_with_their_number() -> None:
    assert clean_text("1.  First stop\n2) Second stop") == "1. First stop\n2) Second stop"


@pytest.mark.parametrize("line", ["*emphasis* stays", "-5 degrees overnight", "+3 points"])
def test_clean_text_leaves_a_marker_glued_to_a_word(line: str) -> None:
    assert clean_text(line) == line


def test_clean_text_drops_an_empty_bullet() -> None:
    assert clean_text("Intro line\n\u2022\nNext line") == "Intro line\n\nNext line"


def test_clean_text_keeps_a_heading_off_the_next_sentence() -> None:
    raw = "Rail Network Growth\nThe network grew to 300 stations."
    assert clean_text(raw) == raw


def test_clean_text_keeps_a_bullet_line_off_the_next_sentence() -> None:
    raw = "\u2022 Two ferries\nThe council bought them in spring."
    assert clean_text(raw) == "- Two ferries\nThe council bought them in spring."


def test_clean_text_separates_paragraphs_with_one_blank_line() -> None:
    raw = "First paragraph.\n\n\n\n  \nSecond paragraph."
    assert clean_text(raw) == "First paragraph.\n\nSecond paragraph."


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028", "\x85", "\x0c"])
def test_clean_text_treats_every_line_break_as_a_newline(newline: str) -> None:
    assert clean_text(f"one{newline}two") == "one\ntwo"


def test_clean_text_trims_blank_lines_at_both_ends() -> None:
    assert clean_text("\n\n  \nBody text.\n\n\n") == "Body text."


@pytest.mark.parametrize("raw", ["", "   ", "\n\n\t\n", "\u200b\u00a0"])
def test_clean_text_of_blank_input_is_empty(raw: str) -> None:
    assert clean_text(raw) == ""


IDEMPOTENCE = [
    *(case[1] for case in FOLDING),
    "\u2022 \u2022 nested glyphs",
    "- - double marker",
    "* item with *stars*",
    "\u2022\u0301 combining mark after a glyph",
    "e\u200b\u0301 accent split by a zero-width space",
    "\u00b4acute and \u00a8diaeresis",
    "line one\r\n\r\n\r\nline two\u2029\u2029line three",
    "  \t  \n- \n* \n1. \n",
]


@pytest.mark.parametrize("raw", IDEMPOTENCE)
def test_clean_text_is_idempotent(raw: str) -> None:
    once = clean_text(raw)
    assert clean_text(once) == once


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_clean_text_is_idempotent_for_any_text(raw: str) -> None:
    once = clean_text(raw)
    assert clean_text(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n\r-*+.?!:1aZ\u2022\u00a0\u200b\u2014\u0301"))))
def test_clean_text_is_idempotent_for_markup_heavy_text(raw: str) -> None:
    once = clean_text(raw)
    assert clean_text(once) == once


# -- split_blocks --------------------------------------------------------------------------


KINDS = [
    ("heading", "Harbour Works\nThe quay was rebuilt."),
    ("question", "Why did the quay close?\nIt flooded."),
    ("bullet", "- Quay closed in winter\nMore text."),
    ("bullet", "3. Quay closed in winter\nMore text."),
    ("paragraph", "The quay was rebuilt in two years.\nMore text."),
    ("paragraph", "The quay was rebuilt over two long and costly years by a small team of workers"),
    ("line", "Key facts:\nMore text."),
    ("line", "Closing note without punctuation"),
]


@pytest.mark.parametrize(("kind", "text"), KINDS)
def test_split_blocks_gives_the_first_line_its_kind(kind: str, text: str) -> None:
    assert split_blocks(text)[0].kind == kind


def test_split_blocks_makes_a_short_line_ending_in_question_mark_a_question() -> None:
    blocks = split_blocks("Where is the quay?\n\nIt is by the old mill.")
    assert [block.kind for block in blocks] == ["question", "paragraph"]


def test_split_blocks_does_not_call_a_question_after_a_sentence_a_question() -> None:
    assert split_blocks("The quay is closed. Why?\nNext.")[0].kind == "paragraph"


def test_split_blocks_needs_a_following_line_for_a_heading() -> None:
    assert split_blocks("Harbour Works")[0].kind == "line"


def test_split_blocks_finds_the_next_non_empty_line_across_a_blank_line() -> None:
    assert split_blocks("Harbour Works\n\nThe quay was rebuilt.")[0].kind == "heading"


@pytest.mark.parametrize("end", [".", "!", ":", ";", ","])
def test_split_blocks_does_not_call_a_punctuated_line_a_heading(end: str) -> None:
    assert split_blocks(f"Harbour works{end}\nMore text.")[0].kind != "heading"


def test_split_blocks_leaves_the_bullet_marker_out_of_the_block() -> None:
    text = "Intro line\n- Two new lanes\n12. Twelve stops"
    blocks = split_blocks(text)
    assert [(block.text, block.kind) for block in blocks[1:]] == [
        ("Two new lanes", "bullet"),
        ("Twelve stops", "bullet"),
    ]


def test_split_blocks_gives_offsets_into_the_text() -> None:
    text = "Title line\n\nFirst sentence. Second one.\n- item"
    assert split_blocks(text) == [
        Block(start=0, end=10, text="Title line", kind="heading"),
        Block(start=12, end=39, text="First sentence. Second one.", kind="paragraph"),
        Block(start=42, end=46, text="item", kind="bullet"),
    ]


def test_split_blocks_of_empty_text_is_empty() -> None:
    assert split_blocks("") == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_split_blocks_offsets_slice_the_cleaned_text(raw: str) -> None:
    text = clean_text(raw)
    blocks = split_blocks(text)
    assert all(text[block.start : block.end] == block.text for block in blocks)
    assert [block.start for block in blocks] == sorted(block.start for block in blocks)
    assert len(blocks) == sum(1 for line in text.split("\n") if line)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("Mr. Smith met Dr. Jones. They spoke.", ["Mr. Smith met Dr. Jones.", "They spoke."]),
        (
            "Prime Minister F. Kishida spoke. Then he left.",
            ["Prime Minister F. Kishida spoke.", "Then he left."],
        ),
        ("The U.S. has 50 states. It grew.", ["The U.S. has 50 states.", "It grew."]),
        (
            "NATO (est. 1949) grew. It has 32 members.",
            ["NATO (est. 1949) grew.", "It has 32 members."],
        ),
        ('"We agree." - A. Speaker', ['"We agree." - A. Speaker']),
        ('He said "yes." Then he left.', ['He said "yes."', "Then he left."]),
        ("", []),
    ],
)
def test_split_sentences(text, sentences):
    assert [text[start:end] for start, end in split_sentences(text)] == sentences


@given(st.text(max_size=300))
def test_split_sentences_covers_the_text_in_order(text):
    spans = split_sentences(text)
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert all(b <= c for (_, b), (c, _) in pairwise(spans))
    assert "".join(ch for ch in text if not ch.isspace()) == "".join(
        ch for a, b in spans for ch in text[a:b] if not ch.isspace()
    )


def test_footnote_and_citation_markers_are_dropped():
    assert clean_text("The pact has 4 members.[12][13]") == "The pact has 4 members."
    assert clean_text("Fenwick 2005[A 1] 13,927") == "Fenwick 2005 13,927"
    assert clean_text("It grew [citation needed] fast.") == "It grew fast."
    assert clean_text("The list [Ruritania] stays.") == "The list [Ruritania] stays."
