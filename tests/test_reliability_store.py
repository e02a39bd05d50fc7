"""The store under stress: all-or-nothing imports of damaged spreadsheets, other programs'
SQLite files, runs killed with their workers, damaged stores and very long cells. Real
SQLite files, real processes and real signals throughout."""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import make_finding
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import cli
from pipeline.decisions import export_decisions
from pipeline.models import Article, Finding
from pipeline.report.files import restore_cell
from pipeline.runner import run
from pipeline.store import Store, StoreError

MINI = Path(__file__).parent / "data" / "mini_reference"
DAY = date(2024, 6, 1)
LINUX = sys.platform.startswith("linux")
APPLICATION_ID = 0x4643686B  # "FChk"

NOTES = [
    "the Freedonian ministry confirmed it",
    'quoted "twice", with a comma',
    "two lines:\nthe Ruritanian census\nand the Northern Pact's charter",
    "=a formula-looking note",
    "",
    "a plain note",
]


# -- helpers ------------------------------------------------------------------------------


def findings(count: int, *, sentence: str = "") -> list[Finding]:
    """Hand-made findings about fictional places, one article each two."""
    made = []
    for n in range(count):
        text = sentence or f"Freedonia has {120 + n} bridges, the Ruritanian survey said."
        made.append(
            make_finding(
                f"{n + 1:016x}",
                article=f"freedonia-{n // 2}",
                sentence=text,
                claim=f"{120 + n} bridges" if not sentence else text[-20:],
                entity="Freedonia",
            )
        )
    return made


def make_store(db: Path, items: list[Finding]) -> None:
    """A real store holding `items` as the findings of one run."""
    with Store.open(db) as store:
        run_id = store.start_run(reference_digest="ref", model="m", sources=[])
        articles: dict[str, list[Finding]] = {}
        for item in items:
            articles.setdefault(item.article, []).append(item)
        for article_id, found in articles.items():
            article = Article(id=article_id, text=found[0].sentence, published=DAY)
            store.save_checked(
                article,
                key=article_id,
                run_id=run_id,
                reference_digest="ref",
                findings=found,
                claims=[],
            )
        store.finish_run(run_id, {})


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def flags_of(db: Path) -> list[tuple]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute("SELECT * FROM flags ORDER BY id").fetchall()
    finally:
        connection.close()


def snapshot(db: Path) -> tuple[str, list[str]]:
    """The file's hash and the files named after it (-wal, -shm, -journal, .lock)."""
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    return digest, sorted(path.name for path in db.parent.glob(db.name + "*"))


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, list[str]]:
    db = tmp_path / "fc.db"
    items = findings(4)
    make_store(db, items)
    return db, [item.finding_id for item in items]


