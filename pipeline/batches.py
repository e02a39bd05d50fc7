"""The records of batch files (JSONL, CSV), read one line at a time in bounded memory.

Lines: a batch is read in chunks and split at line feeds (CR LF ends a line too; a lone CR
does not). A line is held only up to `line_limit(max_bytes)`: twice max bytes and 64 KiB
more, room for any record whose text is within max bytes, with its other fields and JSON
escapes. A longer line is skipped with its size and reading goes on at the next line feed,
so no record, however long, is ever read whole.

JSONL: one JSON object a line. A line that is not one (broken JSON, a number of more
digits than Python converts, nesting too deep to decode, an array) is skipped with why.

CSV: a header row, then records, parsed strictly (RFC 4180) but for line ends. A record ends
at a line feed (or CR LF) outside quotes; a lone CR is text wherever it stands (Python's
csv writer leaves it unquoted), never a record break. A field that starts with a double
quote is quoted, may hold commas and line breaks, and writes a quote inside it twice; any
other field ends at the next comma or line end. A record that breaks a rule, whose quote is
still open at the end of the file, or that has more fields than the header has columns
(the mark of a quote left open; fewer are read as empty), is skipped at its first line with why, and
reading goes on at the line after that first line: a stray quote does not merge the
records after it into one, nor drop them (unless a later quote closes it cleanly, which no
reader can tell from a field holding line breaks). A record over the line limit is skipped
and reading goes on after its end (found by following its quotes, without holding its
text).
"""

from __future__ import annotations

import codecs
import json
import logging
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from pipeline.encoding import UTF_16_BE, UTF_16_LE, Encoding, decode_line
from pipeline.models import Skipped

logger = logging.getLogger(__name__)

_CHUNK = 1 << 16
_SLACK = 1 << 16  # bytes of a record's line beyond twice max bytes: its other fields
_NEWLINES = {UTF_16_LE: b"\n\x00", UTF_16_BE: b"\x00\n"}

Record = tuple[int, dict[str, object]]  # (its first line, its fields by name)


def line_limit(max_bytes: int) -> int:
    """The most bytes a batch line (a CSV record's lines) may have with `max_bytes`."""
    return 2 * max_bytes + _SLACK


