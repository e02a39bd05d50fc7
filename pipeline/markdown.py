"""Markdown as plain text: its front matter fields, then each line with its markup removed.

Every rule takes time linear in the length of a line, whatever the line holds: a span with
the same marker at both ends (strong, emphasis, strike-through) is found by pairing the
places where its marker may open and close, never by searching for a closer from every
opener; inline code pairs backtick runs of one length; a link or image stops at the next
bracket; headings and front matter are split with string methods.
"""

from __future__ import annotations

import html as html_entities
import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.clean import clean_text

TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-+:?\s*\|)+\s*(?::?-+:?\s*)?$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})(?=\s|$)")
_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z][\w-]*)\s*[:=](.*)$")
_BACKTICKS = re.compile(r"`+")


@dataclass(frozen=True, slots=True)
class _Delimited:
    """A span with one marker at both ends, removed by `pattern` (opener, lazy content,
    closer), whose `closer` matches where a marker may close a span."""

    pattern: re.Pattern[str]
    closer: re.Pattern[str]

    def __call__(self, line: str) -> str:
        """`line` with each span's markers removed. The pattern's lazy content would scan to
        the end of the line from each opener that has no closer after it, so it only runs on
        the line up to its last closer: there, every opener but the last few finds one."""
        last = self.closer.match(line)
        if last is None:
            return line
        end = last.end()
        return self.pattern.sub(r"\1", line[:end]) + line[end:]


def _delimited(opener: str, closer: str) -> _Delimited:
    """The rule for spans from `opener` to the nearest `closer` after at least one character."""
    return _Delimited(re.compile(f"{opener}(.+?){closer}"), re.compile(f"(?s:.*){closer}"))


def _code_spans(line: str) -> str:
    """`line` with inline code spans' backticks removed: a run of backticks opens a span that
    the next run of the same length closes (a run with no partner stays as it is)."""
    runs = [match.span() for match in _BACKTICKS.finditer(line)]
    partner: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        partner[index] = last.get(length)
        last[length] = index
    parts: list[str] = []
    done = index = 0
    while index < len(runs):
        closer = partner[index]
        if closer is None:
            index += 1
            continue
        (start, end), (close_start, close_end) = runs[index], runs[closer]
        parts += [line[done:start], line[end:close_start]]
        done, index = close_end, closer + 1
    return "".join([*parts, line[done:]])


def _sub(pattern: str, replacement: str) -> Callable[[str], str]:
    compiled = re.compile(pattern)
    return lambda line: compiled.sub(replacement, line)


# Each rule in turn on the line. Bracketed text never holds a bracket and a link target
# never a parenthesis (but one balanced pair), so that no match scans past the next one.
_RULES: tuple[Callable[[str], str], ...] = (
    _sub(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$", ""),  # a reference link definition
    _sub(r"^\s{0,3}(?:=+|-{3,}|(?:[-*_]\s*){3,})\s*$", ""),  # setext underline, thematic break
    _sub(r"^\s{0,3}(?:>\s?)+", ""),  # block quote marks
    _sub(r"!\[[^\[\]]*\](?:\([^()]*\)|\[[^\[\]]*\])", ""),  # images
    _sub(r"\[([^\[\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\)", r"\1"),
    _sub(r"\[([^\[\]]+)\]\[[^\[\]]*\]", r"\1"),  # reference links
    _sub(r"<((?:https?|ftp|mailto):[^<>\s]+)>", r"\1"),  # autolinks
    _sub(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", ""),  # inline HTML tags
    _code_spans,  # inline code
    _delimited(r"\*\*(?=\S)", r"(?<=\S)\*\*"),  # strong
    _delimited(r"__(?=\S)", r"(?<=\S)__"),  # strong
    _delimited(r"~~(?=\S)", r"(?<=\S)~~"),  # strike-through
    _delimited(r"(?<![\w*\\])\*(?=[^\s*])", r"(?<=[^\s*\\])\*(?![\w*])"),  # emphasis
    _delimited(r"(?<![\w\\])_(?=[^\s_])", r"(?<=[^\s_\\])_(?!\w)"),  # emphasis
    _sub(r"\\([\\`*_{}\[\]()#+\-.!>|~])", r"\1"),  # backslash escapes
)


def markdown_to_text(markdown: str) -> tuple[str, dict[str, str]]:
    """Markdown as plain lines (code kept verbatim), and its front matter fields.

    The fields' `title` falls back to the first level-one heading.
    """
    meta, lines = _split_front_matter(markdown.splitlines())
    out: list[str] = []
    fence = ""
    for line in lines:
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            else:
                out.append(line)
            continue
        if match:
            fence = match.group(1)
            continue
        if "|" in line and TABLE_RULE.match(line.strip()):
            continue
        level, line = _heading(line)
        line = flatten_tables(markdown_line(line))
        if level == 1 and not meta.get("title"):
            meta["title"] = clean_text(line)
        out.append(line)
    return "\n".join(out), meta


def _heading(line: str) -> tuple[int, str]:
    """An ATX heading's level and text, without its closing #s; (0, line) for other lines."""
    match = _HEADING.match(line)
    if not match:
        return 0, line
    text = line[match.end() :].strip()
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1].isspace()):
        text = bare.rstrip()
    return len(match.group(1)), text


def markdown_line(line: str) -> str:
    """One line of Markdown with its inline markup removed."""
    for rule in _RULES:
        line = rule(line)
    return html_entities.unescape(line)


def flatten_tables(text: str) -> str:
    """Markdown-style table rows as plain lines of cells, the way pages flatten to text."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if "|" in stripped and TABLE_RULE.match(stripped):
            continue
        if stripped.startswith("|") or stripped.endswith("|"):
            cells = [cell.strip() for cell in stripped.strip("|").split("|")]
            line = " ".join(cell for cell in cells if cell)
        lines.append(line)
    return "\n".join(lines)


def _split_front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """YAML (---) or TOML (+++) front matter as flat key: value fields, and the other lines."""
    if not lines or lines[0].strip() not in ("---", "+++"):
        return {}, lines
    fence = lines[0].strip()
    closers = ("---", "...") if fence == "---" else ("+++",)
    for end in range(1, len(lines)):
        if lines[end].strip() in closers:
            break
    else:
        return {}, lines
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        match = _FRONT_MATTER_KEY.match(line)
        value = match.group(2).strip() if match else ""
        if match and value:
            meta.setdefault(match.group(1).lower(), value.strip("\"'"))
    return meta, lines[end + 1 :]
