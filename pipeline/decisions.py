"""Editors' decisions in spreadsheets: import an edited findings.csv (or any CSV with
`finding_id, flag_status[, flag_note, flag_by]`), export the decisions.

An import is all-or-nothing: every row is checked first (a known finding, a valid status),
and only when all are right are the rows whose decision changed recorded, in one
transaction. Cells our CSV files neutralized against formula injection (a leading `'`) are
read back to their original text.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.models import FLAG_STATUSES
from pipeline.report.files import atomic_write, neutralize_cell, restore_cell
from pipeline.store import Decision, Store

REQUIRED = ("finding_id", "flag_status")
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
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise UsageError(
                    f"{path}:1: missing column(s) {', '.join(missing)}; a decisions file needs "
                    "finding_id and flag_status (and may have flag_note, flag_by)"
                )
            return [(reader.line_num, row) for row in reader]
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: not UTF-8 text; save it as CSV UTF-8") from error
    except csv.Error as error:
        raise UsageError(f"{path}: not valid CSV: {error}") from error


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
