"""Write findings as CSV and JSONL, one row at a time, through atomic file replacement.

Spreadsheet safety (OWASP's rule): a CSV cell that a spreadsheet would read as a formula is
neutralized by prefixing it with an apostrophe. A text cell is dangerous when it starts with a
tab or a carriage return, or when, NFKC-normalized (full-width `＝` is `=`) and with leading
whitespace stripped, it starts with `=`, `+`, `-` or `@`. So that `restore_cell` is the exact
inverse of `neutralize_cell` for every string, a text that already starts with apostrophes
followed by a dangerous text gets one more apostrophe too:

    neutralize_cell("=1+1")  == "'=1+1"      restore_cell("'=1+1")  == "=1+1"
    neutralize_cell(" ＝1")   == "' ＝1"      restore_cell("' ＝1")   == " ＝1"
    neutralize_cell("'=1+1") == "''=1+1"     restore_cell("''=1+1") == "'=1+1"
    neutralize_cell("'hi")   == "'hi"        restore_cell("'hi")    == "'hi"

Numbers (start, end, confidence) are not text cells and are written as they are. Read a CSV
back with `restore_cell` on each text cell to get the values exactly. JSONL is data, not a
spreadsheet: it is never neutralized.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import shutil
import time
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from pipeline.errors import OutputError
from pipeline.models import FINDING_COLUMNS, Finding

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_STARTS = ("=", "+", "-", "@")
NUMBER_COLUMNS = frozenset({"start", "end", "confidence"})
# Temporary files and folders older than this were left by a process that was killed.
STALE_SECONDS = 3600


def is_formula(value: str) -> bool:
    """True when a spreadsheet could read the text as a formula (OWASP's rule)."""
    normal = unicodedata.normalize("NFKC", value)
    return normal.startswith(DANGEROUS_PREFIXES) or normal.lstrip().startswith(FORMULA_STARTS)


def neutralize_cell(value: str) -> str:
    """Prefix an apostrophe to a text cell a spreadsheet would run as a formula."""
    return "'" + value if is_formula(value.lstrip("'")) else value


def restore_cell(value: str) -> str:
    """Undo `neutralize_cell`: drop the apostrophe it added, leave every other value alone."""
    if value.startswith("'") and is_formula(value.lstrip("'")):
        return value[1:]
    return value


def format_confidence(confidence: float) -> str:
    """The confidence with two decimals, as written in the CSV."""
    return f"{confidence:.2f}"


def csv_row(finding: Finding) -> list[str]:
    """One CSV row in FINDING_COLUMNS order, text cells neutralized."""
    row = []
    for column in FINDING_COLUMNS:
        value = getattr(finding, column)
        if column == "confidence":
            row.append(format_confidence(value))
        elif column in NUMBER_COLUMNS:
            row.append(str(value))
        else:
            row.append(neutralize_cell(str(value)))
    return row


def json_record(finding: Finding) -> dict[str, object]:
    """One JSONL record: FINDING_COLUMNS in order, numbers as numbers, text as written."""
    record: dict[str, object] = {column: getattr(finding, column) for column in FINDING_COLUMNS}
    confidence = float(finding.confidence)
    # NaN and infinity are not JSON; null keeps every line parseable.
    record["confidence"] = round(confidence, 2) if math.isfinite(confidence) else None
    return record


@contextlib.contextmanager
def new_file(path: Path) -> Iterator[TextIO]:
    """Create `path` (it must not exist) and yield it as UTF-8 text, flushed and fsynced when
    the block ends. Newlines are written as given (newline=""), as the csv module expects.
    An OSError goes to the caller, the file left behind for it to remove."""
    # os.open with 0o666 lets the umask decide the permissions, as for an ordinary file.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())


def reason(error: OSError) -> str:
    """What went wrong, in the system's words ("No space left on device")."""
    return error.strerror or str(error)


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[TextIO]:
    """Yield a UTF-8 text file that replaces `path` only when the block ends without error.

    1. Write to a temporary file in the same folder (so the rename stays on one filesystem).
    2. Flush and fsync it, then os.replace it over `path`.
    3. On any exception the temporary file is removed and the old `path` is left untouched;
       an OSError (a full disk, a read-only folder) becomes an OutputError of one line.
    """
    path = Path(path)
    remove_stale(path.parent, f".{path.name}.*.tmp")
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with new_file(tmp) as handle:
            yield handle
        os.replace(tmp, path)
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {reason(error)} (nothing was changed)") from error
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()  # gone already when the replace succeeded
    fsync_folder(path.parent)


def remove_stale(folder: Path, pattern: str, *, older_than: float = STALE_SECONDS) -> None:
    """Remove what a killed process left in `folder` (temporary files or folders matching
    `pattern`), once it is old enough that no running writer can still own it."""
    now = time.time()
    with contextlib.suppress(OSError):
        for leftover in Path(folder).glob(pattern):
            with contextlib.suppress(OSError):
                if now - leftover.lstat().st_mtime < older_than:
                    continue
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink()


def fsync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows fsync on a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def csv_to(handle: TextIO, findings: Iterable[Finding]) -> None:
    """Write findings as CSV with a FINDING_COLUMNS header, one row at a time."""
    writer = csv.writer(handle)
    writer.writerow(FINDING_COLUMNS)
    for finding in findings:
        writer.writerow(csv_row(finding))


def jsonl_to(handle: TextIO, findings: Iterable[Finding]) -> None:
    """Write findings as JSON Lines, one object per finding, one line at a time."""
    for finding in findings:
        handle.write(json.dumps(json_record(finding), ensure_ascii=False) + "\n")


def write_csv(findings: Iterable[Finding], path: Path) -> Path:
    """Write findings to a CSV file atomically."""
    with atomic_write(path) as handle:
        csv_to(handle, findings)
    return path


def write_jsonl(findings: Iterable[Finding], path: Path) -> Path:
    """Write findings to a JSON Lines file atomically."""
    with atomic_write(path) as handle:
        jsonl_to(handle, findings)
    return path


PARQUET_BATCH = 5_000


def write_parquet(findings: Iterable[Finding], path: Path) -> Path:
    """Write findings to a Parquet file (FINDING_COLUMNS, typed), in batches, atomically:
    for large runs, where a data team reads findings with pandas, DuckDB or Spark."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"start": pa.int64(), "end": pa.int64(), "confidence": pa.float64()}
    schema = pa.schema([(column, types.get(column, pa.string())) for column in FINDING_COLUMNS])
    path = Path(path)
    remove_stale(path.parent, f".{path.name}.*.tmp")
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with pq.ParquetWriter(tmp, schema) as writer:
            batch: list[dict[str, object]] = []
            for finding in findings:
                batch.append({column: getattr(finding, column) for column in FINDING_COLUMNS})
                if len(batch) >= PARQUET_BATCH:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    batch = []
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
        os.replace(tmp, path)
    except OSError as error:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise OutputError(f"{path}: cannot write: {reason(error)}") from error
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return path
