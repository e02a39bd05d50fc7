"""The store: incremental runs, decisions that survive, and nothing lost on a kill."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from pipeline.errors import UsageError
from pipeline.evaluate import read_findings
from pipeline.runner import run
from pipeline.store import SCHEMA_VERSION, Store, StoreError

MINI = Path(__file__).parent / "data" / "mini_reference"
DAY = date(2024, 6, 1)

ARTICLES = {
    "summit.txt": "Published: June 1, 2024\n\nThe Northern Pact has 3 members, its chair said.\n",
    "pm.txt": "Published: June 1, 2024\n\nPrime Minister Rudolf Rassendyll opened the session.\n",
    "founding.md": "---\ndate: 2024-06-01\n---\nThe Northern Pact was founded in 1991.\n",
}


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    folder = tmp_path / "reference"
    shutil.copytree(MINI, folder)
    return folder


def check(sources: Path, reference: Path, db: Path, out: Path, **options):
    return run([sources], reference_dir=reference, out_dir=out, default_date=DAY, db=db, **options)


def parsed_in(db: Path, run_id: int) -> int:
    with Store.open(db) as store:
        return store.run(run_id).parsed


def test_the_store_is_created_in_wal_mode_with_a_schema_version(tmp_path):
    db = tmp_path / "fc.db"
    with Store.open(db):
        pass
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    version = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'")
    assert int(version.fetchone()[0]) == SCHEMA_VERSION
    connection.close()


def test_a_store_from_a_newer_version_is_refused(tmp_path):
    db = tmp_path / "fc.db"
    with Store.open(db):
        pass
    connection = sqlite3.connect(db)
    connection.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    connection.commit()
    connection.close()
    with (
        pytest.raises(StoreError, match="schema version 99, newer than this factcheck"),
        Store.open(db),
    ):
        pass


def test_a_file_that_is_not_a_store_is_a_clear_error(tmp_path):
    db = tmp_path / "fc.db"
    db.write_text("not a database at all" * 100)
    with pytest.raises(StoreError, match="is it a factcheck store"), Store.open(db):
        pass


def test_a_second_run_over_unchanged_sources_parses_nothing(sources, reference, tmp_path):
    db = tmp_path / "fc.db"
    first = check(sources, reference, db, tmp_path / "r1")
    second = check(sources, reference, db, tmp_path / "r2")
    assert (first.new, first.parsed) == (3, 3)
    assert (second.unchanged, second.parsed, second.new, second.changed) == (3, 0, 0, 0)
    assert parsed_in(db, second.run_id) == 0
    assert read_findings(tmp_path / "r1" / "findings.csv") == read_findings(
        tmp_path / "r2" / "findings.csv"
    )


def test_only_the_edited_article_is_parsed_again(sources, reference, tmp_path):
    db = tmp_path / "fc.db"
    check(sources, reference, db, tmp_path / "r1")
    (sources / "summit.txt").write_text(
        ARTICLES["summit.txt"] + "The Northern Pact has 4 members now.\n", encoding="utf-8"
    )
    second = check(sources, reference, db, tmp_path / "r2")
    assert (second.changed, second.unchanged, second.parsed) == (1, 2, 1)
    assert parsed_in(db, second.run_id) == 1


def test_a_changed_reference_rechecks_without_parsing(sources, reference, tmp_path):
    db = tmp_path / "fc.db"
    first = check(sources, reference, db, tmp_path / "r1")
    assert first.verdicts["outdated"] >= 1
    facts = reference / "facts.csv"  # Northern Pact: 3 members again, after 2005
    facts.write_text(
        facts.read_text().replace(
            "np-count-2005,Northern Pact,member_count,4",
            "np-count-2005,Northern Pact,member_count,3",
        )
    )
    second = check(sources, reference, db, tmp_path / "r2")
    assert (second.rechecked, second.parsed) == (3, 0)
    rows = read_findings(tmp_path / "r2" / "findings.csv")
    count = next(row for row in rows if row["claim"] == "3 members")
    assert count["verdict"] == "supported"


def test_all_parses_every_article_again(sources, reference, tmp_path):
    db = tmp_path / "fc.db"
    check(sources, reference, db, tmp_path / "r1")
    again = check(sources, reference, db, tmp_path / "r2", full=True)
    assert (again.rechecked, again.parsed) == (3, 3)


def test_decisions_survive_reruns_reference_changes_and_edits(sources, reference, tmp_path):
    db = tmp_path / "fc.db"
    check(sources, reference, db, tmp_path / "r1")
    rows = read_findings(tmp_path / "r1" / "findings.csv")
    target = next(row for row in rows if row["claim"] == "3 members")
    with Store.open(db) as store:
        store.decide([(target["finding_id"], "dismissed", "the chair misspoke", "ana")])
    facts = reference / "facts.csv"
    facts.write_text(
        facts.read_text().replace("https://example.org/np/history", "https://example.org/np")
    )
    (sources / "pm.txt").write_text(ARTICLES["pm.txt"] + "More words.\n", encoding="utf-8")
    result = check(sources, reference, db, tmp_path / "r2")
    rows = read_findings(tmp_path / "r2" / "findings.csv")
    again = next(row for row in rows if row["finding_id"] == target["finding_id"])
    assert (again["flag_status"], again["flag_note"], again["flag_by"]) == (
        "dismissed",
        "the chair misspoke",
        "ana",
    )
    assert result.dismissed == 1


def test_decisions_are_kept_as_history_and_the_latest_counts(sources, reference, tmp_path):
    db = tmp_path / "fc.db"
    check(sources, reference, db, tmp_path / "r1")
    finding_id = read_findings(tmp_path / "r1" / "findings.csv")[0]["finding_id"]
    with Store.open(db) as store:
        store.decide([(finding_id, "disputed", "source is old", "ana")])
        store.decide([(finding_id, "confirmed", "checked again", "bo")])
        assert [d.status for d in store.history(finding_id)] == ["disputed", "confirmed"]
        assert store.decisions()[finding_id].by == "bo"


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        (("nope", "confirmed", "", ""), "no finding 'nope'"),
        (("{id}", "maybe", "", ""), "'maybe' is not a decision"),
    ],
)
def test_a_bad_decision_records_nothing(sources, reference, tmp_path, decision, message):
    db = tmp_path / "fc.db"
    check(sources, reference, db, tmp_path / "r1")
    finding_id = read_findings(tmp_path / "r1" / "findings.csv")[0]["finding_id"]
    good = (finding_id, "confirmed", "", "")
    bad = tuple(part.format(id=finding_id) for part in decision)
    with Store.open(db) as store:
        with pytest.raises(UsageError, match=message):
            store.decide([good, bad])
        assert store.decisions() == {}


def test_a_killed_run_loses_nothing_it_committed(tmp_path, reference):
    """SIGKILL a run halfway; the next run parses only what is left, and ends with exactly
    the findings of a clean run."""
    sources = tmp_path / "many"
    sources.mkdir()
    for n in range(40):
        (sources / f"a{n:02}.txt").write_text(
            f"Published: June 1, 2024\n\nThe Northern Pact had {n % 5 + 2} members in 2001. "
            f"Prime Minister Rudolf Rassendyll spoke on day {n}.\n",
            encoding="utf-8",
        )
    db = tmp_path / "fc.db"
    command = [
        sys.executable, "-m", "pipeline", "run", str(sources), "--reference", str(reference),
        "--out", str(tmp_path / "killed"), "--db", str(db), "--default-date", "2024-06-01",
        "--exit-zero",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        if db.exists():
            try:
                connection = sqlite3.connect(db, timeout=5)
                stored = connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
                connection.close()
            except sqlite3.OperationalError:
                stored = 0
        if stored >= 10:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with Store.open(db) as store:
        kept = len(store.runs()) and sum(1 for _ in store.db.execute("SELECT id FROM articles"))
        assert store.runs()[0].status == "running"
    assert 10 <= kept < 40

    resumed = check(sources, reference, db, tmp_path / "resumed")
    assert resumed.parsed == 40 - kept
    assert resumed.unchanged == kept
    with Store.open(db) as store:
        assert store.runs()[1].status == "aborted"

    check(sources, reference, tmp_path / "clean.db", tmp_path / "clean")
    resumed_rows = read_findings(tmp_path / "resumed" / "findings.csv")
    clean_rows = read_findings(tmp_path / "clean" / "findings.csv")
    assert len(resumed_rows) == len(clean_rows) == len({r["finding_id"] for r in resumed_rows})
    assert [r["finding_id"] for r in resumed_rows] == [r["finding_id"] for r in clean_rows]
    assert [r["verdict"] for r in resumed_rows] == [r["verdict"] for r in clean_rows]


def test_a_second_run_on_a_busy_store_stops_with_a_clear_message(tmp_path):
    db = tmp_path / "fc.db"
    with (
        Store.open(db) as first,
        first.run_lock(),
        Store.open(db) as second,
        pytest.raises(StoreError, match="another factcheck run"),
        second.run_lock(wait=0.3),
    ):
        pass


def test_a_second_run_can_wait_for_the_first(tmp_path):
    db = tmp_path / "fc.db"
    holder = subprocess.Popen(
        [
            sys.executable, "-c",
            "import sys, time\n"
            "from pipeline.store import Store\n"
            "with Store.open(sys.argv[1]) as s, s.run_lock():\n"
            "    print('locked', flush=True); time.sleep(1.5)\n",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    with Store.open(db) as store, store.run_lock(wait=30):
        waited = time.monotonic() - started
    holder.communicate()
    assert waited > 0.5


def test_decisions_can_be_recorded_while_a_run_writes(sources, reference, tmp_path):
    db = tmp_path / "fc.db"
    check(sources, reference, db, tmp_path / "r1")
    finding_id = read_findings(tmp_path / "r1" / "findings.csv")[0]["finding_id"]
    with Store.open(db) as runner_side, runner_side.run_lock():
        runner_side.db.execute("BEGIN IMMEDIATE")  # a run in the middle of a write
        recorder = subprocess.Popen(
            [
                sys.executable, "-m", "pipeline", "flag", finding_id,
                "--status", "confirmed", "--by", "ana", "--db", str(db),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        time.sleep(0.5)
        runner_side.db.execute("COMMIT")  # the short transaction ends; the flag goes through
        out, err = recorder.communicate(timeout=60)
    assert recorder.returncode == 0, err
    assert "1 finding(s) marked confirmed." in out
    with Store.open(db) as store:
        assert store.decisions()[finding_id].status == "confirmed"
