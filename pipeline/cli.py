"""The `factcheck` command line: each command parses its options, calls the library, prints.

Exit codes, like a linter's: 0 no discrepancies, 1 contradicted or outdated claims found,
2 usage, input, store, reference or output errors, 3 an internal error (a bug: one line
asks to report it; FACTCHECK_DEBUG=1 shows the traceback instead), 130 interrupted (Ctrl-C).
No command ends in a traceback. Everything printed goes through `terminal.shown`, so
control characters in ids, file names and notes are shown, never run.

Settings: factcheck.toml in the current folder, or [tool.factcheck] in its pyproject.toml,
gives the defaults of --db, --reference, --out, --publisher and --publisher-url (see
pipeline.config); options given on the command line win.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from pipeline import __version__
from pipeline.errors import FactcheckError, NoArticlesError, ReferenceTableError, UsageError
from pipeline.models import FLAG_STATUSES, VERDICTS
from pipeline.terminal import shown, shown_json

if TYPE_CHECKING:
    from pipeline.models import Article, Finding, Skipped
    from pipeline.runner import Progress, RunResult
    from pipeline.store import Decision


DEFAULT_SOURCES = Path("sources")
DEFAULT_OUT = Path("reports")
DEFAULT_DB = DEFAULT_OUT / "factcheck.db"
INTERNAL_ERROR = 3
INTERRUPTED = 130
BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a reader that stopped early
DEBUG_VARIABLE = "FACTCHECK_DEBUG"
# Config file keys -> the parameters they give defaults to, in every command that has one.
CONFIG_PARAMETERS = {
    "db": "db",
    "reference": "reference_dir",
    "out": "out_dir",
    "publisher": "publisher",
    "publisher_url": "publisher_url",
    "publisher_logo": "publisher_logo",
}
PROGRESS_EVERY = 10.0  # seconds between progress lines when stderr is not a terminal


def _fail(error: FactcheckError) -> NoReturn:
    if isinstance(error, ReferenceTableError):
        for problem in error.problems:
            click.echo(shown(problem), err=True)
        click.echo(
            f"factcheck: error: the reference has {len(error.problems)} problem(s); fix them "
            "and run `factcheck reference validate`",
            err=True,
        )
    else:
        click.echo(f"factcheck: error: {shown(error)}", err=True)
    sys.exit(error.exit_code)


def _internal(error: Exception) -> NoReturn:
    """One line for a bug, exit 3 (not 1, which scripts read as "discrepancies found")."""
    click.echo(
        f"factcheck: internal error: {shown(type(error).__name__)}: {shown(error)}; please "
        f"report it (run again with {DEBUG_VARIABLE}=1 for the traceback)",
        err=True,
    )
    sys.exit(INTERNAL_ERROR)


class _Guarded(click.Group):
    """The command group; every command it runs ends with an exit code, never a traceback:
    a FactcheckError a command did not handle exits 2, an interrupt 130, a reader that
    stopped early ("| head") 141, anything else 3."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Abort, click.exceptions.Exit):
            raise  # click's own: usage errors and exits
        except FactcheckError as error:
            _fail(error)
        except KeyboardInterrupt:
            click.echo("factcheck: interrupted", err=True)
            sys.exit(INTERRUPTED)
        except BrokenPipeError:
            # "factcheck flags | head": the reader has what it wanted. Point stdout at
            # /dev/null so the interpreter's last flush does not fail again, and stop quietly.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(BROKEN_PIPE)
        except Exception as error:
            if os.environ.get(DEBUG_VARIABLE) == "1":
                raise
            _internal(error)


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


class WorkersType(click.ParamType):
    """A number of worker processes (1 or more), or "auto" (None: chosen by the run)."""

    name = "N|auto"

    def get_metavar(self, *args, **kwargs) -> str:
        return "N|auto"

    def convert(self, value, param, ctx):
        if value is None or isinstance(value, int):
            return value
        if str(value).strip().lower() == "auto":
            return None
        try:
            number = int(str(value))
        except ValueError:
            number = 0
        if number < 1:
            self.fail(f"{value!r} is not a number of workers (1 or more) or auto", param, ctx)
        return number


