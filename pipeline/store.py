"""The store: a SQLite database that remembers articles, their claims, findings, runs and
the editors' decisions, so that a batch run parses only what is new and nothing is lost.

SQLite lives here. The database runs in WAL mode with `synchronous=FULL` and a busy
timeout, so that `factcheck flag` works while a run is going; every write is a short
transaction, so a run killed at any point keeps all it committed. The schema has a version
and forward migrations (`MIGRATIONS`).

Tables:
- `articles`: id, content hash, source, title, url, author, publisher, published, first
  seen, last checked, the run and reference digest that last checked it;
- `parses`: the parsed text of each article (spaCy DocBin), by text hash and model, so a
  changed reference, date or extractor re-reads an article without parsing it;
- `claims`: the claims extracted from a content hash by a model and extractor version;
- `findings`: the findings each run made, by run, with their entity and attribute as
  columns to filter on; an article's current findings are those of the run that last read
  it (`articles.findings_run`);
- `runs`: start, end, status, reference digest, counts of new, changed, unchanged,
  re-checked, parsed and failed articles, and findings per verdict;
- `flags`: every decision editors made (who, when, what, note); the latest one counts;
- `finding_words`: the words of each finding (its sentence, explanation, title, ids and
  values, lower-case) by its row, which `factcheck serve` searches;
- `texts`: each article's text, by text hash, as a run last read it, so that `factcheck
  serve` shows the claims in place (a store made before schema 3 learns an article's text
  when a run next reads or sees it).

Identity: every store carries SQLite's `PRAGMA application_id` 0x4643686B (1178822763,
"FChk" in ASCII), which only factcheck writes. An existing file is read without writing
(its header, then SQLite read-only) before anything else: another program's database is
refused and left byte for byte as it was; a new or empty file becomes a store; a store made
before the id existed (the tables of schema 1 and a meta table with `schema_version`) is
stamped with it. A store that cannot be read or looks damaged (a read fails, tables are
missing, a stored finding is not readable JSON) is refused with the first problem `PRAGMA
quick_check` finds, and nothing is written to it; a store that opening would write to (to
stamp or migrate it) is checked with quick_check first.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime, timezone
from pathlib import Path

from pipeline import runlock
from pipeline.errors import FactcheckError, UsageError
from pipeline.models import FLAG_STATUSES, Article, Claim, Finding

SCHEMA_VERSION = 4
BUSY_TIMEOUT_MS = 30_000
APPLICATION_ID = 0x4643686B  # "FChk": SQLite's application_id of every factcheck store
SQLITE_MAGIC = b"SQLite format 3\x00"
IDS_PER_QUERY = 400  # finding ids looked up in one query (SQLite's old limit is 999 values)


def id_chunks(ids: Iterable[str]) -> Iterator[tuple[list[str], str]]:
    """The distinct `ids`, sorted, IDS_PER_QUERY at a time, each chunk with the marks of its
    `IN (...)` clause ("?, ?, ?")."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), IDS_PER_QUERY):
        chunk = wanted[start : start + IDS_PER_QUERY]
        yield chunk, ", ".join("?" * len(chunk))


# The words of a finding that `factcheck serve` searches (ASCII lower-case), by its row.
WORDS = (
    "lower("
    + " || char(31) || ".join(
        f"coalesce(json_extract(data, '$.{name}'), '')"
        for name in (
            "sentence",
            "explanation",
            "title",
            "article",
            "entity",
            "attribute",
            "fact_id",
            "claimed_value",
            "reference_value",
        )
    )
    + ")"
)

MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        published TEXT NOT NULL DEFAULT '',
        first_seen TEXT NOT NULL,
        last_checked TEXT NOT NULL,
        last_run INTEGER,
        reference_digest TEXT NOT NULL DEFAULT '',
        checked_with TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE claims (
        content_hash TEXT NOT NULL,
        model TEXT NOT NULL,
        extractor TEXT NOT NULL,
        claims TEXT NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (content_hash, model, extractor)
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL,
        pid INTEGER,
        reference_digest TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        sources TEXT NOT NULL DEFAULT '',
        new INTEGER NOT NULL DEFAULT 0,
        changed INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        rechecked INTEGER NOT NULL DEFAULT 0,
        parsed INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        contradicted INTEGER NOT NULL DEFAULT 0,
        outdated INTEGER NOT NULL DEFAULT 0,
        unverified INTEGER NOT NULL DEFAULT 0,
        supported INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE findings (
        finding_id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        run_id INTEGER NOT NULL REFERENCES runs(id),
        verdict TEXT NOT NULL,
        fact_id TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL
    );
    CREATE INDEX findings_by_article ON findings (article_id);
    CREATE TABLE flags (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        finding_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('confirmed', 'disputed', 'dismissed', 'open')),
        note TEXT NOT NULL DEFAULT '',
        by TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL
    );
    CREATE INDEX flags_by_finding ON flags (finding_id, id);
    """,
    # 2: keep each article's parse, so that it is re-read without parsing; keep the
    # findings of every run, not only the current ones.
    2: """
    ALTER TABLE articles ADD COLUMN text_hash TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN findings_run INTEGER;
    UPDATE articles SET findings_run = (
        SELECT MAX(run_id) FROM findings WHERE findings.article_id = articles.id
    );
    CREATE TABLE run_findings (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        finding_id TEXT NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id),
        verdict TEXT NOT NULL,
        fact_id TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL,
        PRIMARY KEY (run_id, finding_id)
    );
    INSERT INTO run_findings SELECT run_id, finding_id, article_id, verdict, fact_id, data
        FROM findings;
    DROP TABLE findings;
    ALTER TABLE run_findings RENAME TO findings;
    CREATE INDEX findings_by_article ON findings (article_id, run_id);
    CREATE TABLE parses (
        text_hash TEXT NOT NULL,
        model TEXT NOT NULL,
        docs BLOB NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (text_hash, model)
    );
    """,
    # 3: who wrote and published each article, where its input says (for ClaimReview).
    3: """
    ALTER TABLE articles ADD COLUMN author TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN publisher TEXT NOT NULL DEFAULT '';
    """,
    # 4: keep each article's text, so that `factcheck serve` shows claims in place; give
    # findings their entity and attribute as columns, and index them in the order of its
    # queue (newest run first, by article) with what it filters on, and the articles with
    # the run of their current findings, so that the queue over 100,000 findings is read
    # from indexes alone; find a finding by its id; keep the words of each finding
    # (lower-case) in a narrow table that a search reads quickly.
    4: """
    CREATE TABLE texts (
        text_hash TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        created TEXT NOT NULL
    );
    ALTER TABLE findings ADD COLUMN entity TEXT NOT NULL DEFAULT '';
    ALTER TABLE findings ADD COLUMN attribute TEXT NOT NULL DEFAULT '';
    UPDATE findings SET entity = coalesce(json_extract(data, '$.entity'), ''),
        attribute = coalesce(json_extract(data, '$.attribute'), '')
        WHERE json_valid(data) AND json_type(data) = 'object';
    CREATE INDEX findings_by_run
        ON findings (run_id DESC, article_id, verdict, finding_id, fact_id, entity, attribute);
    CREATE INDEX findings_by_id ON findings (finding_id);
    CREATE INDEX articles_current ON articles (id, findings_run);
    CREATE TABLE finding_words (id INTEGER PRIMARY KEY, words TEXT NOT NULL);
    INSERT INTO finding_words (id, words) SELECT rowid, {words} FROM findings
        WHERE json_valid(data) AND json_type(data) = 'object';
    """.replace("{words}", WORDS),
}


# The tables of each schema version: with the meta table's schema_version, they identify
# a store made before stores carried APPLICATION_ID.
SCHEMA_TABLES: dict[int, frozenset[str]] = {
    1: frozenset({"meta", "articles", "claims", "runs", "findings", "flags"}),
    2: frozenset({"meta", "articles", "claims", "runs", "findings", "flags", "parses"}),
    3: frozenset({"meta", "articles", "claims", "runs", "findings", "flags", "parses"}),
    4: frozenset(
        {"meta", "articles", "claims", "runs", "findings", "flags", "parses", "texts"}
        | {"finding_words"}
    ),
}


class StoreError(FactcheckError):
    """The store cannot be opened, is another program's, damaged, newer than this version,
    or busy."""


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """What the store remembers of an article."""

    id: str
    content_hash: str  # its text, title and the date it is judged at
    text_hash: str  # its text alone: what its parse depends on
    source: str
    last_run: int | None
    reference_digest: str
    checked_with: str  # the model, extractor and factcheck versions that checked it


@dataclass(frozen=True, slots=True)
class Decision:
    """An editor's decision on a finding."""

    finding_id: str
    status: str
    note: str
    by: str
    at: str


