"""Editors' decisions in spreadsheets: import an edited findings.csv (or any CSV with
`finding_id, flag_status[, flag_note, flag_by]`), export the decisions.

An import is all-or-nothing: the whole file is parsed strictly first (UTF-8, every quote
closed, no row longer than the header), then every row is checked (a known finding, a valid
status), and only when all are right are the rows whose decision changed recorded, in the
same transaction as the checks. Otherwise nothing is recorded and the error names the file,
line and, where it can, column. Cells our CSV files neutralized against formula injection (a
leading `'`) are read back to their original text. A cell may be as long as the file (our
own findings.csv holds whole sentences, well over csv's default limit of 128 KiB).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.models import FLAG_STATUSES
from pipeline.report.files import atomic_write, neutralize_cell, restore_cell
from pipeline.store import Decision, Store

REQUIRED = ("finding_id", "flag_status")
HEADER_HINT = "a decisions file needs finding_id and flag_status (and may have flag_note, flag_by)"
LINE_BREAK = re.compile(r"\r\n|\r|\n")
EXPORT_COLUMNS = (
    "finding_id",
    "article",
    "verdict",
    "claim",
    "fact_id",
    "flag_status",
    "flag_note",
    "flag_by",
    "flagged_at",
)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did."""

    applied: int
    unchanged: int
    rows: int


def import_decisions(store: Store, path: Path, *, by: str = "") -> ImportResult:
    """Apply the decisions in a CSV file whose rows changed; all or nothing.

    A row changed when its decision (status and note) differs from the one it was made
    from: the store's latest, or, for a row that carries `flagged_at`, the decision of that
    time. A row left as it was exported is not a change, even when someone has decided
    since; a row edited after someone else decided is a conflict, and nothing is applied.
    `by` names who decided, for rows whose flag_by is empty or still names the earlier
    decision's author.
    """
    rows = _read(path)
    with store.transaction():  # the checks and the writes see one state of the store
        return _apply(store, path, rows, by=by)


def _apply(
    store: Store, path: Path, rows: list[tuple[int, dict[str, str]]], *, by: str
) -> ImportResult:
    """Check every row against the store, then record the changed decisions; all or none."""
    current = store.decisions()
    known = store.finding_ids()
    history = store.history()
    problems: list[str] = []
    changes: dict[str, tuple[int, tuple[str, str, str, str]]] = {}
    unchanged = 0
    for line, row in rows:
        cell = {key: restore_cell(value or "") for key, value in row.items() if key}
        finding_id = cell.get("finding_id", "").strip()
        status = cell.get("flag_status", "").strip().lower()
        note = cell.get("flag_note", "")
        seen_at = cell.get("flagged_at", "").strip()
        if not finding_id and not status:
            continue  # an empty row
        if finding_id not in known:
            problems.append(f"{path}:{line}: no finding {finding_id!r} in the store")
            continue
        if not status:
            unchanged += 1  # no decision in this row
            continue
        if status not in FLAG_STATUSES:
            problems.append(
                f"{path}:{line}: flag_status {status!r} is not one of {', '.join(FLAG_STATUSES)}"
            )
            continue
        latest = current.get(finding_id)
        base = _decision_at(history, finding_id, seen_at) if seen_at else latest
        base_state = (base.status, base.note) if base else ("open", "")
        if (status, note) == base_state:
            unchanged += 1  # as exported: not an edit
            continue
        if (
            latest is not None
            and base is not latest
            and (status, note) != (latest.status, latest.note)
        ):
            problems.append(
                f"{path}:{line}: {finding_id} was decided {latest.status} by "
                f"{latest.by or 'someone'} at {latest.at}, after this file's {seen_at}; "
                "export again and redo the change"
            )
            continue
        who = cell.get("flag_by", "").strip()
        if by and (not who or (base is not None and who == base.by)):
            who = by
        if finding_id in changes and changes[finding_id][1][1:3] != (status, note):
            first = changes[finding_id][0]
            problems.append(f"{path}:{line}: {finding_id} has another decision on line {first}")
            continue
        changes[finding_id] = (line, (finding_id, status, note, who))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise UsageError(f"{problems[0]}{more}; nothing was applied")
    if changes:
        store.decide([change for _, change in changes.values()])
    return ImportResult(applied=len(changes), unchanged=unchanged, rows=len(rows))


def _decision_at(history: list[Decision], finding_id: str, at: str) -> Decision | None:
    """The decision on a finding as it stood at time `at` (the latest made by then)."""
    found = None
    for decision in history:
        if decision.finding_id == finding_id and decision.at <= at:
            found = decision
    return found