# -- 1. flags import is all or nothing -------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '{0},confirmed,ok\n{1},disputed,"never closed\n{2},dismissed,x\n{3},confirmed,y\n',
            "d.csv:3:27: this quote is never closed, so the rest of the file would be one "
            "cell; close it (a quote inside a quoted cell is written twice); nothing was "
            "applied",
        ),
        (
            '{0},confirmed,ok\n{1},disputed,"closed"then more\n',
            "d.csv:3:35: text after the closing quote of a cell; quote the whole cell and "
            "write each quote inside it twice; nothing was applied",
        ),
        (
            "{0},confirmed,ok\n{1},disputed,a note, with a comma\n",
            "d.csv:3:4: the row has 4 cells but the header 3; quote cells that contain "
            "commas; nothing was applied",
        ),
    ],
    ids=["unterminated quote", "text after a closing quote", "unquoted comma"],
)
def test_a_malformed_decisions_file_applies_nothing(store, tmp_path, monkeypatch, body, message):
    db, ids = store
    path = tmp_path / "d.csv"
    path.write_text("finding_id,flag_status,flag_note\n" + body.format(*ids), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the message names the file as given
    result = invoke("flags", "import", "d.csv", "--db", db)
    assert result.exit_code == 2
    assert one_line(result.stderr) == f"factcheck: error: {message}"
    assert flags_of(db) == []


def test_a_decisions_file_that_is_not_utf_8_names_the_line_and_column(store, tmp_path):
    db, ids = store
    path = tmp_path / "d.csv"
    path.write_bytes(f"finding_id,flag_status\n{ids[0]},confirmed\n{ids[1]},dis".encode() + b"\xff")
    result = invoke("flags", "import", path, "--db", db)
    assert result.exit_code == 2
    assert one_line(result.stderr) == (
        f"factcheck: error: {path}:3:21: not UTF-8 text; save it as CSV UTF-8; nothing was applied"
    )
    assert flags_of(db) == []


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """An undecided store, and a decisions export of the same findings made elsewhere."""
    folder = tmp_path_factory.mktemp("fuzz")
    items = findings(6)
    make_store(folder / "undecided.db", items)
    make_store(folder / "decided.db", items)
    with Store.open(folder / "decided.db") as decided:
        for item, note, status in zip(
            items, NOTES, ["confirmed", "disputed", "dismissed"] * 2, strict=True
        ):
            decided.decide([(item.finding_id, status, note, "ana")])
        export_decisions(decided, folder / "decisions.csv")
    return folder / "undecided.db", (folder / "decisions.csv").read_bytes()


FRAGMENTS = [b'"', b",", b"\n", b"\r", b'""', b"x", b"\x00", b"\xff", b" ", b"'", b"\r\n"]
FRAGMENTS += [b"confirmed", b"perhaps", b"open", b'"\n', b"0000000000000001"]
MUTATION = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "truncate"]),
    st.integers(min_value=0, max_value=10_000),
    st.sampled_from(FRAGMENTS),
)


def mutate(data: bytes, mutations: list[tuple[str, int, bytes]]) -> bytes:
    for kind, position, fragment in mutations:
        at = position % (len(data) + 1)
        if kind == "insert":
            data = data[:at] + fragment + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + len(fragment) :]
        elif kind == "replace":
            data = data[:at] + fragment + data[at + len(fragment) :]
        else:
            data = data[:at]
    return data


def strict_reading(data: bytes) -> dict[str, tuple[str, str]] | None:
    """The decisions a file holds, read by the csv module in strict mode; None when it is
    not well-formed (the import must then apply nothing)."""
    try:
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
        records = [r for r in csv.reader(io.StringIO(text, newline=""), strict=True) if r]
    except (UnicodeDecodeError, csv.Error):
        return None
    if not records:
        return None
    header = [name.strip() for name in records[0]]
    wanted: dict[str, tuple[str, str]] = {}
    for record in records[1:]:
        cells = {name: restore_cell(value) for name, value in zip(header, record, strict=False)}
        finding_id = cells.get("finding_id", "").strip()
        status = cells.get("flag_status", "").strip().lower()
        decision = (status, cells.get("flag_note", ""))
        if finding_id and status and decision != ("open", ""):
            wanted[finding_id] = decision
    return wanted


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_a_mutated_export_is_applied_whole_or_not_at_all(exported, mutations):
    """Import random mutations of a valid export into a store without decisions: either the
    import succeeds and the decisions are exactly those of a strict reading of the file, or
    it fails with one line and the decisions table is as before."""
    undecided, original = exported
    data = mutate(original, mutations)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "fc.db"
        shutil.copyfile(undecided, db)
        path = Path(folder) / "decisions.csv"
        path.write_bytes(data)
        result = invoke("flags", "import", path, "--db", db)
        after = flags_of(db)
    if result.exit_code == 2:
        assert "nothing was applied" in one_line(result.stderr)
        assert after == []
        return
    assert result.exit_code == 0, result.output
    wanted = strict_reading(data)
    assert wanted is not None, "a file that is not well-formed CSV was imported"
    latest = {row[1]: (row[2], row[3]) for row in after}  # rows are in id order
    assert latest == wanted
    assert len({row[5] for row in after}) <= 1  # one transaction, one time stamp


# -- 2. SQLite files of other programs ----------------------------------------------------------