@dataclass(frozen=True, slots=True)
class StoredFinding:
    """A finding as the store keeps it: with its latest decision, the run that made it,
    the file its article was read from, and whether it is among its article's current
    findings."""

    finding: Finding
    run_id: int
    source: str
    current: bool


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One run as the store records it."""

    id: int
    started: str
    finished: str | None
    status: str
    reference_digest: str
    new: int
    changed: int
    unchanged: int
    rechecked: int
    parsed: int
    failed: int
    contradicted: int
    outdated: int
    unverified: int
    supported: int


def now() -> str:
    """The current time, UTC, to the microsecond (decisions made in one second keep their
    order when a spreadsheet is read back)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def content_hash(article: Article, *, judged_at: date) -> str:
    """What decides whether an article's findings stand: its text, title and the date it is
    judged at (its publication date, or the default date when it has none)."""
    dated = "dated" if article.published else "undated"
    key = "\x1f".join([article.text, article.title, judged_at.isoformat(), dated])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def text_hash(article: Article) -> str:
    """What an article's parse depends on: its text."""
    return hashlib.sha256(article.text.encode("utf-8")).hexdigest()


class Store:
    """A connection to the store; use `Store.open(path)` as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None) -> None:
        self.db = connection
        self.path = path

    # -- opening ----------------------------------------------------------------------

    @classmethod
    @contextmanager
    def open(cls, path: Path | str, *, create: bool = True) -> Iterator[Store]:
        """Open (creating and migrating as needed) the store at `path`; ':memory:' works.
        Without `create`, a store that does not exist yet is an error. An existing file is
        first read without writing: another program's database, a damaged store or a newer
        one is refused as it is."""
        memory = str(path) == ":memory:"
        file = None if memory else Path(path)
        if file is not None:
            if file.is_dir():
                raise StoreError(f"{file}: is a folder; --db names the store's file")
            if not stored_version(file) and not create:
                raise StoreError(f"{file}: no store here yet; run `factcheck run` first")
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    f"{file.parent}: cannot create the store's folder: {error.strerror}"
                ) from error
        try:
            connection = sqlite3.connect(
                ":memory:" if file is None else file,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # explicit transactions only
            )
        except sqlite3.Error as error:
            raise StoreError(f"{path}: cannot open the store: {error}") from error
        store = cls(connection, file)
        try:
            store._configure()
            store._migrate()
            yield store
        except sqlite3.DatabaseError as error:
            if _is_damage(error):
                raise _damaged(connection, path, str(error)) from error
            raise StoreError(f"{path}: {_explain(error)}") from error
        finally:
            connection.close()

    def _configure(self) -> None:
        self.db.row_factory = sqlite3.Row
        self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if self.path is not None:
            for attempt in range(50):  # another process may be creating the store
                try:
                    mode = self.db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                    break
                except sqlite3.OperationalError:
                    if attempt == 49:
                        raise
                    time.sleep(0.1)
            if str(mode).lower() != "wal":
                raise StoreError(f"{self.path}: this file system does not support WAL mode")
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.execute("PRAGMA foreign_keys = ON")

    def _migrate(self) -> None:
        """Stamp the store's application_id and bring the schema up to SCHEMA_VERSION, in
        one transaction that other processes opening the same store wait for; what the file
        is, is checked again inside it."""
        with self.transaction():
            version = _identify(self.db, self.path or Path(":memory:"))
            if self.db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                    (str(target),),
                )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A short write transaction, taken at once (BEGIN IMMEDIATE); inside another one,
        part of it."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    @contextmanager
    def run_lock(self, *, wait: float = 0.0) -> Iterator[None]:
        """Hold the store's run lock: one run at a time. Waits up to `wait` seconds for a
        run that holds it, then stops with a clear message; takes over a lock whose run is
        gone (see pipeline.runlock). Decisions need no lock."""
        if self.path is None:
            yield
            return
        busy = (
            f"{self.path}: another factcheck run is using this store; wait for it to "
            "finish, pass --wait SECONDS, or use another --db"
        )
        try:
            with runlock.run_lock(
                self.path.with_name(self.path.name + ".lock"), wait=wait, busy=busy
            ):
                yield
        except runlock.LockError as error:
            raise StoreError(str(error)) from None

    # -- runs -------------------------------------------------------------------------

    def start_run(self, *, reference_digest: str, model: str, sources: Sequence[str]) -> int:
        """Record a new run; runs left 'running' by a killed process become 'aborted'."""
        with self.transaction():
            self.db.execute("UPDATE runs SET status = 'aborted' WHERE status = 'running'")
            cursor = self.db.execute(
                "INSERT INTO runs (started, status, pid, reference_digest, model, sources) "
                "VALUES (?, 'running', ?, ?, ?, ?)",
                (now(), os.getpid(), reference_digest, model, json.dumps(list(sources))),
            )
        return int(cursor.lastrowid or 0)

    def count(self, run_id: int, **increments: int) -> None:
        """Add to a run's counters (new, changed, unchanged, rechecked, parsed, failed)."""
        with self.transaction():
            self._count(run_id, increments)

    def _count(self, run_id: int, increments: dict[str, int]) -> None:
        allowed = {"new", "changed", "unchanged", "rechecked", "parsed", "failed"}
        names = [name for name, value in increments.items() if name in allowed and value]
        if names:
            sets = ", ".join(f"{name} = {name} + ?" for name in names)
            self.db.execute(
                f"UPDATE runs SET {sets} WHERE id = ?",
                (*(increments[name] for name in names), run_id),
            )

    def finish_run(self, run_id: int, verdicts: dict[str, int]) -> None:
        """Close a run with its findings per verdict."""
        with self.transaction():
            self.db.execute(
                "UPDATE runs SET finished = ?, status = 'finished', contradicted = ?, "
                "outdated = ?, unverified = ?, supported = ? WHERE id = ?",
                (
                    now(),
                    verdicts.get("contradicted", 0),
                    verdicts.get("outdated", 0),
                    verdicts.get("unverified", 0),
                    verdicts.get("supported", 0),
                    run_id,
                ),
            )

    def stop_run(self, run_id: int, status: str) -> None:
        """Close a run that did not finish: 'failed' (an error) or 'aborted' (interrupted)."""
        with self.transaction():
            self.db.execute(
                "UPDATE runs SET finished = ?, status = ? WHERE id = ? AND status = 'running'",
                (now(), status, run_id),
            )

    def run(self, run_id: int) -> RunRecord:
        """A run's record."""
        row = self.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise UsageError(f"no run {run_id} in {self.path}")
        names = {f.name for f in fields(RunRecord)}
        return RunRecord(**{key: row[key] for key in names})

    def runs(self) -> list[RunRecord]:
        """Every run, newest first."""
        ids = [row[0] for row in self.db.execute("SELECT id FROM runs ORDER BY id DESC")]
        return [self.run(run_id) for run_id in ids]

    # -- articles, claims, findings ---------------------------------------------------

    def article(self, article_id: str) -> StoredArticle | None:
        """What the store remembers of an article, if anything."""
        row = self.db.execute(
            "SELECT id, content_hash, text_hash, source, last_run, reference_digest, "
            "checked_with FROM articles "
            "WHERE id = ?",
            (article_id,),
        ).fetchone()
        return StoredArticle(*row) if row else None

    def article_text(self, article_id: str) -> str | None:
        """The text of an article as the run that last read it had it; None when the store
        does not have it (made before schema 3, and no run has seen the article since)."""
        row = self.db.execute(
            "SELECT t.text FROM articles a JOIN texts t ON t.text_hash = a.text_hash "
            "WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return None if row is None else str(row[0])

    def cached_parse(self, key: str, *, model: str) -> bytes | None:
        """The parse of a text made before by this model (spaCy DocBin bytes)."""
        row = self.db.execute(
            "SELECT docs FROM parses WHERE text_hash = ? AND model = ?", (key, model)
        ).fetchone()
        return bytes(row[0]) if row else None

    def cached_claims(self, key: str, *, model: str, extractor: str) -> list[Claim] | None:
        """The claims extracted before from this content, by this model and extractor."""
        row = self.db.execute(
            "SELECT claims FROM claims WHERE content_hash = ? AND model = ? AND extractor = ?",
            (key, model, extractor),
        ).fetchone()
        if row is None:
            return None
        try:
            return [_claim_from(item) for item in json.loads(row[0])]
        except (ValueError, TypeError, KeyError, AttributeError):
            raise self._broken(f"the claims of content {key[:16]} cannot be read") from None

    def save_checked(
        self,
        article: Article,
        *,
        key: str,
        run_id: int,
        reference_digest: str,
        findings: Sequence[Finding],
        claims: Sequence[Claim],
        text_key: str = "",
        parse: bytes | None = None,
        model: str = "",
        extractor: str = "",
        checked_with: str = "",
        counts: dict[str, int] | None = None,
    ) -> None:
        """Store an article's parse (when new), text, claims and findings, and count it in
        its run, in one transaction: a run killed before this keeps the earlier state."""
        stamp = now()
        with self.transaction():
            if text_key:
                self.db.execute(
                    "INSERT OR IGNORE INTO texts (text_hash, text, created) VALUES (?, ?, ?)",
                    (text_key, article.text, stamp),
                )
            if parse is not None:
                self.db.execute(
                    "INSERT OR REPLACE INTO parses (text_hash, model, docs, created) "
                    "VALUES (?, ?, ?, ?)",
                    (text_key, model, parse, stamp),
                )
            self.db.execute(
                "INSERT OR REPLACE INTO claims (content_hash, model, extractor, claims, "
                "created) VALUES (?, ?, ?, ?, ?)",
                (key, model, extractor, json.dumps([_claim_to(c) for c in claims]), stamp),
            )
            self.db.execute(
                "INSERT INTO articles (id, content_hash, text_hash, source, title, url, "
                "author, publisher, published, first_seen, last_checked, last_run, "
                "reference_digest, checked_with) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET content_hash = excluded.content_hash, "
                "text_hash = excluded.text_hash, findings_run = excluded.last_run, "
                "source = excluded.source, title = excluded.title, url = excluded.url, "
                "author = excluded.author, publisher = excluded.publisher, "
                "published = excluded.published, last_checked = excluded.last_checked, "
                "last_run = excluded.last_run, reference_digest = excluded.reference_digest, "
                "checked_with = excluded.checked_with",
                (
                    article.id,
                    key,
                    text_key,
                    article.source,
                    article.title,
                    article.url,
                    article.author,
                    article.publisher,
                    article.published.isoformat() if article.published else "",
                    stamp,
                    stamp,
                    run_id,
                    reference_digest,
                    checked_with,
                ),
            )
            self.db.execute(
                "UPDATE articles SET findings_run = ? WHERE id = ?", (run_id, article.id)
            )
            self.db.executemany(
                "INSERT INTO findings (finding_id, article_id, run_id, verdict, fact_id, "
                "entity, attribute, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        f.finding_id,
                        article.id,
                        run_id,
                        f.verdict,
                        f.fact_id,
                        f.entity,
                        f.attribute,
                        _finding_to(f),
                    )
                    for f in findings
                ],
            )
            self.db.execute(
                "INSERT OR REPLACE INTO finding_words (id, words) "
                f"SELECT rowid, {WORDS} FROM findings WHERE run_id = ? AND article_id = ?",
                (run_id, article.id),
            )
            self._count(run_id, counts or {})

    def touch(self, article: Article, run_id: int) -> None:
        """Record that a run saw an unchanged article, with its current source, URL, author
        and publisher (and its text, which a store made before schema 4 did not keep)."""
        stamp = now()
        with self.transaction():
            self.db.execute(
                "UPDATE articles SET last_checked = ?, last_run = ?, source = ?, url = ?, "
                "author = ?, publisher = ? WHERE id = ?",
                (
                    stamp,
                    run_id,
                    article.source,
                    article.url,
                    article.author,
                    article.publisher,
                    article.id,
                ),
            )
            self.db.execute(
                "INSERT OR IGNORE INTO texts (text_hash, text, created) "
                "SELECT text_hash, ?, ? FROM articles WHERE id = ? AND text_hash != ''",
                (article.text, stamp, article.id),
            )
            self._count(run_id, {"unchanged": 1})

    def findings(
        self,
        *,
        article_ids: Iterable[str] | None = None,
        since: date | None = None,
        verdicts: Iterable[str] = (),
        flags: Iterable[str] = (),
    ) -> list[Finding]:
        """Current findings with their latest decision, in article then reading order."""
        return list(
            self.iter_findings(article_ids=article_ids, since=since, verdicts=verdicts, flags=flags)
        )

    def iter_findings(
        self,
        *,
        article_ids: Iterable[str] | None = None,
        since: date | None = None,
        verdicts: Iterable[str] = (),
        flags: Iterable[str] = (),
        report_order: bool = False,
    ) -> Iterator[Finding]:
        """Current findings with their latest decision, one at a time: in article then
        reading order, or with `report_order` discrepancies first, then unverified, then
        supported (each by article, in reading order)."""
        query = (
            "SELECT f.data, a.id, a.url, a.title, a.author, a.publisher, f.finding_id, f.run_id "
            "FROM findings f "
            "JOIN articles a ON a.id = f.article_id AND f.run_id = a.findings_run WHERE 1 = 1"
        )
        params: list[object] = []
        if since is not None:  # first seen on or after that day (UTC)
            query += " AND a.first_seen >= ?"
            params.append(since.isoformat())
        wanted = set(verdicts)
        if wanted:
            query += f" AND f.verdict IN ({', '.join('?' * len(wanted))})"
            params += sorted(wanted)
        group = (
            "CASE f.verdict WHEN 'contradicted' THEN 0 WHEN 'outdated' THEN 0 "
            "WHEN 'unverified' THEN 1 ELSE 2 END, "
        )
        query += f" ORDER BY {group if report_order else ''}a.id, f.rowid"
        ids = set(article_ids) if article_ids is not None else None
        decisions = self.decisions()
        statuses = set(flags)
        rows = self.db.execute(query, params)
        with closing(rows):  # a damaged row leaves no statement open
            for data, article_id, url, title, author, publisher, finding_id, run_id in rows:
                if ids is not None and article_id not in ids:
                    continue
                article = (url, title, author, publisher)
                finding = self._finding(data, finding_id, run_id, article)
                finding = _decided(finding, decisions.get(finding.finding_id))
                if statuses and (finding.flag_status or "open") not in statuses:
                    continue
                yield finding

    def stored_finding(self, finding_id: str) -> StoredFinding | None:
        """A finding by id with its latest decision, the run that made it and its article's
        file: among its article's current findings when it is one, else from the last run
        that made it; None when no run made it."""
        row = self.db.execute(
            "SELECT f.data, f.run_id, a.url, a.title, a.author, a.publisher, a.source, "
            "f.run_id = a.findings_run AS current FROM findings f "
            "JOIN articles a ON a.id = f.article_id WHERE f.finding_id = ? "
            "ORDER BY current DESC, f.run_id DESC LIMIT 1",
            (finding_id,),
        ).fetchone()
        if row is None:
            return None
        data, run_id, url, title, author, publisher, source, current = row
        finding = self._finding(data, finding_id, run_id, (url, title, author, publisher))
        history = self.history(finding_id)
        latest = history[-1] if history else None
        return StoredFinding(_decided(finding, latest), run_id, source, bool(current))

    def _finding(
        self,
        data: str,
        finding_id: str,
        run_id: int,
        article: tuple[str, str, str, str] | None = None,
    ) -> Finding:
        """A stored finding, with its article's (url, title, author, publisher) when given;
        one that cannot be read means the store is damaged."""
        try:
            finding = _finding_from(data)
        except (ValueError, TypeError, KeyError, AttributeError):
            raise self._broken(f"finding {finding_id} of run {run_id} cannot be read") from None
        if article is None:
            return finding
        url, title, author, publisher = article
        return replace(finding, url=url, title=title, author=author, publisher=publisher)

    def _broken(self, detail: str) -> StoreError:
        return _damaged(self.db, self.path or ":memory:", detail)

    def check_readable(self, finding_ids: Iterable[str]) -> None:
        """Raise StoreError (damaged) when a stored finding among `finding_ids` cannot be
        read: a store that lost what a decision is about takes no decision."""
        for chunk, marks in id_chunks(finding_ids):
            rows = self.db.execute(
                f"SELECT finding_id, run_id, data FROM findings WHERE finding_id IN ({marks})",
                chunk,
            )
            with closing(rows):
                for finding_id, run_id, data in rows:
                    self._finding(data, finding_id, run_id)

    def known_ids(self, finding_ids: Iterable[str]) -> set[str]:
        """Those of `finding_ids` that are stored findings or were decided on before (by
        index: quick in a large store)."""
        known: set[str] = set()
        for chunk, marks in id_chunks(finding_ids):
            rows = self.db.execute(
                f"SELECT finding_id FROM findings WHERE finding_id IN ({marks}) "
                f"UNION SELECT finding_id FROM flags WHERE finding_id IN ({marks})",
                chunk * 2,
            )
            known.update(row[0] for row in rows)
        return known

    def finding_ids(self) -> set[str]:
        """The ids of every current finding, and of every finding decided on before."""
        rows = self.db.execute("SELECT finding_id FROM findings UNION SELECT finding_id FROM flags")
        return {row[0] for row in rows}

    # -- decisions --------------------------------------------------------------------

    def decide(self, decisions: Sequence[tuple[str, str, str, str]], *, known: bool = True) -> int:
        """Record decisions (finding_id, status, note, by) in one transaction; with `known`,
        every id must be a current finding. Returns how many were recorded."""
        for _, status, _, _ in decisions:
            if status not in FLAG_STATUSES:
                raise UsageError(
                    f"{status!r} is not a decision: use one of {', '.join(FLAG_STATUSES)}"
                )
        stamp = now()
        with self.transaction():
            if known:
                ids = self.known_ids(d[0] for d in decisions)
                unknown = [d[0] for d in decisions if d[0] not in ids]
                if unknown:
                    raise UsageError(f"no finding {unknown[0]!r} in {self.path or 'the store'}")
            self.check_readable(d[0] for d in decisions)
            self.db.executemany(
                "INSERT INTO flags (finding_id, status, note, by, at) VALUES (?, ?, ?, ?, ?)",
                [(fid, status, note, by, stamp) for fid, status, note, by in decisions],
            )
        return len(decisions)

    def decisions(self) -> dict[str, Decision]:
        """The latest decision on each finding."""
        rows = self.db.execute(
            "SELECT finding_id, status, note, by, at FROM flags "
            "WHERE id IN (SELECT MAX(id) FROM flags GROUP BY finding_id)"
        )
        return {row[0]: Decision(*row) for row in rows}

    def history(self, finding_id: str | None = None) -> list[Decision]:
        """Every decision, oldest first; for one finding when given."""
        query = "SELECT finding_id, status, note, by, at FROM flags"
        params: tuple[str, ...] = ()
        if finding_id is not None:
            query += " WHERE finding_id = ?"
            params = (finding_id,)
        return [Decision(*row) for row in self.db.execute(query + " ORDER BY id", params)]