reference_option = click.option(
    "--reference",
    "reference_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder with entities.csv, attributes.csv, facts.csv, checked_claims.csv "
    "[default: claims/ here, else the reference bundled with factcheck].",
)
db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_DB,
    show_default=True,
    help="The store (SQLite) that remembers articles, findings and decisions.",
)
model_option = click.option(
    "--model", default=None, help="spaCy pipeline to load [default: en_core_web_sm]."
)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="factcheck")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Check the factual claims in news articles against a curated, dated reference.

    Claims (member counts, founding years, ranks, lists of members, office holders, legal
    articles, quotations) are read from each article, judged at the article's date against
    the facts in claims/, and written to a discrepancy report: supported, contradicted,
    outdated or unverified.

    Settings: factcheck.toml here (or [tool.factcheck] in pyproject.toml) may set db,
    reference, out, publisher and publisher_url; command-line options override them.

    Example: factcheck run sources/ --out reports/
    """
    from pipeline.config import load_config

    config = load_config()
    if config.values:
        values = {CONFIG_PARAMETERS[key]: str(value) for key, value in config.values.items()}
        ctx.default_map = _config_defaults(ctx.command, values)
        ctx.meta["config_path"] = config.path


def _config_defaults(command: click.Command, values: dict[str, str]) -> dict[str, object]:
    """click's default_map for `command`: each value for its parameter of that name, and
    a map for each subcommand."""
    names = {param.name for param in command.params}
    defaults: dict[str, object] = {name: value for name, value in values.items() if name in names}
    for name, sub in getattr(command, "commands", {}).items():
        defaults[name] = _config_defaults(sub, values)
    return defaults


def _reference(given: Path | None) -> Path:
    """The reference folder: the one given (or set in the config file), else claims/ here,
    else the bundled one (said on stderr)."""
    if given is not None:
        return given
    from pipeline.config import BUNDLED_REFERENCE, find_reference

    found = find_reference()
    if found == BUNDLED_REFERENCE:
        click.echo(
            f"factcheck: no claims/ folder here; using the bundled reference ({shown(found)})",
            err=True,
        )
    return found


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
    help="Skip input files, and batch records, larger than this (bytes).",
)
@click.option(
    "--follow-links",
    is_flag=True,
    help="Read symbolic links that lead out of SOURCES (they are skipped otherwise).",
)
@db_option
@click.option("--all", "full", is_flag=True, help="Parse every article again, changed or not.")
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    help="Seconds to wait for another run on the same store to finish [default: 0].",
)
@click.option(
    "--workers",
    type=WorkersType(),
    default="auto",
    show_default=True,
    help="Processes that parse articles, or auto: one per core for a batch large enough to "
    "pay for them (8+ articles each), as the free memory allows; 1 parses here.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where articles are parsed: here, or on a Dask cluster.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="tcp://HOST:PORT",
    help="With --engine dask: the scheduler of an existing cluster [default: a LocalCluster "
    "of --workers processes on 127.0.0.1].",
)
@click.option(
    "--no-prefilter",
    "no_prefilter",
    is_flag=True,
    help="Parse every sentence, not only those that can hold a claim (slower; same findings).",
)
@click.option(
    "--strict", is_flag=True, help="Exit 2 when any input was skipped (unreadable, too large, ...)."
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when discrepancies are found.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the summary as one JSON object (counts, verdicts, skipped inputs, reports).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show progress with a total and the time left on stderr [default: on a terminal "
    "only; --progress elsewhere prints a line every 10 s].",
)
def run(
    sources: tuple[Path, ...],
    reference_dir: Path,
    out_dir: Path,
    default_date: date | None,
    model: str | None,
    max_bytes: int,
    follow_links: bool,
    db: Path,
    full: bool,
    wait: float,
    workers: int | None,
    engine: str,
    scheduler: str | None,
    no_prefilter: bool,
    strict: bool,
    exit_zero: bool,
    as_json: bool,
    progress: bool | None,
) -> None:
    """Check articles and write the discrepancy report of this batch.

    SOURCES are files or folders (searched recursively) of .txt, .md, .html articles and
    .jsonl/.csv batches (records with id, text or html, and optional url, title,
    published, author, publisher). Without SOURCES, the sources/ folder is read. Files of
    other types are listed as skipped; the --out folder and the store are never read.
    Sources without a readable article are an error (exit 2).

    Ctrl-C stops the run (exit 130): what was checked is kept in the store, and the next
    run goes on from there.

    The store (--db) remembers every article: only new or changed articles are parsed;
    when the reference changed, unchanged articles are checked again without parsing.

    Large batches are parsed in one process per core (--workers auto; --workers N for N,
    1 for none); --engine dask parses on a Dask cluster (--scheduler tcp://HOST:PORT, or a
    local one).

    Exits 1 when contradicted or outdated claims were found that editors have not
    dismissed (unless --exit-zero), 2 on usage, store or reference errors, and with
    --strict when any input was skipped. Skipped inputs are listed, never fatal otherwise.

    Example: factcheck run sources/ --reference claims/ --out reports/ --default-date 2026-01-31
    """
    from pipeline.runner import run as run_batch

    paths = list(sources) or [DEFAULT_SOURCES]
    if not sources and not DEFAULT_SOURCES.exists():
        raise click.UsageError("no SOURCES given and there is no sources/ folder here")
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler goes with --engine dask")
    from pipeline.runner import RunInterrupted

    try:
        result = run_batch(
            paths,
            reference_dir=_reference(reference_dir),
            out_dir=out_dir,
            default_date=default_date or date.today(),
            model=model,
            max_bytes=max_bytes,
            follow_links=follow_links,
            db=db,
            full=full,
            wait=wait,
            prefilter=not no_prefilter,
            workers=workers,
            engine=engine,
            scheduler=scheduler,
            progress=_progress_for(progress),
        )
    except NoArticlesError as error:
        _print_skipped(error.skipped)
        _fail(error)
    except FactcheckError as error:
        _fail(error)
    except RunInterrupted as stop:
        click.echo(
            f"factcheck: interrupted: {stop.stored:,} article(s) checked and stored ({stop.done:,} "
            f"of {stop.total:,} inputs done; no report written); run again to go on",
            err=True,
        )
        sys.exit(INTERRUPTED)
    if as_json:
        _print_skipped(result.skipped)
        click.echo(shown_json(json.dumps(_summary_record(result), ensure_ascii=False)))
    else:
        _print_summary(result)
    if strict and result.skipped:
        click.echo(
            f"factcheck: error: {len(result.skipped)} input(s) skipped, and --strict was given",
            err=True,
        )
        sys.exit(2)
    if result.discrepancies and not exit_zero:
        sys.exit(1)


def _progress_for(wanted: bool | None) -> Progress | None:
    """How a run shows its progress: a bar on a terminal, lines elsewhere when asked
    (--progress), none when not wanted (--no-progress, or not a terminal)."""
    terminal = sys.stderr.isatty()
    if wanted is False or (wanted is None and not terminal):
        return None
    return _progress_bar if terminal else _progress_lines


def _progress_bar(items: Iterable[Article | Skipped], total: int) -> Iterator[Article | Skipped]:
    """click's progress bar, with the position, the total and the time left."""
    with click.progressbar(
        items,
        length=total or None,
        label="Checking articles",
        file=sys.stderr,
        show_pos=True,
        show_eta=True,
    ) as bar:
        yield from bar


