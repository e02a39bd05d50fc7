"""Clean article text to plain ASCII-leaning lines, and split it into blocks.

`clean_text` keeps the line structure of its input, because a heading, a table row or a
bullet item that fused with the next sentence would read as one long false statement:
1. split into lines (every Unicode line break counts);
2. fold typography: quotes to ' and ", dashes to -, Unicode spaces to a space, and drop
   zero-width, format and control characters; then NFKC-normalize (and fold again, for
   the few characters NFKC produces);
3. per line: collapse runs of whitespace, strip, and rewrite a leading bullet glyph
   (•, ◦, ▪, ‣, ●, "*", "+", "-" and the like) to the one marker `BULLET` ("- ");
   numbered items ("1. ", "2) ") are kept as they are;
4. keep at most one blank line in a row, none at either end.

Bullets are remembered in the text itself: a bullet line starts with "- ", a numbered item
with "1. ". `split_blocks` gives such a line the kind "bullet" and a span that starts
after the marker, so the block's text is the item's own words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["heading", "question", "bullet", "line", "paragraph"]

BULLET = "- "
"""The marker `clean_text` puts at the start of every bullet line."""

HEADING_MAX_WORDS = 14
QUESTION_MAX_WORDS = 19

_QUOTES = {c: "'" for c in "‘’‛′‚´‹›"} | {c: '"' for c in "“”„‟″«»"}
_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63"}
_SPACES = {c: " " for c in "\t\u00a0\u1680\u202f\u205f\u3000"} | {
    chr(code): " " for code in range(0x2000, 0x200B)
}
_FOLD = str.maketrans(_QUOTES | _DASHES | _SPACES)
# Zero-width and other invisible format characters, and C0/C1 controls (line breaks are
# handled before this runs).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_WHITESPACE = re.compile(r"\s+")
_BULLET_GLYPHS = "•◦▪▫‣⁃∙·●○■□◆◇►▸▶➢➤✓✔\uf0a7\uf0b7"
_BULLET_MARK = re.compile(rf"^(?:[{_BULLET_GLYPHS}]+\s*|[-*+]\s+)")
_NUMBERED_MARK = re.compile(r"^\d{1,3}[.)]\s+(?=\S)")
_CLOSERS = "\"')]"
_SENTENCE_END = ".!?"
_NOT_HEADING_END = ".!?:;,"
# A sentence boundary inside a line: end punctuation, space, then a capital or a digit.
_INNER_BOUNDARY = re.compile(r"[.!?][\"')\]]*\s+[\"'(\[]?[A-Z0-9]")


@dataclass(frozen=True, slots=True)
class Block:
    """One non-empty line of cleaned text, with its offsets and kind."""

    start: int
    end: int
    text: str
    kind: BlockKind


# Footnote and citation markers glued to words by wiki pages: "[12]", "[A 1]", "[note 3]",
# "[citation needed]". They are not claims, and glued to a word they hide it from the parser.
_CITATION = re.compile(
    r"\[(?:\d{1,3}|[A-Za-z]\s?\d{1,3}|(?:note|nb|n)\s?\d{1,3}|(?:citation|clarification) needed)\]",
    re.IGNORECASE,
)


def clean_text(text: str) -> str:
    """Fold typography to ASCII, drop invisible characters and keep one line per line."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = _clean_line(raw)
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _fold(text: str) -> str:
    """Quotes, dashes and spaces to ASCII; invisible characters removed."""
    return _INVISIBLE.sub("", text.translate(_FOLD))


def _clean_line(line: str) -> str:
    """One line folded, normalized, with whitespace collapsed and its bullet marker unified."""
    # Fold before NFKC (it turns ″ into two primes), and again after it (it makes some dashes).
    line = _fold(unicodedata.normalize("NFKC", _fold(line)))
    line = _CITATION.sub("", line)  # "members.[12][13]" -> "members."
    line = _WHITESPACE.sub(" ", line).strip()
    match = _BULLET_MARK.match(line)
    if match:
        item = line[match.end() :].strip()
        return BULLET + item if item else ""
    return line


def split_blocks(text: str) -> list[Block]:
    """The non-empty lines of cleaned `text` as blocks; a block's start:end slices `text`."""
    spans: list[tuple[int, int, bool]] = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.span()
        line = match.group()
        start += len(line) - len(line.lstrip())
        end -= len(line) - len(line.rstrip())
        if start >= end:
            continue
        marker = _marker_length(text[start:end])
        spans.append((start + marker, end, marker > 0))
    blocks = []
    for index, (start, end, bullet) in enumerate(spans):
        line = text[start:end]
        kind = "bullet" if bullet else _kind(line, has_next=index + 1 < len(spans))
        blocks.append(Block(start=start, end=end, text=line, kind=kind))
    return blocks


def _marker_length(line: str) -> int:
    """How many characters of `line` are a bullet or number marker (0 when none)."""
    if line.startswith(BULLET) and line[len(BULLET) :].strip():
        return len(BULLET)
    match = _NUMBERED_MARK.match(line)
    return match.end() if match else 0


def _kind(line: str, *, has_next: bool) -> BlockKind:
    """The kind of a line that is not a bullet item."""
    words = len(line.split())
    last = line.rstrip(_CLOSERS)[-1:] or line[-1]
    if last == "?" and words <= QUESTION_MAX_WORDS and not _INNER_BOUNDARY.search(line[:-1]):
        return "question"
    if words <= HEADING_MAX_WORDS and last not in _NOT_HEADING_END and has_next:
        return "heading"
    if last in _SENTENCE_END or words > HEADING_MAX_WORDS:
        return "paragraph"
    return "line"


# Words that end with a full stop without ending a sentence ("Mr. Smith", "No. 3").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen sen rep gov lt col sgt capt cmdr adm st jr sr no nos art arts "
    "vol vols fig figs vs etc inc ltd co corp dept est approx jan feb mar apr jun jul aug "
    "sep sept oct nov dec u.s u.k u.n e.u".split()
)
_SENTENCE_BREAK = re.compile(r"[.!?][\"')\]]*(?=\s+[\"'(\[]?[A-Z])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a block, as (start, end) offsets, by punctuation: a full stop,
    question or exclamation mark (with any closing quotes or brackets) before a capital.
    Abbreviations ("Mr.", "No.") and initials ("F. Kishida") do not end a sentence."""
    spans = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(text):
        word = (
            text[start : match.start()].rsplit(None, 1)[-1]
            if text[start : match.start()].strip()
            else ""
        )
        bare = word.strip("\"'([").lower()
        if text[match.start()] == "." and (
            bare in _ABBREVIATIONS or (len(bare) == 1 and bare.isalpha())
        ):
            continue
        end = match.end()
        spans.append((start, end))
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        end = len(text.rstrip())
        if end > start:
            spans.append((start, end))
    return spans
