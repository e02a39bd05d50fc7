"""Recover the cells of a table that was flattened to text, one line per row.

A comparison table copied out of a web page often arrives as a header line of names
("NATO EU") followed by lines that repeat one pattern once per column
("Founded in 1949 Founded in 1957"). `split_row` finds the column boundaries of such a
line; the extractor then reads each cell as a statement about its column's entity.
"""

from __future__ import annotations

import re
from itertools import combinations

_TOKEN = re.compile(r"\S+")
_SEPARATOR = re.compile(r"^[|\u2502\u00a6/;]+$")  # "NATO | EU": column separators


def _shape(word: str) -> str:
    """A word with its figures folded, so '1949' and '1957', or '10' and '5', share a shape."""
    return re.sub(r"\d+(?:[.,]\d+)*", "0", word.lower())


def _tokens(line: str) -> list[tuple[int, int, str]]:
    return [
        (m.start(), m.end(), m.group())
        for m in _TOKEN.finditer(line)
        if not _SEPARATOR.match(m.group())
    ]


def split_row(line: str, columns: int) -> list[tuple[int, int]] | None:
    """Split a flattened table row into `columns` cells, as (start, end) offsets in `line`.

    Three patterns are recognised, tried in order:
    1. the line is the same sequence of word shapes repeated once per column
       ("29 member countries 27 member countries");
    2. the line's first word, a label ("Mission:") or a number ("32 members 27 states"),
       starts exactly `columns` segments;
    3. exactly one way to cut the line before capitalised words gives cells that each hold
       a figure ("Set up in 1949 Established in 1993").
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
        informative = width >= 2 or any(c.isdigit() for c in first[0])
        if informative and all(
            shapes[i * width : (i + 1) * width] == first for i in range(1, columns)
        ):
            return _cells(tokens, [i * width for i in range(columns)])
    # 2. The first word opens each cell and nowhere else: a label ("Mission:") or a number.
    label = tokens[0][2]
    if label[:1].isdigit():
        starts = [i for i, shape in enumerate(shapes) if shape == shapes[0]]
    elif label[:1].isupper() or label.endswith(":"):
        starts = [i for i, (_, _, word) in enumerate(tokens) if word == label]
    else:
        return None
    if len(starts) == columns and _wide_enough(starts, len(tokens)):
        return _cells(tokens, starts)
    # 3. One cut before capitals gives cells that each hold a figure ("Set up in 1949 ...").
    capitals = [i for i, (_, _, word) in enumerate(tokens) if i and word[:1].isupper()]
    found = []
    for cut in combinations(capitals[:12], columns - 1):
        starts = [0, *cut]
        ends = [*starts[1:], len(tokens)]
        if _wide_enough(starts, len(tokens)) and all(
            any(c.isdigit() for _, _, word in tokens[a:b] for c in word)
            for a, b in zip(starts, ends, strict=True)
        ):
            found.append(starts)
    if len(found) == 1:
        return _cells(tokens, found[0])
    return None


def _wide_enough(starts: list[int], count: int) -> bool:
    """Every cell has at least two words."""
    return all(b - a >= 2 for a, b in zip(starts, [*starts[1:], count], strict=True))


def _cells(tokens: list[tuple[int, int, str]], starts: list[int]) -> list[tuple[int, int]]:
    ends = [*starts[1:], len(tokens)]
    return [(tokens[a][0], tokens[b - 1][1]) for a, b in zip(starts, ends, strict=True)]