def _progress_lines(items: Iterable[Article | Skipped], total: int) -> Iterator[Article | Skipped]:
    """A progress line on stderr after the first input, then every PROGRESS_EVERY seconds,
    and one when all are done: for logs, where a bar cannot redraw itself."""
    started = last = time.monotonic()
    done = 0
    for done, item in enumerate(items, start=1):
        yield item
        now = time.monotonic()
        if done == 1 or now - last >= PROGRESS_EVERY:
            click.echo(f"factcheck: {_progress_line(done, total, now - started)}", err=True)
            last = now
    elapsed = _duration(time.monotonic() - started)
    click.echo(f"factcheck: {done:,} of {max(done, total):,} inputs done in {elapsed}", err=True)


def _progress_line(done: int, total: int, elapsed: float) -> str:
    """'412 of 3,000 inputs (13%), about 5 min 12 s left'."""
    if done >= total:
        return f"{done:,} inputs done"
    left = elapsed / done * (total - done)
    return f"{done:,} of {total:,} inputs ({done * 100 // total}%), about {_duration(left)} left"


def _duration(seconds: float) -> str:
    """A duration in words: '40 s', '5 min 12 s', '2 h 05 min'."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02} min"


def _print_skipped(skipped: Iterable[Skipped]) -> None:
    for item in skipped:
        click.echo(f"skipped: {shown(item.source)}: {shown(item.reason)}", err=True)


def _summary_record(result: RunResult) -> dict[str, object]:
    """The run's summary as one JSON object."""
    paths = result.paths
    return {
        "run": result.run_id,
        "articles": result.articles,
        "new": result.new,
        "changed": result.changed,
        "unchanged": result.unchanged,
        "rechecked": result.rechecked,
        "parsed": result.parsed,
        "workers": result.workers,
        "verdicts": {verdict: result.verdicts[verdict] for verdict in VERDICTS},
        "discrepancies": result.discrepancies,
        "dismissed": result.dismissed,
        "skipped": [{"source": item.source, "reason": item.reason} for item in result.skipped],
        "reports": None
        if paths is None
        else {
            "html": str(paths.html),
            "csv": str(paths.csv),
            "jsonl": str(paths.jsonl),
            "parquet": str(paths.parquet) if paths.parquet else None,
        },
    }


