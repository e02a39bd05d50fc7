"""Recover the cells of a table that was flattened to text, one line per row.

A comparison table copied out of a web page often arrives as a header line of names
("NATO EU") followed by lines that repeat one pattern once per column
("Founded in 1949 Founded in 1957"). `split_row` finds the column boundaries of such a
line; the extractor then reads each cell as a statement about its column's entity.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\S+")


def _shape(word: str) -> str:
    """A word with its digits folded, so '1949' and '1957' share a shape."""
    return re.sub(r"\d", "0", word.lower())


def _tokens(line: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(line)]


def split_row(line: str, columns: int) -> list[tuple[int, int]] | None:
    """Split a flattened table row into `columns` cells, as (start, end) offsets in `line`.

    Two patterns are recognised, tried in order:
    1. the line is the same sequence of word shapes repeated once per column
       ("29 member countries 27 member countries");
    2. the line's first word starts exactly `columns` segments ("Mission: ... Mission: ...").
    Returns None when the line is not such a row.
    """
    if columns < 2:
        return None
    tokens = _tokens(line)
    if len(tokens) < columns:
        return None
    shapes = [_shape(word) for _, _, word in tokens]
    # 1. A repeated sequence of shapes.
    if len(tokens) % columns == 0:
        width = len(tokens) // columns
        first = shapes[:width]
        if all(shapes[i * width : (i + 1) * width] == first for i in range(1, columns)):
            return _cells(tokens, [i * width for i in range(columns)])
    # 2. The first word opens each cell, and nowhere else.
    starts = [i for i, shape in enumerate(shapes) if shape == shapes[0]]
    if len(starts) == columns and all(b - a >= 2 for a, b in zip(starts, starts[1:])):
        if len(tokens) - starts[-1] >= 2:
            return _cells(tokens, starts)
    return None


def _cells(tokens: list[tuple[int, int, str]], starts: list[int]) -> list[tuple[int, int]]:
    ends = [*starts[1:], len(tokens)]
    return [(tokens[a][0], tokens[b - 1][1]) for a, b in zip(starts, ends)]