# -- what a file is ----------------------------------------------------------------------


def stored_version(file: Path) -> int:
    """The schema version of the factcheck store in `file`, or 0 when there is none yet (no
    file, an empty one, or an SQLite database without tables). The file is only read
    (header bytes, then SQLite read-only): another program's database, a damaged store and
    a newer one raise StoreError and are left exactly as they were."""
    try:
        with file.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return 0
    except OSError as error:
        raise StoreError(f"{file}: cannot read the store: {error.strerror}") from error
    if not header:
        return 0
    if not header.startswith(SQLITE_MAGIC):
        raise StoreError(
            f"{file}: not an SQLite file: not a factcheck store (or a damaged one); "
            "use another --db"
        )
    if int.from_bytes(header[68:72], "big", signed=True) not in (0, APPLICATION_ID):
        raise _foreign(file)
    connection = _read_only(file, wal=len(header) > 18 and header[18] == 2)
    try:
        version = _identify(connection, file)
        stamped = connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        if version and (version < SCHEMA_VERSION or not stamped):
            found = _quick_check(connection)  # opening will write to it: is it sound?
            if found:
                raise _damage(file, found)
        return version
    except sqlite3.DatabaseError as error:
        if _is_damage(error):
            raise _damaged(connection, file, str(error)) from error
        raise StoreError(f"{file}: {_explain(error)}") from error
    finally:
        connection.close()