SUMMARY_ROWS = 25  # articles listed in the summary table; the report lists them all


def _print_summary(result: RunResult) -> None:
    flagged = ("contradicted", "outdated")
    column = {verdict: i for i, verdict in enumerate(VERDICTS)}
    ranked = sorted(
        result.per_article.items(), key=lambda item: -sum(item[1][column[v]] for v in flagged)
    )
    listed = dict(ranked[:SUMMARY_ROWS])
    width = max([len("article"), *(len(shown(name)) for name in listed)]) + 2
    header = "article".ljust(width) + "".join(v.rjust(14) for v in VERDICTS)
    click.echo(header)
    click.echo("-" * len(header))
    for name, counts in result.per_article.items():
        if name in listed:
            click.echo(shown(name).ljust(width) + "".join(str(n).rjust(14) for n in counts))
    if len(result.per_article) > len(listed):
        click.echo(f"... and {len(result.per_article) - len(listed)} more article(s)")
    click.echo("-" * len(header))
    click.echo("total".ljust(width) + "".join(str(result.verdicts[v]).rjust(14) for v in VERDICTS))
    click.echo(
        f"\n{result.articles} article(s): {result.new} new, {result.changed} changed, "
        f"{result.unchanged} unchanged, {result.rechecked} re-checked, "
        f"{len(result.skipped)} failed or skipped; {result.parsed} parsed"
        + (f" in {result.workers} worker processes." if result.workers > 1 else ".")
    )
    dismissed = f" ({result.dismissed} more dismissed by editors)" if result.dismissed else ""
    click.echo(f"{result.discrepancies} discrepancy(ies){dismissed}.")
    _print_skipped(result.skipped)
    if result.paths:
        click.echo(f"Report: {shown(result.paths.html)}")


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
        checker = Checker(load_reference(_reference(reference_dir)), model=model)
        findings = checker.check_text(text, as_of=as_of or date.today())
    except FactcheckError as error:
        _fail(error)
    for finding in findings:
        if as_json:
            fields = asdict(finding)
            fields.pop("extra", None)
            click.echo(shown_json(json.dumps(fields, ensure_ascii=False)))
        else:
            click.echo(f"[{finding.verdict}] {shown(finding.claim)}")
            click.echo(f"    {shown(finding.explanation)}")
            if finding.source:
                click.echo(f"    source: {shown(finding.source)}")
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
    "reference_dir",
    metavar="[FOLDER]",
    required=False,
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
)
def validate_command(reference_dir: Path | None) -> None:
    """Report every problem in a reference folder as file:line:column: message.

    Without FOLDER: the reference of the config file, else claims/ here, else the bundled
    one. Exits 0 when the reference is valid, 2 otherwise.

    Example: factcheck reference validate claims/
    """
    from pipeline.reference import load_reference

    try:
        folder = _reference(reference_dir)
        loaded = load_reference(folder)
    except FactcheckError as error:
        _fail(error)
    click.echo(
        f"{shown(folder)}: OK: {len(loaded.entities)} entities, "
        f"{len(loaded.attributes)} attributes, {len(loaded.facts)} facts, "
        f"{len(loaded.checked_claims)} checked claims"
    )


