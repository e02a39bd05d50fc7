"""Tables with one row per entity, flattened to text one line per row.

A member table copied out of a web page arrives as a header of column labels, sometimes
over several short lines ("Country Region Joined", "Area (km²)"), then one line per row
that starts with a name and holds only names and figures ("Freedonia North 1990 4,200").
The header's date columns ("Joined", "Left") take the row's years in order; the heading
above the table (or the article's title) says whose members the rows are, or that they
are former members.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pipeline import lexicon
from pipeline.extract.sentence import Mention
from pipeline.models import Article, Claim

MAX_ROW_CHARS = 160
MAX_HEADER_LINES = 3  # a header cut over lines: "Country Region Joined Population", "(2008)"
MAX_HEADER_CHARS = 80
MAX_STATUS_LINES = 2  # the heading lines above a header that say what the rows are
MIN_ROWS = 2
ROW_CONFIDENCE = 0.8
FORMER_WORDS = lexicon.words("former_words")
_FOOTNOTE = re.compile(r"\[[^\]]{0,12}\]")  # "2005[a 1]", "Joined[2]"
_YEAR = re.compile(r"(?<![\d,.])(1[5-9]\d\d|20\d\d)(?![\d,.])")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the article as the table reader sees it."""

    text: str
    offset: int  # where it starts in the article
    starts_line: bool  # a line of its own, not a later sentence of one nor a bullet item
    mentions: Sequence[Mention]  # reference entities named in it, by token
    tokens: Sequence[str]  # its tokens' texts


@dataclass(frozen=True, slots=True)
class Table:
    """Where a table's header and rows are among the lines read."""

    header: range
    rows: range


@dataclass(frozen=True, slots=True)
class Columns:
    """What a table's header and the lines above it say about its rows."""

    # The date attribute of each of the header's date columns, in order, with the other
    # attributes its label may signal as readings ("Left": withdrawal, or suspension).
    dates: tuple[tuple[str, str], ...]
    members: str  # the list attribute the rows are items of ("members"), or ""
    group: str  # whose list it is, or ""
    former: bool  # the rows are former members


def is_row(line: Line) -> bool:
    """A line that starts with a reference entity and holds only names and figures after it:
    "Freedonia North 1990 4,200,000"."""
    if not line.starts_line or len(line.text) > MAX_ROW_CHARS or not line.mentions:
        return False
    first = next((i for i, t in enumerate(line.tokens) if _WORD.search(t) or t[:1].isdigit()), 0)
    if line.mentions[0].start != first:
        return False
    rest = " ".join(line.tokens[line.mentions[0].end :])
    rest = _FOOTNOTE.sub(" ", rest)
    if not any(c.isdigit() for c in rest):
        return False
    return all(word[0].isupper() for word in _WORD.findall(rest))


def row_shaped(text: str) -> bool:
    """A short line with a figure whose words are all capitalised: what a row may be,
    told without the entity matchers."""
    if len(text) > MAX_ROW_CHARS or not any(c.isdigit() for c in text):
        return False
    words = _WORD.findall(_FOOTNOTE.sub(" ", text))
    return all(word[0].isupper() or len(word) <= 3 for word in words)  # "Republic of the"


def find_tables(lines: Sequence[Line]) -> list[Table]:
    """Runs of at least two rows under a header of short lines with no end punctuation."""
    tables: list[Table] = []
    index = 0
    while index < len(lines):
        if not is_row(lines[index]):
            index += 1
            continue
        end = index
        while end < len(lines) and is_row(lines[end]):
            end += 1
        start = index
        while start > 0 and index - start < MAX_HEADER_LINES and _header_like(lines[start - 1]):
            start -= 1
        if end - index >= MIN_ROWS and start < index and lines[start].starts_line:
            tables.append(Table(header=range(start, index), rows=range(index, end)))
        index = end
    return tables


def _header_like(line: Line) -> bool:
    """A short line of capitalised labels with no end punctuation: "Country Joined Left"."""
    words = _WORD.findall(_BRACKETED.sub(" ", line.text))  # "Area (km²)": a unit
    capitalised = sum(word[0].isupper() for word in words)
    return _short_line(line) and line.starts_line and capitalised * 10 >= len(words) * 7


def _short_line(line: Line) -> bool:
    text = line.text.strip()
    return bool(text) and len(text) <= MAX_HEADER_CHARS and text[-1] not in ".!?:;,"


def status_lines(lines: Sequence[Line], table: Table) -> list[Line]:
    """The short lines just above a header: its heading ("Former members")."""
    above = []
    for index in range(table.header.start - 1, -1, -1):
        if len(above) == MAX_STATUS_LINES or not _short_line(lines[index]):
            break
        above.append(lines[index])
    return above


def is_former(texts: Sequence[str]) -> bool:
    """A heading that calls the rows past members ("Former members")."""
    return any(word.lower() in FORMER_WORDS for text in texts for word in _WORD.findall(text))


def years(text: str) -> list[str]:
    """The years in a row, in order, footnote marks and grouped figures left out."""
    return _YEAR.findall(_FOOTNOTE.sub(" ", text))


def row_claims(
    article: Article, line: Line, columns: Columns, *, as_of: date, time_source: str
) -> list[Claim]:
    """The claims of one row: the year in each date column, and the row's entity as one of
    the group's members (or, under a "Former members" heading, as no longer one)."""
    entity = line.mentions[0].entity
    name_end = _token_end(line, line.mentions[0].end)
    found: list[Claim] = []

    def claim(start: int, end: int, **fields: object) -> Claim:
        return Claim(
            article_id=article.id,
            sentence=line.text,
            sentence_start=line.offset,
            start=start,
            end=end,
            as_of=as_of,
            time_source=time_source,
            confidence=ROW_CONFIDENCE,
            **fields,  # type: ignore[arg-type]
        )

    row_years = years(line.text[name_end:])
    if columns.dates and len(row_years) == len(columns.dates):
        cursor = name_end
        for (attribute, readings), year in zip(columns.dates, row_years, strict=True):
            start = line.text.index(year, cursor)
            cursor = start + len(year)
            found.append(
                claim(
                    start,
                    cursor,
                    kind="value",
                    entity=entity,
                    attribute=attribute,
                    value=year,
                    value_text=year,
                    readings=readings,
                )
            )
    if columns.members and columns.group and entity != columns.group:
        found.append(
            claim(
                0,
                name_end,
                kind="list",
                entity=columns.group,
                attribute=columns.members,
                value=entity,
                value_text=line.text[:name_end].strip(),
                negated=columns.former,
            )
        )
    return found


def _token_end(line: Line, token: int) -> int:
    """The character offset in the line where its first `token` tokens end."""
    cursor = 0
    for text in line.tokens[:token]:
        cursor = line.text.index(text, cursor) + len(text)
    return cursor