def foreign_file(path: Path, *, meta: bool, wal: bool = False) -> Path:
    connection = sqlite3.connect(path)
    if wal:
        connection.execute("PRAGMA journal_mode = WAL")
    if meta:
        connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        connection.execute("INSERT INTO meta VALUES ('owner', 'Freedonia song archive')")
    connection.execute("CREATE TABLE songs (title TEXT, country TEXT)")
    connection.execute("INSERT INTO songs VALUES ('Hymn of the Northern Pact', 'Ruritania')")
    connection.commit()
    connection.close()
    return path


COMMANDS = {
    "flag": ["flag", "0000000000000001", "--status", "confirmed", "--db", "{db}"],
    "flags": ["flags", "--db", "{db}"],
    "flags import": ["flags", "import", "{csv}", "--db", "{db}"],
    "flags export": ["flags", "export", "{out}/d.csv", "--db", "{db}"],
    "report": ["report", "--out", "{out}", "--db", "{db}"],
    "run": ["run", "{sources}", "--reference", str(MINI), "--out", "{out}", "--db", "{db}"],
}


def command(name: str, db: Path, tmp_path: Path) -> list[str]:
    decisions = tmp_path / "in.csv"
    decisions.write_text("finding_id,flag_status\n0000000000000001,confirmed\n")
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    (sources / "a.txt").write_text("Published: June 1, 2024\n\nThe Northern Pact has 3 members.\n")
    out = tmp_path / "out"
    values = {"db": db, "csv": decisions, "out": out, "sources": sources}
    return [part.format(**values) for part in COMMANDS[name]]


@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.parametrize("meta", [True, False], ids=["with meta", "without meta"])
def test_an_sqlite_file_of_another_program_is_refused_and_left_as_it_was(tmp_path, name, meta):
    folder = tmp_path / "theirs"
    folder.mkdir()
    db = foreign_file(folder / "songs.db", meta=meta)
    before = snapshot(db)
    result = invoke(*command(name, db, tmp_path))
    assert snapshot(db) == before  # the same bytes, and no -wal, -shm or -journal left
    assert result.exit_code == 2, result.output
    assert one_line(result.stderr) == (
        f"factcheck: error: {db}: an SQLite database of another program, not a factcheck "
        "store; left as it is; use another --db"
    )


def test_a_wal_mode_database_of_another_program_gets_no_wal_or_shm_files(tmp_path):
    db = foreign_file(tmp_path / "songs.db", meta=True, wal=True)
    before = snapshot(db)
    with pytest.raises(StoreError, match="another program"), Store.open(db):
        pass
    assert snapshot(db) == before


def application_id(db: Path) -> int:
    connection = sqlite3.connect(db)
    try:
        return connection.execute("PRAGMA application_id").fetchone()[0]
    finally:
        connection.close()