def _read(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Every row of a decisions file, by column name, with the line it starts on. The whole
    file is parsed before anything is used: any fault is a UsageError naming the line."""
    text = _decode(path)
    with _field_limit(len(text) + 1):  # no cell is longer than the file
        records = _records(text, path)
    if not records:
        raise UsageError(f"{path}:1: the file is empty; {HEADER_HINT}; nothing was applied")
    line, header = records[0]
    names = [name.strip() for name in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise UsageError(
            f"{path}:{line}: missing column(s) {', '.join(missing)}; {HEADER_HINT}; "
            "nothing was applied"
        )
    for column, name in enumerate(names, start=1):
        if name and names.index(name) + 1 != column:
            raise UsageError(
                f"{path}:{line}:{column}: column {name} appears twice; remove one; "
                "nothing was applied"
            )
    rows = []
    for line, record in records[1:]:
        extra = [cell for cell in record[len(names) :] if cell.strip()]
        if extra:
            raise UsageError(
                f"{path}:{line}:{len(names) + 1}: the row has {len(record)} cells but the "
                f"header {len(names)}; quote cells that contain commas; nothing was applied"
            )
        rows.append((line, dict(zip(names, record, strict=False))))
    return rows


def _decode(path: Path) -> str:
    """The file's text (UTF-8, with or without a byte order mark)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror}") from error
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - data.rfind(b"\n", 0, error.start)
        raise UsageError(
            f"{path}:{line}:{column}: not UTF-8 text; save it as CSV UTF-8; nothing was applied"
        ) from None


def _records(text: str, path: Path) -> list[tuple[int, list[str]]]:
    """The CSV records of `text` that hold a cell, with the line each starts on; strict: a
    quote that never closes, or text after a closing quote, is an error."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            if record:
                records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as error:
        raise UsageError(_syntax_error(path, text, start, reader.line_num, error)) from None
    return records


def _syntax_error(path: Path, text: str, start: int, line: int, error: csv.Error) -> str:
    """One line on a CSV fault in the record that starts on line `start`."""
    fault = _quote_fault(text, _line_offset(text, start))
    if fault is None:
        return f"{path}:{line}: not valid CSV ({error}); check the quotes; nothing was applied"
    offset, unclosed = fault
    where = f"{path}:{_position(text, offset)}"
    if unclosed:
        return (
            f"{where}: this quote is never closed, so the rest of the file would be one cell; "
            "close it (a quote inside a quoted cell is written twice); nothing was applied"
        )
    return (
        f"{where}: text after the closing quote of a cell; quote the whole cell and write "
        "each quote inside it twice; nothing was applied"
    )


def _quote_fault(text: str, offset: int) -> tuple[int, bool] | None:
    """Where the record starting at `offset` breaks csv's quoting rules: (offset of the quote
    that never closes, True), (offset of the text after a closing quote, False), or None."""
    at_cell_start = True
    index = offset
    while index < len(text):
        char = text[index]
        if at_cell_start and char == '"':
            opened, index = index, index + 1
            while True:
                index = text.find('"', index)
                if index < 0:
                    return opened, True
                if text.startswith('""', index):
                    index += 2
                    continue
                index += 1
                break
            if index < len(text) and text[index] not in ",\r\n":
                return index, False
            at_cell_start = False
            continue
        if char in "\r\n":
            return None  # the record ends
        at_cell_start = char == ","
        index += 1
    return None


def _line_offset(text: str, line: int) -> int:
    """The offset where line `line` (1-based; \\n, \\r\\n and \\r end lines) starts."""
    if line <= 1:
        return 0
    for number, match in enumerate(LINE_BREAK.finditer(text), start=2):
        if number == line:
            return match.end()
    return len(text)


def _position(text: str, offset: int) -> str:
    """`line:column` (1-based) of `offset` in `text`."""
    breaks = list(LINE_BREAK.finditer(text, 0, offset))
    column = offset - (breaks[-1].end() if breaks else 0) + 1
    return f"{len(breaks) + 1}:{column}"


@contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Let csv read cells of up to `size` characters (at least its default), then put the
    process-wide limit back as it was."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, size))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def export_decisions(store: Store, path: Path) -> int:
    """Write the current decisions, with what they are about, to a CSV file; returns rows."""
    findings = {f.finding_id: f for f in store.findings()}
    decisions = store.decisions()
    with atomic_write(path) as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for finding_id, decision in sorted(decisions.items()):
            finding = findings.get(finding_id)
            cells = [
                finding_id,
                finding.article if finding else "",
                finding.verdict if finding else "",
                finding.claim if finding else "",
                finding.fact_id if finding else "",
                decision.status,
                decision.note,
                decision.by,
                decision.at,
            ]
            writer.writerow([neutralize_cell(cell) for cell in cells])
    return len(decisions)