@cli.command(name="evaluate")
@click.argument("expected", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("findings", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--min-precision", type=click.FloatRange(0, 1), default=0.0, show_default=True)
@click.option("--min-recall", type=click.FloatRange(0, 1), default=0.0, show_default=True)
@click.option(
    "--calibration",
    is_flag=True,
    help="Also show how often verdicts at each confidence were right.",
)
def evaluate_command(
    expected: Path, findings: Path, min_precision: float, min_recall: float, calibration: bool
) -> None:
    """Score a findings.csv against a labelled expectations file.

    EXPECTED has the columns article, quote, value, expected, required (see the README).
    Exits 1 when precision or recall falls below the given floors.

    Example: factcheck evaluate tests/data/sources_expected.csv reports/findings.csv
    """
    from pipeline import evaluate

    try:
        rows, found = evaluate.read_expected(expected), evaluate.read_findings(findings)
    except FactcheckError as error:
        _fail(error)
    result = evaluate.score(rows, found)
    if calibration:
        for confidence_bin in evaluate.calibration(rows, found):
            click.echo(confidence_bin.line())
    for line in result.missed:
        click.echo(f"missed: {shown(line)}")
    for line in result.false_alarms:
        click.echo(f"false positive: {shown(line)}")
    click.echo(result.summary())
    if result.precision < min_precision or result.recall < min_recall:
        sys.exit(1)


# -- editors' decisions ----------------------------------------------------------------


@cli.command()
@click.argument("finding_ids", nargs=-1, required=True, metavar="FINDING_ID...")
@click.option(
    "--status",
    type=click.Choice(FLAG_STATUSES),
    required=True,
    help="confirmed: a real discrepancy, the article needs a correction; disputed: the "
    "verdict or the reference is challenged; dismissed: not a real claim or a false alarm; "
    "open: undecided.",
)
@click.option("--note", default="", help="Why: what the editor found.")
@click.option("--by", "who", default="", help="Who decided.")
@db_option
def flag(finding_ids: tuple[str, ...], status: str, note: str, who: str, db: Path) -> None:
    """Record an editor's decision on findings (kept as history; the latest counts).

    Example: factcheck flag 7b90a73958635258 --status dismissed --note "a quotation" --by ana
    """
    from pipeline.store import Store

    try:
        with Store.open(db, create=False) as store:
            count = store.decide([(fid, status, note, who) for fid in finding_ids])
    except FactcheckError as error:
        _fail(error)
    click.echo(f"{count} finding(s) marked {status}.")


@cli.group(invoke_without_command=True)
@click.option("--status", type=click.Choice(FLAG_STATUSES), default=None, help="Only these.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print JSON lines: one object per decision (finding_id, status, note, by, at, "
    "article, claim, verdict; the last three null when the finding is no longer current).",
)
@db_option
@click.pass_context
def flags(ctx: click.Context, status: str | None, as_json: bool, db: Path) -> None:
    """List the editors' decisions (the latest per finding), or import and export them.

    Example: factcheck flags --status disputed
    """
    if ctx.invoked_subcommand is not None:
        if status is not None:
            raise click.UsageError("--status lists decisions; it does not go with a subcommand")
        if as_json:
            raise click.UsageError("--json lists decisions; it does not go with a subcommand")
        ctx.meta["flags_db"] = db
        return
    from pipeline.store import Store

    try:
        with Store.open(db, create=False) as store:
            decisions = store.decisions()
            findings = {f.finding_id: f for f in store.findings()}
    except FactcheckError as error:
        _fail(error)
    listed = [
        d
        for d in sorted(decisions.values(), key=lambda d: d.at)
        if not status or d.status == status
    ]
    if as_json:
        for decision in listed:
            record = _decision_record(decision, findings.get(decision.finding_id))
            click.echo(shown_json(json.dumps(record, ensure_ascii=False)))
        return
    for decision in listed:
        finding = findings.get(decision.finding_id)
        about = f"{finding.article}: {finding.claim}" if finding else "(finding no longer current)"
        who = decision.by or "-"
        click.echo(
            f"{shown(decision.finding_id)}  {decision.status:<9}  {shown(decision.at)}  "
            f"{shown(who)}  {shown(about)}"
        )
        if decision.note:
            click.echo(f"    {shown(decision.note)}")
    if not listed:
        click.echo("No decisions.")


def _decision_record(decision: Decision, finding: Finding | None) -> dict[str, object]:
    """A decision as one JSON object, with what its finding is about when it is current."""
    return {
        "finding_id": decision.finding_id,
        "status": decision.status,
        "note": decision.note,
        "by": decision.by,
        "at": decision.at,
        "article": finding.article if finding else None,
        "claim": finding.claim if finding else None,
        "verdict": finding.verdict if finding else None,
    }


@cli.command()
@click.argument("finding_id")
@db_option
def show(finding_id: str, db: Path) -> None:
    """Show one finding: its claim, verdict, sentence, the reference's value, explanation
    and source, its article and run, and every decision editors made on it.

    Example: factcheck show 7b90a73958635258
    """
    from pipeline.store import Store

    try:
        with Store.open(db, create=False) as store:
            stored = store.stored_finding(finding_id)
            if stored is None:
                raise UsageError(f"no finding {finding_id!r} in {db}")
            run_record = store.run(stored.run_id)
            history = store.history(finding_id)
    except FactcheckError as error:
        _fail(error)
    finding = stored.finding
    now = "current" if stored.current else "not current: its article was checked again since"
    published = f", published {finding.published}" if finding.published else ""
    read_from = f" (read from {stored.source})" if stored.source else ""
    finished = f", {run_record.finished}" if run_record.finished else ""
    rows = [
        ("finding", f"{finding.finding_id} ({now})"),
        ("verdict", f"{finding.verdict} (confidence {finding.confidence:.2f})"),
        ("claim", finding.claim),
        ("sentence", finding.sentence),
        ("claimed", finding.claimed_value),
        ("reference", finding.reference_value),
        ("explanation", finding.explanation),
        ("source", _joined(finding.source, f"fact {finding.fact_id}" if finding.fact_id else "")),
        ("article", f"{finding.article}{published}{read_from}"),
        ("title", finding.title),
        ("url", finding.url),
        ("author", finding.author),
        ("publisher", finding.publisher),
        ("run", f"{stored.run_id} ({run_record.status}{finished})"),
    ]
    for label, value in rows:
        if value:
            click.echo(f"{label:<12} {shown(value)}")
    if not history:
        click.echo(f"{'decisions':<12} none (open)")
        return
    click.echo("decisions")
    for decision in history:
        note = f": {decision.note}" if decision.note else ""
        click.echo(
            f"  {shown(decision.at)}  {decision.status:<9}  {shown(decision.by or '-')}"
            f"{shown(note)}"
        )


def _joined(*parts: str) -> str:
    """The parts that are not empty, joined: 'https://... (fact np-1)'."""
    first, *rest = [part for part in parts if part] or [""]
    return first + "".join(f" ({part})" for part in rest)


@flags.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "who", default="", help="Who decided, where the file has no flag_by.")
@db_option
def flags_import(file: Path, who: str, db: Path) -> None:
    """Apply the decisions of an edited findings.csv (or any CSV with finding_id,
    flag_status[, flag_note, flag_by]): all rows or none.

    Example: factcheck flags import reports/findings.csv --by ana
    """
    from pipeline.decisions import import_decisions
    from pipeline.store import Store

    try:
        with Store.open(_group_db(db), create=False) as store:
            result = import_decisions(store, file, by=who)
    except FactcheckError as error:
        _fail(error)
    click.echo(f"{result.applied} decision(s) applied, {result.unchanged} unchanged.")


@flags.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@db_option
def flags_export(file: Path, db: Path) -> None:
    """Write the current decisions to a CSV file.

    Example: factcheck flags export decisions.csv
    """
    from pipeline.decisions import export_decisions
    from pipeline.store import Store

    try:
        with Store.open(_group_db(db), create=False) as store:
            count = export_decisions(store, file)
    except FactcheckError as error:
        _fail(error)
    click.echo(f"{count} decision(s) written to {shown(file)}.")


def _group_db(db: Path) -> Path:
    """The store a `flags` subcommand uses: its own --db, else the group's."""
    given = click.get_current_context().find_root().meta.get("flags_db")
    return db if db != DEFAULT_DB or given is None else given


# -- reports over the store -------------------------------------------------------------


@cli.command()
@click.option("--since", type=DATE, default=None, help="Articles checked on or after this date.")
@click.option("--article", "articles", multiple=True, help="Only this article (repeatable).")
@click.option(
    "--verdict", "verdicts", type=click.Choice(VERDICTS), multiple=True, help="Only this verdict."
)
@click.option(
    "--flag",
    "flag_statuses",
    type=click.Choice(FLAG_STATUSES),
    multiple=True,
    help="Only findings with this decision (open: undecided).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Folder for findings.csv, findings.jsonl and report.html.",
)
@db_option
def report(
    since: date | None,
    articles: tuple[str, ...],
    verdicts: tuple[str, ...],
    flag_statuses: tuple[str, ...],
    out_dir: Path,
    db: Path,
) -> None:
    """Write the report files over the whole store (or the articles and findings chosen).

    Example: factcheck report --verdict contradicted --flag open --out reports/todo/
    """
    from pipeline.report import write_reports
    from pipeline.store import Store

    try:
        with Store.open(db, create=False) as store:
            findings = store.findings(
                article_ids=articles or None, since=since, verdicts=verdicts, flags=flag_statuses
            )
        paths = write_reports(findings, out_dir)
    except FactcheckError as error:
        _fail(error)
    click.echo(f"{len(findings)} finding(s). Report: {shown(paths.html)}")


@cli.group()
def export() -> None:
    """Publish findings in other formats.

    Example: factcheck export claimreview --out reviews.jsonld --config factcheck.toml
    """


@export.command(name="claimreview")
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The JSON-LD file to write.",
)
@click.option(
    "--status",
    "statuses",
    type=click.Choice(FLAG_STATUSES),
    multiple=True,
    help="Export findings with this decision [default: confirmed].",
)
@click.option("--publisher", default=None, help="The publishing organization's name.")
@click.option("--publisher-url", default=None, help="Its website; reviews link to it.")
@click.option("--publisher-logo", default=None, help="Its logo's URL (optional).")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A TOML file with a [publisher] table (name, url, logo).",
)
@db_option
def export_claimreview(
    out_file: Path,
    statuses: tuple[str, ...],
    publisher: str | None,
    publisher_url: str | None,
    publisher_logo: str | None,
    config: Path | None,
    db: Path,
) -> None:
    """Write schema.org ClaimReview JSON-LD for confirmed discrepancies.

    The publisher comes from a TOML file (--config) with a [publisher] table: name, url,
    and optionally logo; else from --publisher and --publisher-url (and --publisher-logo),
    which factcheck.toml can set.

    Example: factcheck export claimreview --out reviews.jsonld --publisher "Daily Check"
    --publisher-url https://example.org/checks
    """
    from pipeline.claimreview import (
        export_claim_reviews,
        load_publisher,
        make_publisher,
        write_claimreview,
    )
    from pipeline.store import Store

    try:
        if config is not None:
            who = load_publisher(config)
        elif publisher and publisher_url:
            who = make_publisher(
                publisher, publisher_url, publisher_logo or "", where=_set_where("publisher_url")
            )
        else:
            raise UsageError(
                "give --publisher NAME and --publisher-url URL, or --config FILE (or set "
                "publisher and publisher_url in factcheck.toml)"
            )
        with Store.open(db, create=False) as store:
            findings = store.findings()
        result = export_claim_reviews(findings, publisher=who, statuses=statuses or ("confirmed",))
        write_claimreview(out_file, result.reviews)
    except FactcheckError as error:
        _fail(error)
    for finding_id, reason in result.skipped:
        click.echo(f"skipped {shown(finding_id)}: {shown(reason)}", err=True)
    click.echo(f"{len(result.reviews)} ClaimReview(s) written to {shown(out_file)}.")


