"""The `factcheck` command line: each command parses its options, calls the library, prints.

Exit codes, like a linter's: 0 no discrepancies, 1 contradicted or outdated claims found,
2 usage, input or reference errors.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

from pipeline import __version__
from pipeline.errors import FactcheckError, ReferenceTableError
from pipeline.models import VERDICTS

if TYPE_CHECKING:
    from pipeline.runner import RunResult

T = TypeVar("T")

DEFAULT_SOURCES = Path("sources")
DEFAULT_REFERENCE = Path("claims")
DEFAULT_OUT = Path("reports")


def _fail(error: FactcheckError) -> NoReturn:
    if isinstance(error, ReferenceTableError):
        for problem in error.problems:
            click.echo(problem, err=True)
        click.echo(
            f"factcheck: error: the reference has {len(error.problems)} problem(s); fix them "
            "and run `factcheck reference validate`",
            err=True,
        )
    else:
        click.echo(f"factcheck: error: {error}", err=True)
    sys.exit(error.exit_code)


class _Date(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", param, ctx)


DATE = _Date()

reference_option = click.option(
    "--reference",
    "reference_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_REFERENCE,
    show_default=True,
    help="Folder with entities.csv, attributes.csv, facts.csv, checked_claims.csv.",
)
model_option = click.option(
    "--model", default=None, help="spaCy pipeline to load [default: en_core_web_sm]."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="factcheck")
def cli() -> None:
    """Check the factual claims in news articles against a curated, dated reference.

    Claims (member counts, founding years, ranks, lists of members, office holders, legal
    articles, quotations) are read from each article, judged at the article's date against
    the facts in claims/, and written to a discrepancy report: supported, contradicted,
    outdated or unverified.

    Example: factcheck run sources/ --out reports/
    """


@cli.command()
@click.argument(
    "sources", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[SOURCES]..."
)
@reference_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Folder for findings.csv, findings.jsonl and report.html.",
)
@click.option(
    "--default-date",
    type=DATE,
    default=None,
    help="Judge articles that carry no publication date at this date [default: today].",
)
@model_option
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=5_000_000,
    show_default=True,
    help="Skip input files larger than this.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when discrepancies are found.")
def run(
    sources: tuple[Path, ...],
    reference_dir: Path,
    out_dir: Path,
    default_date: date | None,
    model: str | None,
    max_bytes: int,
    exit_zero: bool,
) -> None:
    """Check articles and write the discrepancy report.

    SOURCES are files or folders (searched recursively) of .txt, .md, .html articles and
    .jsonl/.csv batches (records with id, text or html, and optional url, title,
    published). Without SOURCES, the sources/ folder is read.

    Exits 1 when contradicted or outdated claims were found (unless --exit-zero), 2 on
    usage or reference errors.

    Example: factcheck run sources/ --reference claims/ --out reports/ --default-date 2026-01-31
    """
    from pipeline.runner import run as run_batch

    paths = list(sources) or [DEFAULT_SOURCES]
    if not sources and not DEFAULT_SOURCES.exists():
        raise click.UsageError("no SOURCES given and there is no sources/ folder here")
    try:
        result = run_batch(
            paths,
            reference_dir=reference_dir,
            out_dir=out_dir,
            default_date=default_date or date.today(),
            model=model,
            max_bytes=max_bytes,
            progress=_progress,
        )
    except FactcheckError as error:
        _fail(error)
    _print_summary(result)
    if result.discrepancies and not exit_zero:
        sys.exit(1)


def _progress(items: Iterable[T]) -> Iterator[T]:
    with click.progressbar(
        items, label="Checking articles", file=sys.stderr, show_pos=True, show_eta=False
    ) as bar:
        yield from bar


def _print_summary(result: RunResult) -> None:
    width = max([len("article"), *(len(name) for name in result.per_article)]) + 2
    header = "article".ljust(width) + "".join(v.rjust(14) for v in VERDICTS)
    click.echo(header)
    click.echo("-" * len(header))
    for name, counts in result.per_article.items():
        click.echo(name.ljust(width) + "".join(str(counts[v]).rjust(14) for v in VERDICTS))
    click.echo("-" * len(header))
    click.echo("total".ljust(width) + "".join(str(result.verdicts[v]).rjust(14) for v in VERDICTS))
    click.echo(
        f"\n{result.articles} article(s) checked, {len(result.skipped)} skipped, "
        f"{result.discrepancies} discrepancy(ies)."
    )
    for skipped in result.skipped:
        click.echo(f"skipped: {skipped.source}: {skipped.reason}", err=True)
    if result.paths:
        click.echo(f"Report: {result.paths.html}")


@cli.command(name="check")
@click.argument("text")
@click.option(
    "--date", "as_of", type=DATE, default=None, help="Judge the text at this date [default: today]."
)
@reference_option
@model_option
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON lines.")
def check_command(
    text: str, as_of: date | None, reference_dir: Path, model: str | None, as_json: bool
) -> None:
    """Check one sentence or paragraph and print its findings.

    Exits 1 when a claim is contradicted or outdated, 0 otherwise.

    Example: factcheck check "NATO has 29 members." --date 2024-04-29
    """
    from pipeline.reference import load_reference
    from pipeline.runner import Checker

    try:
        checker = Checker(load_reference(reference_dir), model=model)
        findings = checker.check_text(text, as_of=as_of or date.today())
    except FactcheckError as error:
        _fail(error)
    for finding in findings:
        if as_json:
            fields = asdict(finding)
            fields.pop("extra", None)
            click.echo(json.dumps(fields, ensure_ascii=False))
        else:
            click.echo(f"[{finding.verdict}] {finding.claim}")
            click.echo(f"    {finding.explanation}")
            if finding.source:
                click.echo(f"    source: {finding.source}")
    if not findings and not as_json:
        click.echo("No check-worthy claims found.")
    if any(f.verdict in ("contradicted", "outdated") for f in findings):
        sys.exit(1)


@cli.group()
def reference() -> None:
    """Work with the curated reference (claims/).

    Example: factcheck reference validate claims/
    """


@reference.command(name="validate")
@click.argument(
    "folder", required=False, type=click.Path(file_okay=False, path_type=Path), default=None
)
def validate_command(folder: Path | None) -> None:
    """Report every problem in a reference folder as file:line:column: message.

    Exits 0 when the reference is valid, 2 otherwise.

    Example: factcheck reference validate claims/
    """
    from pipeline.reference import load_reference

    folder = folder or DEFAULT_REFERENCE
    try:
        loaded = load_reference(folder)
    except FactcheckError as error:
        _fail(error)
    click.echo(
        f"{folder}: OK: {len(loaded.entities)} entities, {len(loaded.attributes)} attributes, "
        f"{len(loaded.facts)} facts, {len(loaded.checked_claims)} checked claims"
    )


@cli.command(name="evaluate")
@click.argument("expected", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("findings", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--min-precision", type=click.FloatRange(0, 1), default=0.0, show_default=True)
@click.option("--min-recall", type=click.FloatRange(0, 1), default=0.0, show_default=True)
def evaluate_command(
    expected: Path, findings: Path, min_precision: float, min_recall: float
) -> None:
    """Score a findings.csv against a labelled expectations file.

    EXPECTED has the columns article, quote, value, expected, required (see the README).
    Exits 1 when precision or recall falls below the given floors.

    Example: factcheck evaluate tests/data/sources_expected.csv reports/findings.csv
    """
    from pipeline.evaluate import read_expected, read_findings, score

    try:
        result = score(read_expected(expected), read_findings(findings))
    except FactcheckError as error:
        _fail(error)
    for line in result.missed:
        click.echo(f"missed: {line}")
    for line in result.false_alarms:
        click.echo(f"false positive: {line}")
    click.echo(result.summary())
    if result.precision < min_precision or result.recall < min_recall:
        sys.exit(1)


def main() -> None:
    """Entry point of the console script."""
    cli()