def too_large(size: int, max_bytes: int) -> str:
    """Why a record whose lines have `size` bytes is not read."""
    return (
        f"larger than max bytes (a record of {size} bytes; with max bytes {max_bytes}, "
        f"a record's lines may have at most {line_limit(max_bytes)}); not read"
    )


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a batch: its number, where the next line starts, its text (None when
    longer than the limit: it was not held) with its line end, and its size in bytes."""

    number: int
    end: int
    text: str | None
    size: int


class LineReader:
    """The lines of a batch file, read in chunks; from any line on again, when asked."""

    def __init__(self, stream: BinaryIO, encoding: Encoding, *, limit: int, source: str):
        self.stream = stream
        self.encoding = encoding
        self.limit = limit
        self.source = source
        self.newline = _NEWLINES.get(encoding.name, b"\n")
        self.noted = False

    def lines(self, offset: int, number: int = 1) -> Iterator[Line]:
        """The lines from byte `offset` on, numbered from `number`. Starting again (for a
        restart) ends the lines given before."""
        for line_number, end, data, size in self._split(offset, number):
            text = None
            if data is not None:
                text, fallback = decode_line(data, self.encoding)
                if fallback and not self.noted:
                    logger.warning(
                        "%s:%d: not valid UTF-8, read as %s", self.source, line_number, fallback
                    )
                    self.noted = True
            yield Line(line_number, end, text, size)

    def chunks(self, line: Line) -> Iterator[str]:
        """The text of a line too long to hold, in pieces, read again from the file (the
        reading of lines resumes where it was)."""
        back = self.stream.tell()
        decoder = codecs.getincrementaldecoder(self.encoding.name)(errors="replace")
        try:
            self.stream.seek(line.end - line.size)
            left = line.size
            while left > 0:
                data = self.stream.read(min(_CHUNK, left))
                if not data:
                    break
                left -= len(data)
                yield decoder.decode(data, final=left <= 0)
        finally:
            self.stream.seek(back)

    def _split(self, offset: int, number: int) -> Iterator[tuple[int, int, bytes | None, int]]:
        """(number, end offset, bytes or None when over the limit, size) of each line."""
        unit = len(self.newline)
        self.stream.seek(offset)
        parts: list[bytes] | None = []
        size, carry = 0, b""
        while True:
            chunk = self.stream.read(_CHUNK)
            if not chunk:  # the end: an odd byte left over, and a last line without a line end
                size += len(carry)
                parts = self._hold(parts, carry, size)
                if size:
                    yield number, offset + size, _joined(parts), size
                return
            data = carry + chunk
            cut = len(data) - len(data) % unit
            data, carry = data[:cut], data[cut:]
            pos = 0
            while True:
                found = _find(data, self.newline, pos)
                end = len(data) if found < 0 else found + unit
                size += end - pos
                parts = self._hold(parts, data[pos:end] if parts is not None else b"", size)
                if found < 0:
                    break
                offset += size
                yield number, offset, _joined(parts), size
                number, size, parts, pos = number + 1, 0, [], end

    def _hold(self, parts: list[bytes] | None, piece: bytes, size: int) -> list[bytes] | None:
        """The pieces of a line so far with `piece`, or None once it is over the limit."""
        if parts is None or size > self.limit:
            return None
        parts.append(piece)
        return parts


def _joined(parts: list[bytes] | None) -> bytes | None:
    return None if parts is None else b"".join(parts)


def _find(data: bytes, newline: bytes, pos: int) -> int:
    """Where the next `newline` starts in `data` from `pos`, at a whole code unit; -1 if none."""
    found = data.find(newline, pos)
    while found >= 0 and (found - pos) % len(newline):
        found = data.find(newline, found + 1)
    return found


# -- JSONL -------------------------------------------------------------------------------


def jsonl_records(reader: LineReader, start: int, *, max_bytes: int) -> Iterator[Record | Skipped]:
    """(line number, object) for each JSON line; a Skipped for each line that is not one."""
    for line in reader.lines(start):
        where = f"{reader.source}:{line.number}"
        if line.text is None:
            yield Skipped(where, too_large(line.size, max_bytes))
            continue
        if not line.text.strip():
            continue
        try:
            record = json.loads(line.text)
        except json.JSONDecodeError as e:
            yield Skipped(where, f"not valid JSON: {e.msg} at column {e.colno}")
            continue
        except ValueError as e:  # Python's limit on the digits of an integer
            yield Skipped(where, f"not valid JSON: {_value_error(e)}")
            continue
        except RecursionError:
            yield Skipped(where, "not valid JSON: nested too deep to read")
            continue
        if not isinstance(record, dict):
            yield Skipped(where, f"not a JSON object but {type(record).__name__}")
            continue
        yield line.number, record


def _value_error(error: ValueError) -> str:
    """A ValueError of json.loads in words."""
    if "integer string conversion" in str(error):
        return f"a number has more than {sys.get_int_max_str_digits()} digits"
    return str(error)


# -- CSV ---------------------------------------------------------------------------------

_QUOTED = re.compile(r'[^"]*(?:""[^"]*)*')  # inside a quoted field, up to its closing quote
_UNQUOTED = re.compile(r"[^,]*")


class _CsvError(Exception):
    """A record breaks a rule of CSV; the message says which."""


@dataclass(slots=True)
class _Row:
    """A CSV record being read: its first line, where the line after that starts, its
    fields, the pieces of a quoted field still open, and its size."""

    number: int
    after_first: int
    fields: list[str] = field(default_factory=list)
    quoted: list[str] | None = None
    size: int = 0
    lines: int = 0
    too_large: bool = False

    def scan(self, text: str) -> bool:
        """Read one line (with its line end) into the row; True when the row is complete."""
        body, end = _line_end(text)
        pos, length = 0, len(body)
        while True:
            if self.quoted is None:
                if pos < length and body[pos] == '"':
                    self.quoted = []
                    pos += 1
                else:
                    match = _UNQUOTED.match(body, pos)
                    pos = match.end()
                    self._keep(match.group())
                    if pos == length:
                        return True
                    pos += 1  # the comma
                    continue
            match = _QUOTED.match(body, pos)
            self._piece(match.group().replace('""', '"'))
            pos = match.end()
            if pos == length:
                self._piece(end)
                return False
            pos += 1  # the closing quote
            pieces, self.quoted = self.quoted, None
            self._keep("".join(pieces))
            if pos == length:
                return True
            if body[pos] != ",":
                raise _CsvError(
                    f"{body[pos]!r} after the closing quote of a field "
                    '(a quote inside a quoted field is written twice: "")'
                )
            pos += 1

    def skim(self, chunks: Iterator[str]) -> bool:
        """Follow the quotes through a line too long to hold (the row is too large, nothing
        is kept); True when the row is complete at its end, False when a quoted field goes
        on to the next line."""
        state = "quoted" if self.quoted is not None else "start"
        for chunk in chunks:
            pos, length = 0, len(chunk)
            while pos < length:
                if state == "start":  # at the start of a field
                    state = "quoted" if chunk[pos] == '"' else "unquoted"
                    pos += state == "quoted"
                elif state == "unquoted":  # only a quote right after a comma opens a field
                    found = chunk.find(',"', pos)
                    if found < 0:
                        state = "start" if chunk.endswith(",") else "unquoted"
                        break
                    state, pos = "quoted", found + 2
                elif state == "quoted":
                    pos = _QUOTED.match(chunk, pos).end()
                    if pos < length:
                        state, pos = "closing", pos + 1
                else:  # after a quote inside a quoted field: a doubled quote, or its end
                    state = "quoted" if chunk[pos] == '"' else "unquoted"
                    pos += state == "quoted"
        self.quoted = [] if state == "quoted" else None
        return state != "quoted"

    def grow(self, size: int, limit: int) -> None:
        """Count a line of `size` bytes; over `limit`, the row's text is no longer kept."""
        self.size += size
        self.lines += 1
        if self.size > limit and not self.too_large:
            self.too_large = True
            self.fields.clear()
            if self.quoted is not None:
                self.quoted.clear()

    def _keep(self, value: str) -> None:
        if not self.too_large:
            self.fields.append(value)

    def _piece(self, value: str) -> None:
        if not self.too_large and self.quoted is not None:
            self.quoted.append(value)


