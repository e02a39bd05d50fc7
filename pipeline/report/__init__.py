"""Write the discrepancy report: findings.csv, findings.jsonl and a self-contained report.html
(for a large run, an index with pages of findings in report-pages/)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.models import FLAG_STATUSES, FLAGGED, VERDICTS, Finding, Skipped

from .files import (
    atomic_write,
    csv_to,
    jsonl_to,
    neutralize_cell,
    restore_cell,
)
from .html import RunInfo, render_html
from .pages import PAGE_ROWS, PAGES_DIR, write_html
from .parquet import jsonl_to_parquet
from .staging import staged

__all__ = [
    "ReportPaths",
    "RunInfo",
    "atomic_write",
    "neutralize_cell",
    "render_html",
    "restore_cell",
    "sort_findings",
    "write_reports",
]

PARQUET_NAME = "findings.parquet"
PARQUET_FROM = 10_000  # runs with more findings also write findings.parquet
CSV_NAME = "findings.csv"
JSONL_NAME = "findings.jsonl"
HTML_NAME = "report.html"
# the files of one report set, the folder of the index's pages (large runs only) next to it
REPORT_NAMES = (HTML_NAME, PAGES_DIR, CSV_NAME, JSONL_NAME, PARQUET_NAME)


@dataclass(frozen=True, slots=True)
class ReportPaths:
    """Where write_reports put each file."""

    csv: Path
    jsonl: Path
    html: Path
    parquet: Path | None = None  # large runs only
    pages: Path | None = None  # large runs only: the folder of the pages report.html links to


class _Counted:
    """An iterable that counts what it yields."""

    def __init__(self, items: Iterable[Finding]) -> None:
        self.items = items
        self.count = 0

    def __iter__(self) -> Iterator[Finding]:
        for item in self.items:
            self.count += 1
            yield item


def _group(verdict: str) -> int:
    """Discrepancies first, then unverified, then supported."""
    if verdict in FLAGGED:
        return 0
    return 1 if verdict == "unverified" else 2


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in report order: by verdict group, then article, input order kept within.

    Raises ValueError for a verdict or flag_status the report does not know.
    """
    ordered = list(findings)
    for finding in ordered:
        if finding.verdict not in VERDICTS:
            raise ValueError(
                f"finding {finding.finding_id}: unknown verdict {finding.verdict!r}"
                f" (expected one of {', '.join(VERDICTS)})"
            )
        if finding.flag_status and finding.flag_status not in FLAG_STATUSES:
            raise ValueError(
                f"finding {finding.finding_id}: unknown flag_status {finding.flag_status!r}"
                f" (expected one of {', '.join(FLAG_STATUSES)}, or empty for open)"
            )
    # sorted() is stable, so findings of one article keep the order the checker gave them.
    return sorted(ordered, key=lambda finding: (_group(finding.verdict), finding.article))


def write_reports(
    findings: Iterable[Finding] | Callable[[], Iterable[Finding]],
    out_dir: Path,
    *,
    skipped: Sequence[Skipped] = (),
    run: RunInfo | None = None,
    page_rows: int = PAGE_ROWS,
) -> ReportPaths:
    """Write findings.csv, findings.jsonl and report.html into out_dir; return their paths.

    A report that would list more than `page_rows` findings is split: report.html is then an
    index linking to pages of at most `page_rows` findings in report-pages/ (see `pages`).

    `findings` is a collection (sorted here into report order), or a function that gives
    them afresh in report order each time it is called: then nothing is held in memory
    but what the page lists (large runs stream from the store).
    The set is replaced as a whole (see `staging`): a failure while writing (a full disk, a
    read-only folder) is an OutputError and leaves the previous set as it was; a
    findings.parquet of an earlier, larger run is removed with the rest of the old set.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"{out_dir}: cannot create the report folder: {error.strerror}") from error
    if callable(findings):
        source = findings
    else:
        ordered = sort_findings(findings)
        source = lambda: ordered  # noqa: E731 - the same list each time
    paths = ReportPaths(
        csv=out_dir / CSV_NAME, jsonl=out_dir / JSONL_NAME, html=out_dir / HTML_NAME
    )
    with staged(out_dir, REPORT_NAMES) as stage:
        if write_html(
            source, stage, index_name=HTML_NAME, skipped=skipped, run=run, page_rows=page_rows
        ):
            paths = replace(paths, pages=out_dir / PAGES_DIR)
        counted = _Counted(source())
        with stage.open(CSV_NAME) as handle:
            csv_to(handle, counted)
        with stage.open(JSONL_NAME) as handle:
            jsonl_to(handle, source())
        if counted.count > PARQUET_FROM:
            jsonl_to_parquet(stage.path(JSONL_NAME), stage.path(PARQUET_NAME))
            paths = replace(paths, parquet=out_dir / PARQUET_NAME)
    return paths