def _set_where(name: str) -> str:
    """Where the option `name` was set, for messages: the config file, or the option."""
    ctx = click.get_current_context()
    if ctx.get_parameter_source(name) is click.core.ParameterSource.DEFAULT_MAP:
        return str(ctx.find_root().meta.get("config_path", "factcheck.toml"))
    return "--" + name.replace("_", "-")


# -- the editors' web app -----------------------------------------------------------------


@cli.command()
@db_option
@reference_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; any but this machine's (127.0.0.1, localhost, ::1) needs --token.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8008, show_default=True, help="Port (0: any)."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the queue in a web browser.")
@click.option(
    "--token",
    envvar="FACTCHECK_TOKEN",
    default=None,
    help="A secret every request must carry (at least 16 characters) [env: FACTCHECK_TOKEN].",
)
def serve(
    db: Path, reference_dir: Path, host: str, port: int, open_browser: bool, token: str | None
) -> None:
    """Serve a local web app where editors review findings and decide on them.

    The queue lists the open discrepancies, newest run first, with filters and search; an
    article's page shows its text with every claim marked; decisions made there are the
    store's, as with `factcheck flag`. Also a JSON API under /api/. Runs until Ctrl-C.

    Example: factcheck serve --db reports/factcheck.db --open
    """
    from pipeline.serve.server import serve as run_server

    try:
        run_server(
            db,
            reference_dir=reference_dir,
            host=host,
            port=port,
            token=token or None,
            open_browser=open_browser,
            announce=lambda line: click.echo(shown(line), err=True),
        )
    except FactcheckError as error:
        _fail(error)


def _examples_last(command: click.Command) -> None:
    """Move each command's "Example:" from its description to the end of its help, after
    the options (click's epilog), for this command and its subcommands."""
    if command.help and "Example:" in command.help:
        text, example = command.help.split("Example:", 1)
        command.help = text.rstrip()
        command.epilog = "Example: " + " ".join(example.split())
    for sub in getattr(command, "commands", {}).values():
        _examples_last(sub)


_examples_last(cli)


def main() -> None:
    """Entry point of the console script."""
    cli()