def _read_only(file: Path, *, wal: bool) -> sqlite3.Connection:
    """A read-only connection that leaves no file behind: a WAL database whose -wal and
    -shm files do not exist (all in the main file) is read as immutable, since a read-only
    connection would create them."""
    real = file.resolve()
    side = [real.with_name(real.name + suffix) for suffix in ("-wal", "-shm")]
    immutable = wal and not any(path.exists() for path in side)
    uri = real.as_uri() + ("?immutable=1" if immutable else "?mode=ro")
    try:
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as error:
        raise StoreError(f"{file}: cannot open the store: {error}") from error


def _identify(db: sqlite3.Connection, file: Path) -> int:
    """The schema version of the store `db` (0: an empty database, to become one), or
    StoreError: another program's database, a newer store, a damaged one. A store made by
    factcheck before stores carried APPLICATION_ID is known by its tables and meta."""
    app = db.execute("PRAGMA application_id").fetchone()[0]
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    tables = {row[0] for row in rows} - {"sqlite_sequence"}
    if app not in (0, APPLICATION_ID):
        raise _foreign(file)
    if app == 0 and not tables:
        return 0
    if app == 0 and not SCHEMA_TABLES[1] <= tables:
        raise _foreign(file)
    value = _meta_version(db) if "meta" in tables else None
    if value is None:
        raise _damaged(db, file, "it has no schema version")
    try:
        version = int(value)
    except ValueError:
        raise _damaged(db, file, f"schema version {value!r} is not a number") from None
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{file}: the store has schema version {version}, newer than this "
            f"factcheck ({SCHEMA_VERSION}); upgrade factcheck"
        )
    missing = SCHEMA_TABLES.get(version, SCHEMA_TABLES[SCHEMA_VERSION]) - tables
    if missing:
        raise _damaged(db, file, f"table(s) {', '.join(sorted(missing))} missing")
    return version


