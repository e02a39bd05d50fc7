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
    with pytest.raises(StoreError, match="not a factcheck store"), Store.open(db):
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


def test_a_reference_change_rechecks_like_a_clean_run(sources, reference, tmp_path):
    """New facts, aliases and cues reach unchanged articles: they are read again from
    their stored parse, not parsed."""
    db = tmp_path / "fc.db"
    (sources / "sylvania.txt").write_text(
        "Published: June 1, 2024\n\nSylvanian Prime Minister Jan Novak opened the session.\n",
        encoding="utf-8",
    )
    check(sources, reference, db, tmp_path / "r1")
    with (reference / "facts.csv").open("a", encoding="utf-8") as facts:
        facts.write(
            "sy-pm,Sylvania,prime_minister,Petra Horak,2020-01-01,,https://example.org/sy,\n"
        )
    again = check(sources, reference, db, tmp_path / "r2")
    assert (again.rechecked, again.parsed) == (4, 0)
    clean = check(sources, reference, tmp_path / "clean.db", tmp_path / "clean")
    assert clean.parsed == 4
    rows = read_findings(tmp_path / "r2" / "findings.csv")
    assert rows == read_findings(tmp_path / "clean" / "findings.csv")
    assert {r["claim"]: r["verdict"] for r in rows}["Prime Minister Jan Novak"] == "contradicted"


def test_an_undated_article_judged_at_another_date_is_rechecked_not_parsed(tmp_path, reference):
    folder = tmp_path / "undated"
    folder.mkdir()
    (folder / "a.txt").write_text("The Northern Pact has 3 members.\n", encoding="utf-8")
    db = tmp_path / "fc.db"
    run(
        [folder],
        reference_dir=reference,
        out_dir=tmp_path / "a",
        default_date=date(2001, 6, 1),
        db=db,
    )
    later = run([folder], reference_dir=reference, out_dir=tmp_path / "b", default_date=DAY, db=db)
    assert (later.rechecked, later.parsed) == (1, 0)
    assert read_findings(tmp_path / "b" / "findings.csv")[0]["verdict"] == "outdated"


def test_two_articles_with_one_id_are_reported_not_merged(tmp_path, reference):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "wire.jsonl").write_text(
        '{"id": "x", "text": "The Northern Pact has 4 members.", "published": "2024-06-01"}\n'
        '{"id": "x", "text": "The Northern Pact has 3 members.", "published": "2024-06-01"}\n',
        encoding="utf-8",
    )
    db = tmp_path / "fc.db"
    first = run([folder], reference_dir=reference, out_dir=tmp_path / "a", default_date=DAY, db=db)
    assert first.new == 1
    (skipped,) = first.skipped
    assert "duplicate article id 'x'" in skipped.reason
    second = run([folder], reference_dir=reference, out_dir=tmp_path / "b", default_date=DAY, db=db)
    assert (second.unchanged, second.changed) == (1, 0)


def test_a_new_url_reaches_the_findings_of_an_unchanged_article(tmp_path, reference):
    folder = tmp_path / "batch"
    folder.mkdir()
    record = (
        '{{"id": "x", "text": "The Northern Pact has 3 members.", '
        '"published": "2024-06-01", "url": "{url}"}}\n'
    )
    (folder / "wire.jsonl").write_text(
        record.format(url="https://example.org/old"), encoding="utf-8"
    )
    db = tmp_path / "fc.db"
    run([folder], reference_dir=reference, out_dir=tmp_path / "a", default_date=DAY, db=db)
    (folder / "wire.jsonl").write_text(
        record.format(url="https://example.org/new"), encoding="utf-8"
    )
    run([folder], reference_dir=reference, out_dir=tmp_path / "b", default_date=DAY, db=db)
    assert read_findings(tmp_path / "b" / "findings.csv")[0]["url"] == "https://example.org/new"


def test_reading_commands_do_not_create_a_store(tmp_path):
    with (
        pytest.raises(StoreError, match="no store here yet"),
        Store.open(tmp_path / "nope.db", create=False),
    ):
        pass
    assert not (tmp_path / "nope.db").exists()


def test_an_sqlite_file_of_another_program_is_refused(tmp_path):
    db = tmp_path / "other.db"
    connection = sqlite3.connect(db)
    connection.execute("CREATE TABLE songs (title TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="an SQLite database of another program"), Store.open(db):
        pass


def test_many_processes_can_create_one_store_at_once(tmp_path):
    db = tmp_path / "fresh.db"
    code = "import sys\nfrom pipeline.store import Store\nwith Store.open(sys.argv[1]): pass\n"
    processes = [
        subprocess.Popen([sys.executable, "-c", code, str(db)], stderr=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    errors = [p.communicate(timeout=60)[1] for p in processes]
    assert [p.returncode for p in processes] == [0] * 6, errors


def test_a_store_of_an_earlier_schema_is_migrated_forward(tmp_path):
    from pipeline.store import MIGRATIONS

    db = tmp_path / "old.db"
    connection = sqlite3.connect(db)
    connection.executescript(MIGRATIONS[1])
    connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    connection.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    connection.execute(
        "INSERT INTO articles (id, content_hash, first_seen, last_checked) "
        "VALUES ('a', 'h', 'x', 'x')"
    )
    connection.commit()
    connection.close()
    with Store.open(db) as store:
        assert store.article("a").text_hash == ""  # kept, and read again on the next run
        assert store.cached_parse("h", model="m") is None
        version = store.db.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        assert int(version.fetchone()[0]) == SCHEMA_VERSION == 4


def test_the_findings_of_every_run_are_kept(sources, reference, tmp_path):
    db = tmp_path / "fc.db"
    first = check(sources, reference, db, tmp_path / "r1")
    (sources / "summit.txt").write_text(
        ARTICLES["summit.txt"] + "The Northern Pact has 4 members now.\n", encoding="utf-8"
    )
    second = check(sources, reference, db, tmp_path / "r2")
    with Store.open(db) as store:
        per_run = dict(
            store.db.execute("SELECT run_id, COUNT(*) FROM findings GROUP BY run_id").fetchall()
        )
        current = store.findings()
    assert set(per_run) == {first.run_id, second.run_id}
    assert per_run[second.run_id] == 2  # the edited article's findings, made again
    assert len(current) == len(read_findings(tmp_path / "r2" / "findings.csv"))


def test_the_claims_of_each_text_are_kept_with_the_tools_that_made_them(
    sources, reference, tmp_path
):
    from pipeline.extract import EXTRACTOR_VERSION

    db = tmp_path / "fc.db"
    check(sources, reference, db, tmp_path / "r1")
    with Store.open(db) as store:
        (model,) = [row[0] for row in store.db.execute("SELECT DISTINCT model FROM claims")]
        key = store.db.execute(
            "SELECT content_hash FROM articles WHERE id = 'summit.txt'"
        ).fetchone()[0]
        claims = store.cached_claims(key, model=model, extractor=EXTRACTOR_VERSION)
    assert claims is not None and [c.text for c in claims if c.kind == "value"] == ["3 members"]
