"""Reliability of what factcheck writes and prints: report sets on a full disk, the end of
every run, reading and validating the reference, the terminal, spreadsheet cells."""

from __future__ import annotations

import csv
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import make_finding
from hypothesis import given
from hypothesis import strategies as st

import pipeline.runner
from pipeline.cli import cli
from pipeline.errors import FactcheckError
from pipeline.models import Article, Finding
from pipeline.reference import validate_reference
from pipeline.report import neutralize_cell, restore_cell, write_reports
from pipeline.store import Store

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "data" / "mini_reference"
ARTICLE = """Published: June 1, 2024

The Northern Pact, which now has four members, meets this week in Strel.
Prime Minister Rudolf Rassendyll will host the summit.
"""
LIMIT = 100_000  # bytes a file may grow to in a "full disk" child process
BIG = "Ruritania " * 20_000  # 200,000 characters: more than LIMIT, in CSV cells only
HOSTILE = "\x1b]0;title\x07\x1b[2J"
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e")


# -- helpers ------------------------------------------------------------------------------


def factcheck(
    *args: object, cwd: Path, fsize: int | None = None, memory: int | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m pipeline ARGS` in a child process; `fsize` caps the size any file may grow
    to (writes past it fail with EFBIG, as on a full disk), `memory` the address space."""

    def limits() -> None:
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("FACTCHECK_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limits,
        check=False,
    )


def store_findings(db: Path, findings: list[Finding]) -> None:
    """Put hand-made findings in a real store, one article each, as a run would."""
    with Store.open(db) as store:
        run_id = store.start_run(reference_digest="d", model="m", sources=["s"])
        for finding in findings:
            article = Article(
                id=finding.article,
                text=finding.sentence,
                published=date(2024, 3, 1),
                title=finding.title,
                url=finding.url,
                source=finding.article,
            )
            store.save_checked(
                article, key=finding.article, run_id=run_id, reference_digest="d",
                findings=[finding], claims=[],
            )  # fmt: skip
        store.finish_run(run_id, {})


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) by relative path, with its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def error_lines(stderr: str) -> list[str]:
    """The lines on stderr but the progress bar's label (click shows it when not a terminal)."""
    return [line for line in stderr.strip().splitlines() if line != "Checking articles"]


def one_error_line(stderr: str) -> str:
    """The single line on stderr; fails when there is a traceback or more lines."""
    lines = error_lines(stderr)
    assert "Traceback" not in stderr
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FACTCHECK_DEBUG", raising=False)
    return CliRunner()


def invoke(runner: CliRunner, *args: object):
    return runner.invoke(cli, [str(arg) for arg in args])


# -- 1. report sets and exports on a full disk -------------------------------------------


def test_a_full_disk_leaves_the_previous_report_set_whole(tmp_path):
    db, out = tmp_path / "fc.db", tmp_path / "out"
    store_findings(db, [make_finding("f1", article="a1")])
    first = factcheck("report", "--db", db, "--out", out, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    # The new set's page fits under the limit, its CSV does not: the write fails mid-set.
    store_findings(db, [make_finding("f2", article="a2", entity=BIG)])
    second = factcheck("report", "--db", db, "--out", out, cwd=tmp_path, fsize=LIMIT)
    assert second.returncode == 2
    line = one_error_line(second.stderr)
    assert line.startswith(f"factcheck: error: {out}: cannot write the report: File too large")
    assert snapshot(out) == before  # the old set, all of it, and no temporary files


def test_a_report_set_replaces_the_previous_one_as_a_whole(tmp_path):
    out = tmp_path / "out"
    write_reports([make_finding("f1")], out)
    (out / "findings.parquet").write_bytes(b"from a larger run")
    (out / "notes.txt").write_text("the editors' own file")
    write_reports([make_finding("f2")], out)
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.csv",
        "findings.jsonl",
        "notes.txt",
        "report.html",
    ]
    assert "f2" in (out / "findings.csv").read_text(encoding="utf-8")


def test_a_failure_while_moving_the_set_in_puts_the_old_files_back(tmp_path):
    out = tmp_path / "out"
    write_reports([make_finding("f1")], out)
    (out / "findings.csv").unlink()
    (out / "findings.csv").mkdir()  # a folder in the CSV's place: its move fails
    (out / "findings.csv" / "keep").write_text("x")
    before = snapshot(out)
    with pytest.raises(FactcheckError, match="cannot write the report: Is a directory"):
        write_reports([make_finding("f2")], out)
    assert snapshot(out) == before  # report.html, moved in first, was put back


def test_report_into_a_folder_that_cannot_be_made_is_one_line(runner, tmp_path):
    db = tmp_path / "fc.db"
    store_findings(db, [make_finding("f1")])
    blocker = tmp_path / "blocker"
    blocker.write_text("a file")
    result = invoke(runner, "report", "--db", db, "--out", blocker / "r")
    assert result.exit_code == 2
    assert "cannot create the report folder" in one_error_line(result.stderr)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_report_to_a_read_only_folder_is_one_line(runner, tmp_path):
    db, out = tmp_path / "fc.db", tmp_path / "out"
    store_findings(db, [make_finding("f1")])
    out.mkdir()
    out.chmod(0o555)
    try:
        result = invoke(runner, "report", "--db", db, "--out", out)
    finally:
        out.chmod(0o755)
    assert result.exit_code == 2
    assert "cannot write the report: Permission denied" in one_error_line(result.stderr)
    assert list(out.iterdir()) == []


def test_flags_export_on_a_full_disk_keeps_the_previous_file(tmp_path):
    db = tmp_path / "fc.db"
    store_findings(db, [make_finding("f1")])
    with Store.open(db) as store:
        store.decide([("f1", "disputed", BIG, "ana")])
    exported = tmp_path / "exports" / "decisions.csv"
    exported.parent.mkdir()
    exported.write_text("the previous export\n")
    result = factcheck("flags", "export", exported, "--db", db, cwd=tmp_path, fsize=LIMIT)
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert line == (
        f"factcheck: error: {exported}: cannot write: File too large (nothing was changed)"
    )
    assert snapshot(exported.parent) == {"decisions.csv": b"the previous export\n"}


def test_export_claimreview_on_a_full_disk_keeps_the_previous_file(tmp_path):
    db = tmp_path / "fc.db"
    store_findings(db, [make_finding("f1", explanation=BIG)])
    with Store.open(db) as store:
        store.decide([("f1", "confirmed", "", "ana")])
    exported = tmp_path / "exports" / "reviews.jsonld"
    exported.parent.mkdir()
    exported.write_text("[]\n")
    result = factcheck(
        "export", "claimreview", "--out", exported, "--db", db,
        "--publisher", "Daily Check", "--publisher-url", "https://check.example.org",
        cwd=tmp_path, fsize=LIMIT,
    )  # fmt: skip
    assert result.returncode == 2
    assert "cannot write: File too large" in one_error_line(result.stderr)
    assert snapshot(exported.parent) == {"reviews.jsonld": b"[]\n"}


# -- 2. every run ends cleanly -------------------------------------------------------------


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "summit.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def broken_stage(*args, **kwargs):
    raise RuntimeError("a stage broke")


def run_status(db: Path) -> str:
    with Store.open(db, create=False) as store:
        return store.runs()[0].status


def test_an_internal_error_exits_3_and_marks_the_run_failed(runner, sources, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline.runner, "_plan", broken_stage)
    db = tmp_path / "fc.db"
    result = invoke(
        runner, "run", sources, "--reference", MINI, "--out", tmp_path / "o", "--db", db
    )
    assert result.exit_code == 3, result.output
    line = one_error_line(result.stderr)
    assert line.startswith("factcheck: internal error: RuntimeError: a stage broke")
    assert "FACTCHECK_DEBUG=1" in line
    assert "Traceback" not in result.output
    assert run_status(db) == "failed"


def test_factcheck_debug_lets_the_internal_error_through(runner, sources, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline.runner, "_plan", broken_stage)
    monkeypatch.setenv("FACTCHECK_DEBUG", "1")
    db = tmp_path / "fc.db"
    result = invoke(
        runner, "run", sources, "--reference", MINI, "--out", tmp_path / "o", "--db", db
    )
    assert isinstance(result.exception, RuntimeError)
    assert run_status(db) == "failed"


def test_an_interrupted_run_exits_130_and_is_marked_aborted(runner, sources, tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.runner, "_plan", interrupted)
    db = tmp_path / "fc.db"
    result = invoke(
        runner, "run", sources, "--reference", MINI, "--out", tmp_path / "o", "--db", db
    )
    assert result.exit_code == 130
    assert one_error_line(result.stderr).startswith("factcheck: interrupted: 0 article(s)")
    assert run_status(db) == "aborted"


# -- 3. reference validate scales ------------------------------------------------------------


def long_series(folder: Path, count: int, *, extra: str = "") -> Path:
    """The mini reference with `count` consecutive one-day Sylvania member counts."""
    shutil.copytree(MINI, folder)
    day = date(1700, 1, 1)
    rows = []
    for number in range(count):
        end = day + timedelta(days=1)
        rows.append(
            f"syl-count-{number},Sylvania,member_count,{number % 7},{day},{end},"
            "https://example.org/sylvania,\n"
        )
        day = end
    with (folder / "facts.csv").open("a", encoding="utf-8") as handle:
        handle.writelines(rows)
        handle.write(extra)
    return folder


def test_a_100000_fact_series_validates_in_seconds(runner, tmp_path):
    folder = long_series(tmp_path / "ref", 100_000)
    started = time.perf_counter()
    result = invoke(runner, "reference", "validate", folder)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert "100031 facts" in result.stdout
    assert elapsed < 20, f"{elapsed:.1f} s"


def test_overlaps_in_a_long_series_are_still_found(tmp_path):
    # After the series: a fact over 1700-01-10..1700-01-12 with a value of its own.
    extra = "syl-wrong,Sylvania,member_count,99,1700-01-10,1700-01-12,https://example.org/s,\n"
    problems = validate_reference(long_series(tmp_path / "ref", 100_000, extra=extra))
    first = len((MINI / "facts.csv").read_text(encoding="utf-8").splitlines()) + 1
    wrong = f"{tmp_path / 'ref' / 'facts.csv'}:{first + 100_000}:1: syl-wrong (99, from "
    assert problems == [
        f"{wrong}1700-01-10 to 1700-01-12) overlaps syl-count-9 on line {first + 9} (2, from "
        "1700-01-10 to 1700-01-11) for Sylvania member_count; end one period where the other "
        "starts",
        f"{wrong}1700-01-10 to 1700-01-12) overlaps syl-count-10 on line {first + 10} (3, from "
        "1700-01-11 to 1700-01-12) for Sylvania member_count; end one period where the other "
        "starts",
    ]


def test_an_overlap_hidden_behind_a_fact_of_the_same_value_is_found(tmp_path):
    folder = tmp_path / "ref"
    shutil.copytree(MINI, folder)
    rows = (
        "syl-a,Sylvania,member_count,5,2000-01-01,2020-01-01,https://example.org/s,\n"
        "syl-b,Sylvania,member_count,5,2001-01-01,2002-01-01,https://example.org/s,\n"
        "syl-c,Sylvania,member_count,6,2003-01-01,2004-01-01,https://example.org/s,\n"
    )
    with (folder / "facts.csv").open("a", encoding="utf-8") as handle:
        handle.write(rows)
    problems = validate_reference(folder)
    assert len(problems) == 1
    assert "syl-c (6, from 2003-01-01 to 2004-01-01) overlaps syl-a on line" in problems[0]


# -- 4. reference files that are not regular files -----------------------------------------


def test_a_fifo_as_a_reference_file_is_refused(tmp_path):
    folder = tmp_path / "ref"
    shutil.copytree(MINI, folder)
    (folder / "facts.csv").unlink()
    os.mkfifo(folder / "facts.csv")
    result = factcheck("reference", "validate", folder, cwd=tmp_path)
    assert result.returncode == 2
    assert one_error_line(result.stderr) == (
        f"factcheck: error: {folder / 'facts.csv'}: not a regular file (a FIFO); "
        "the reference is read from regular CSV files"
    )


def test_a_reference_file_linked_to_dev_zero_is_refused(tmp_path):
    folder = tmp_path / "ref"
    shutil.copytree(MINI, folder)
    (folder / "entities.csv").unlink()
    (folder / "entities.csv").symlink_to("/dev/zero")
    result = factcheck("reference", "validate", folder, cwd=tmp_path, memory=2_000_000_000)
    assert result.returncode == 2
    assert one_error_line(result.stderr) == (
        f"factcheck: error: {folder / 'entities.csv'}: not a regular file "
        "(a character device); the reference is read from regular CSV files"
    )


def test_a_reference_file_over_the_size_limit_is_refused(runner, tmp_path):
    folder = tmp_path / "ref"
    shutil.copytree(MINI, folder)
    with (folder / "facts.csv").open("r+b") as handle:
        handle.truncate(201 * 1024 * 1024)  # sparse: no disk space used
    result = invoke(runner, "reference", "validate", folder)
    assert result.exit_code == 2
    assert one_error_line(result.stderr) == (
        f"factcheck: error: {folder / 'facts.csv'}: 201 MB, more than the 200 MB a "
        "reference file may have; check the file"
    )


# -- 5. the terminal shows control characters, never runs them ----------------------------


def assert_no_raw_controls(text: str) -> None:
    for character in RAW_CONTROLS:
        assert character not in text, f"raw {character!r} in {text!r}"


def test_ids_and_file_names_cannot_drive_the_terminal_or_forge_lines(runner, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    forged = f"evil{HOSTILE}\ntotal    9    9    9    9\u202e"
    record = {"id": forged, "text": "The Northern Pact has 4 members.", "published": "2024-06-01"}
    (folder / "wire.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (folder / f"empty{HOSTILE}\nskipped: forged.txt").write_text("")
    result = invoke(runner, "run", folder, "--reference", MINI, "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    assert_no_raw_controls(result.stdout + result.stderr)
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("total")] == [lines[4]]
    assert r"evil\x1b]0;title\x07\x1b[2J\ntotal" in result.stdout
    assert r"\u202e" in result.stdout
    skipped = error_lines(result.stderr)
    assert len(skipped) == 1 and skipped[0].startswith("skipped: ")
    assert r"empty\x1b]0;title\x07\x1b[2J\nskipped: forged.txt" in skipped[0]


def test_notes_and_claims_are_shown_escaped(runner, tmp_path):
    db = tmp_path / "fc.db"
    store_findings(db, [make_finding("f1", claim="120 bridges", article=f"a{HOSTILE}")])
    flagged = invoke(runner, "flag", "f1", "--status", "disputed", "--note", f"n{HOSTILE}\nf2  x",
                     "--by", f"ana{HOSTILE}", "--db", db)  # fmt: skip
    assert flagged.exit_code == 0, flagged.output
    listed = invoke(runner, "flags", "--db", db)
    assert listed.exit_code == 0, listed.output
    assert_no_raw_controls(listed.stdout)
    assert len(listed.stdout.splitlines()) == 2  # the decision and its note


def test_check_output_and_errors_are_shown_escaped(runner, tmp_path):
    checked = invoke(
        runner, "check", f"The Northern Pact has 3 members. {HOSTILE}\u009b2J",
        "--date", "2024-06-01", "--reference", MINI, "--json",
    )  # fmt: skip
    assert checked.exit_code == 1, checked.output
    assert_no_raw_controls(checked.stdout)
    assert all(json.loads(line) for line in checked.stdout.splitlines())
    missing = invoke(runner, "reference", "validate", tmp_path / f"ref{HOSTILE}")
    assert missing.exit_code == 2
    assert_no_raw_controls(missing.stderr)
    assert r"ref\x1b]0;title\x07\x1b[2J" in missing.stderr


# -- 6. spreadsheet cells ------------------------------------------------------------------

HIDDEN_FORMULAS = [" =1+1", "\n=1+1", "\u3000=1+1", "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20x",
                   " \t@x", "\u00a0+1"]  # fmt: skip


@pytest.mark.parametrize("value", HIDDEN_FORMULAS)
def test_formulas_behind_spaces_or_in_full_width_are_neutralized(value):
    assert neutralize_cell(value) == "'" + value
    assert restore_cell(neutralize_cell(value)) == value


@pytest.mark.parametrize("value", ["1-2", "plain", "'quoted", " plain", "\uff11"])
def test_harmless_cells_are_left_alone(value):
    assert neutralize_cell(value) == value


@given(st.text(alphabet=st.sampled_from(["'", " ", "\n", "=", "\uff1d", "\uff0d", "a", "1"])))
def test_restore_cell_still_inverts_neutralize_cell(value):
    assert restore_cell(neutralize_cell(value)) == value


def test_findings_csv_and_flags_export_neutralize_hidden_formulas(runner, tmp_path):
    db = tmp_path / "fc.db"
    store_findings(db, [make_finding("f1", claimed_value="\uff1dHYPERLINK(1)")])
    invoke(runner, "flag", "f1", "--status", "disputed", "--note", " =cmd|' /C calc'!A0",
           "--by", "\n@ana", "--db", db)  # fmt: skip
    invoke(runner, "report", "--db", db, "--out", tmp_path / "r")
    with (tmp_path / "r" / "findings.csv").open(encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row["claimed_value"] == "'\uff1dHYPERLINK(1)"
    assert row["flag_note"] == "' =cmd|' /C calc'!A0"
    exported = invoke(runner, "flags", "export", tmp_path / "d.csv", "--db", db)
    assert exported.exit_code == 0, exported.output
    with (tmp_path / "d.csv").open(encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert (row["flag_note"], row["flag_by"]) == ("' =cmd|' /C calc'!A0", "'\n@ana")


def test_a_reader_that_stops_early_is_not_an_internal_error(tmp_path):
    """`factcheck check ... | head -0`: the pipe is closed before anything is printed."""
    command = [
        sys.executable,
        "-m",
        "pipeline",
        "check",
        "The Northern Pact has 9 members. The Northern Pact was founded in 1901.",
        "--reference",
        str(MINI),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
    )
    process.stdout.close()  # before the model has loaded: every write meets a closed pipe
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 141, stderr.decode()
    assert b"internal error" not in stderr and b"Traceback" not in stderr


def test_what_a_killed_report_left_behind_is_removed_once_old(tmp_path):
    """A staging folder or temporary file from a killed process goes at the next write,
    once it is old enough that no running writer can own it; a fresh one stays."""
    from pipeline.report.files import STALE_SECONDS, atomic_write
    from pipeline.report.staging import STAGING_PREFIX, staged

    old_stage = tmp_path / f"{STAGING_PREFIX}dead"
    old_stage.mkdir()
    (old_stage / "report.html").write_text("half", encoding="utf-8")
    old_tmp = tmp_path / ".findings.csv.dead.tmp"
    old_tmp.write_text("half", encoding="utf-8")
    fresh = tmp_path / f"{STAGING_PREFIX}busy"
    fresh.mkdir()
    long_ago = time.time() - 2 * STALE_SECONDS
    for leftover in (old_stage, old_tmp):
        os.utime(leftover, (long_ago, long_ago))
    with staged(tmp_path, ["report.html"]) as staging, staging.open("report.html") as handle:
        handle.write("new")
    with atomic_write(tmp_path / "findings.csv") as handle:
        handle.write("new")
    assert not old_stage.exists() and not old_tmp.exists()
    assert fresh.exists()
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "new"