def test_new_and_empty_files_become_stores_with_the_application_id(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    for db in (tmp_path / "new.db", empty):
        with Store.open(db):
            pass
        assert application_id(db) == APPLICATION_ID == 0x4643686B


def test_a_store_of_an_earlier_version_opens_and_is_stamped(store):
    db, ids = store
    with Store.open(db) as opened:
        opened.decide([(ids[0], "confirmed", "checked in Strel", "ana")])
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA application_id = 0")  # as factcheck made stores before
    connection.close()
    assert application_id(db) == 0
    result = invoke("flags", "--db", db)
    assert result.exit_code == 0, result.output
    assert ids[0] in result.stdout and "checked in Strel" in result.stdout
    assert application_id(db) == APPLICATION_ID


# -- 3. workers die with their run; a lock left by a dead run is taken over ----------------------


def proc_fields(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (state, ppid, ...)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rfind(")") + 2 :].split()


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if int(proc_fields(int(entry.name))[1]) == pid:
                    found.add(int(entry.name))
    return found


def gone(pid: int) -> bool:
    """Whether process `pid` has ended (a zombie waiting to be reaped has)."""
    try:
        return proc_fields(pid)[0] == "Z"
    except OSError:
        return True


def wait_gone(pids: set[int], seconds: float) -> set[int]:
    """The processes among `pids` still running after up to `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not all(gone(pid) for pid in pids):
        time.sleep(0.05)
    return {pid for pid in pids if not gone(pid)}


@contextlib.contextmanager
def cleanup(started: subprocess.Popen, pids: set[int]) -> Iterator[None]:
    """Kill what a test started (the process, and `pids` it started), should it fail with
    processes left."""
    try:
        yield
    finally:
        if started.poll() is None:
            started.kill()
        started.wait(timeout=10)
        for pid in pids:
            if not gone(pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)


def small_sources(folder: Path, count: int) -> Path:
    folder.mkdir()
    for n in range(count):
        (folder / f"{folder.name}-{n:03}.txt").write_text(
            f"Published: June 1, 2024\n\nThe Northern Pact had {n % 5 + 2} members in 2001. "
            f"Prime Minister Rudolf Rassendyll of Ruritania spoke on day {n}.\n",
            encoding="utf-8",
        )
    return folder


@pytest.mark.skipif(not LINUX, reason="finds worker processes in /proc")
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_workers_die_with_a_killed_run_and_the_next_run_goes_ahead(tmp_path, signum):
    sources = small_sources(tmp_path / "many", 80)
    db = tmp_path / "fc.db"
    command = [
        sys.executable, "-m", "pipeline", "run", str(sources), "--reference", str(MINI),
        "--out", str(tmp_path / "killed"), "--db", str(db), "--default-date", "2024-06-01",
        "--workers", "2", "--exit-zero",
    ]  # fmt: skip
    parent = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    with cleanup(parent, workers):
        deadline = time.monotonic() + 60
        while len(workers) < 2 and parent.poll() is None and time.monotonic() < deadline:
            workers |= children(parent.pid)
            time.sleep(0.02)
        assert len(workers) == 2 and parent.poll() is None, "the workers did not start"
        time.sleep(0.3)  # let them take articles
        os.kill(parent.pid, signum)
        parent.wait(timeout=10)
        assert wait_gone(workers, 5) == set(), "workers outlived their run"
        again = run(
            [small_sources(tmp_path / "one", 1)],
            reference_dir=MINI,
            out_dir=tmp_path / "again",
            default_date=DAY,
            db=db,
        )
        assert again.new == 1
        with Store.open(db) as opened:
            assert [r.status for r in opened.runs()] == ["finished", "aborted"]


@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_the_watchdog_ends_a_worker_whose_parent_is_gone():
    code = (
        "import os, time\n"
        "from pipeline.workers import watch_parent\n"
        "parent = os.getpid()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    watch_parent(parent, every=0.05)\n"
        "    time.sleep(30)\n"
        "    os._exit(0)\n"
        "print(child, flush=True)\n"
        "time.sleep(30)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    line = parent.stdout.readline().strip()
    parent.stdout.close()
    child = {int(line)} if line.isdigit() else set()
    with cleanup(parent, child):
        assert child, "the test process did not start"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        assert wait_gone(child, 3) == set()


HOLDER = """
import os, subprocess, sys, time
from pipeline.store import Store

db = sys.argv[1]
lock = os.path.realpath(db + ".lock")
with Store.open(db) as store, store.run_lock():
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{name}") == lock:
                fd = int(name)
        except OSError:
            pass
    # what a run's worker of an earlier factcheck did: keep the lock's descriptor
    left = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], pass_fds=(fd,))
    print(left.pid, flush=True)
    time.sleep(60)