def _meta_version(db: sqlite3.Connection) -> str | None:
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError:  # a meta table without those columns
        return None
    return None if row is None else str(row[0])


def _foreign(file: Path) -> StoreError:
    return StoreError(
        f"{file}: an SQLite database of another program, not a factcheck store; "
        "left as it is; use another --db"
    )


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    text = str(error)
    return any(word in text for word in ("malformed", "corrupt", "not a database"))


def _damaged(db: sqlite3.Connection, file: Path | str, detail: str) -> StoreError:
    """The error for a damaged store, with the first problem SQLite's quick_check finds."""
    return _damage(file, _quick_check(db) or detail)


def _damage(file: Path | str, detail: str) -> StoreError:
    return StoreError(
        f"{file}: the store is damaged ({detail}); factcheck will not write to it: "
        "restore it from a backup, or use another --db"
    )


def _quick_check(db: sqlite3.Connection) -> str | None:
    """The first problem `PRAGMA quick_check` reports, as one line; None when it finds none."""
    try:
        rows = [str(row[0]) for row in db.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as error:
        return f"quick_check: {error}"
    lines = [
        line.strip()
        for row in rows
        for line in row.splitlines()
        if line.strip() and line.strip() != "ok" and not line.startswith("***")
    ]
    return f"quick_check: {lines[0]}" if lines else None


def _explain(error: sqlite3.DatabaseError) -> str:
    """A database error in words a user can act on."""
    text = str(error)
    if "not a database" in text or "malformed" in text:
        return f"{text}: not a factcheck store (or a damaged one); use another --db"
    if "locked" in text or "busy" in text:
        return f"{text}: the store stayed busy for {BUSY_TIMEOUT_MS // 1000} s; try again"
    return text


# -- serialization --------------------------------------------------------------------


def _decided(finding: Finding, decision: Decision | None) -> Finding:
    """The finding with the editors' decision on it, if any."""
    if decision is None:
        return finding
    return replace(
        finding,
        flag_status=decision.status,
        flag_note=decision.note,
        flag_by=decision.by,
        flagged_at=decision.at,
    )


def _claim_to(claim: Claim) -> dict[str, object]:
    data = asdict(claim)
    for key in ("as_of", "period_start"):
        value = data[key]
        data[key] = value.isoformat() if isinstance(value, date) else None
    return data


def _claim_from(data: dict[str, object]) -> Claim:
    known = {f.name for f in fields(Claim)}
    values = {key: value for key, value in data.items() if key in known}
    values["as_of"] = date.fromisoformat(str(values["as_of"]))
    if values.get("period_start"):
        values["period_start"] = date.fromisoformat(str(values["period_start"]))
    return Claim(**values)  # type: ignore[arg-type]


def _finding_to(finding: Finding) -> str:
    data = asdict(finding)
    for key in ("flag_status", "flag_note", "flag_by", "flagged_at", "extra"):
        data.pop(key, None)  # decisions live in flags, not in the finding
    return json.dumps(data, ensure_ascii=False)


def _finding_from(data: str) -> Finding:
    known = {f.name for f in fields(Finding)}
    values = {key: value for key, value in json.loads(data).items() if key in known}
    return Finding(**values)