def _line_end(text: str) -> tuple[str, str]:
    """A line split into its body and its line end (CR LF, LF, or a CR at the file's end)."""
    if text.endswith("\r\n"):
        return text[:-2], "\r\n"
    if text.endswith(("\n", "\r")):
        return text[:-1], text[-1]
    return text, ""


def csv_records(reader: LineReader, start: int, *, max_bytes: int) -> Iterator[Record | Skipped]:
    """(line number, row by column name) for each CSV record after the header."""
    source = reader.source
    rows = _csv_rows(reader, start, max_bytes=max_bytes)
    first = next(rows, None)
    if isinstance(first, Skipped):
        yield Skipped(first.source, f"the header row is not read: {first.reason}")
        return
    header = [name.strip().lower() for name in first[1]] if first else []
    if "id" not in header:
        found = ", ".join(name for name in header if name) or "none"
        yield Skipped(source, f"no id column (columns: {found}); add an id column")
        return
    if "text" not in header and "html" not in header:
        yield Skipped(source, "no text or html column; add one of them")
        return
    for row in rows:
        if isinstance(row, Skipped):
            yield row
        elif any(cell.strip() for cell in row[1]):
            yield row[0], dict(zip(header, row[1], strict=False))  # short rows are fine


def _csv_rows(
    reader: LineReader, start: int, *, max_bytes: int
) -> Iterator[tuple[int, list[str]] | Skipped]:
    """(first line, fields) of each record, the header first; a Skipped for each record
    that breaks a rule, reading again from the line after its first when it spans lines."""
    limit = line_limit(max_bytes)
    columns = 0
    offset, number = start, 1
    while True:
        restart: tuple[int, int] | None = None
        row: _Row | None = None
        for line in reader.lines(offset, number):
            if row is None:
                row = _Row(line.number, line.end)
            row.grow(line.size, limit)
            where = f"{reader.source}:{row.number}"
            if line.text is None:  # too long to hold: follow its quotes to the record's end
                if row.skim(reader.chunks(line)):
                    yield Skipped(where, too_large(row.size, max_bytes))
                    row = None
                continue
            try:
                if not row.scan(line.text):
                    continue
                if row.too_large:
                    yield Skipped(where, too_large(row.size, max_bytes))
                    row = None
                    continue
                _check_columns(row.fields, columns)
            except _CsvError as e:
                at = f" (line {line.number})" if line.number != row.number else ""
                yield Skipped(where, f"not valid CSV: {e}{at}")
                if row.lines > 1:
                    restart = (row.after_first, row.number + 1)
                    break
                row = None
                continue
            columns = columns or len(row.fields)
            yield row.number, row.fields
            row = None
        else:
            if row is not None:  # the end of the file inside a quoted field
                yield Skipped(
                    f"{reader.source}:{row.number}",
                    "not valid CSV: a quoted field starts on this line and is never closed",
                )
                if row.lines > 1:
                    restart = (row.after_first, row.number + 1)
        if restart is None:
            return
        offset, number = restart


def _check_columns(fields: list[str], columns: int) -> None:
    """Raise when a record has more fields than the header's `columns` (0: none yet)."""
    if columns and len(fields) > columns:
        raise _CsvError(f"{len(fields)} fields, more than the {columns} columns of the header")