"""


@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_a_lock_left_to_the_processes_of_a_dead_run_is_taken_over(tmp_path, caplog):
    db = tmp_path / "fc.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    line = holder.stdout.readline().strip()
    holder.stdout.close()
    left = {int(line)} if line.isdigit() else set()
    with cleanup(holder, left):
        assert left, "the holder did not start"
        recorded = Path(f"{db}.lock").read_text()
        started_at = proc_fields(holder.pid)[19]  # start time, field 22 of proc(5)
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        assert not gone(next(iter(left)))  # it still holds the lock
        with (
            caplog.at_level(logging.WARNING, logger="pipeline.runlock"),
            Store.open(db) as store,
            store.run_lock(),
        ):
            assert Path(f"{db}.lock").read_text().split()[0] == str(os.getpid())
            with (
                Store.open(db) as other,
                pytest.raises(StoreError, match="another factcheck run"),
                other.run_lock(),
            ):
                pass
        assert recorded.split() == [str(holder.pid), started_at]
        (note,) = caplog.messages
        assert f"the run that held it (pid {holder.pid}) is gone" in note
        assert note.endswith("taking the lock over")


# -- 4. damaged stores --------------------------------------------------------------------------


def damage(db: Path, where: str, finding_id: str) -> None:
    """Overwrite bytes of a store file: a table's page, the schema page, or a finding's JSON."""
    connection = sqlite3.connect(db)
    root, size = (
        connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'findings'").fetchone()[
            0
        ],
        connection.execute("PRAGMA page_size").fetchone()[0],
    )
    if where == "a table page of a store of an earlier version":
        connection.execute("PRAGMA application_id = 0")  # opening it would stamp it
    connection.close()
    data = bytearray(db.read_bytes())
    if where.startswith("a table page"):
        data[(root - 1) * size : (root - 1) * size + 64] = b"\xff" * 64
    elif where == "the schema page":
        data[100:140] = b"\x07" * 40
    else:
        marker = f'{{"finding_id": "{finding_id}"'.encode()
        assert marker in data
        data = bytearray(bytes(data).replace(marker, b"~" + marker[1:]))
    db.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "where",
    [
        "a table page",
        "a table page of a store of an earlier version",
        "the schema page",
        "a finding's JSON",
    ],
)
def test_a_damaged_store_is_one_line_and_nothing_is_written(store, tmp_path, where):
    db, ids = store
    damage(db, where, ids[1])
    before = snapshot(db)
    for args in (
        ["flags", "--db", db],
        ["report", "--out", tmp_path / "out", "--db", db],
        ["flag", ids[1], "--status", "confirmed", "--by", "ana", "--db", db],
        ["flags", "import", tmp_path / "d.csv", "--db", db],
    ):
        (tmp_path / "d.csv").write_text(f"finding_id,flag_status\n{ids[1]},dismissed\n")
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        line = one_line(result.stderr)
        assert line.startswith(f"factcheck: error: {db}: the store is damaged ("), line
        assert line.endswith(
            "factcheck will not write to it: restore it from a backup, or use another --db"
        )
        assert snapshot(db) == before


# -- 5. our own findings.csv, with a cell over csv's default limit ------------------------------


def test_a_findings_csv_with_a_300_kb_cell_can_be_imported_back(tmp_path):
    db = tmp_path / "fc.db"
    sentence = "In Strel, the Ruritanian council read the report aloud. " * 5400
    (long,) = findings(1, sentence=sentence + "Freedonia has 120 bridges.")
    make_store(db, [long])
    assert invoke("report", "--out", tmp_path / "r", "--db", db).exit_code == 0
    findings_csv = tmp_path / "r" / "findings.csv"
    text = findings_csv.read_text(encoding="utf-8")
    assert len(sentence) > 300_000 and sentence in text
    header, row = text.split("\n", 1)
    edited = tmp_path / "edited.csv"
    status = header.split(",").index("flag_status")
    limit = csv.field_size_limit(1_000_000)
    try:
        cells = next(csv.reader(io.StringIO(row)))
    finally:
        csv.field_size_limit(limit)
    cells[status] = "confirmed"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        handle.write(header + "\n")
        csv.writer(handle).writerow(cells)
    imported = subprocess.run(  # a fresh process: csv's limit as it is by default
        [sys.executable, "-m", "pipeline", "flags", "import", str(edited), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "1 decision(s) applied, 0 unchanged."
    with Store.open(db) as opened:
        assert opened.decisions()[long.finding_id].status == "confirmed"
