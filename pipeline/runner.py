"""A batch run: articles in, findings in the store, report files out.

1. load and validate the reference (a broken reference stops the run before any work);
   find the inputs, leaving out factcheck's own reports and store; sources without a
   readable article stop the run here too (NoArticlesError);
2. take the store's run lock and record the run;
3. stream the articles; for each, by what the store remembers of it:
   - new or changed text: parse it (or reuse claims cached for that text), check, store;
   - unchanged, reference unchanged: nothing to do, its findings stand;
   - unchanged, reference changed: check its cached claims again, without parsing;
   each article is committed on its own, so a killed run keeps what it finished, and a
   bad article is skipped and reported, never fatal;
4. close the run, and write the report of this batch (with the editors' decisions);
   a run an error or an interrupt stops is closed as 'failed' or 'aborted' (an interrupt
   raises RunInterrupted, which says how many articles were checked and stored).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import itertools
import multiprocessing
import os
import sys
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipeline import __version__
from pipeline.check import check
from pipeline.clean import clean_text
from pipeline.errors import NoArticlesError, UsageError
from pipeline.extract import EXTRACTOR_VERSION, Extractor, Parses, load_model
from pipeline.extract.lemmas import speed_up_lemmas
from pipeline.extract.model import recognizer_alone
from pipeline.extract.rules import speed_up_rules
from pipeline.ingest import FORMATS, count_inputs, display, iter_articles
from pipeline.models import FLAGGED, VERDICTS, Article, Claim, Finding, Skipped
from pipeline.reference import Reference, load_reference
from pipeline.report import REPORT_NAMES, ReportPaths, RunInfo, write_reports
from pipeline.store import Store, content_hash, now, text_hash
from pipeline.timing import NoTimer, Timer
from pipeline.workers import start_worker

DEFAULT_DB = Path("reports") / "factcheck.db"
# What makes a run fast without changing a finding; each can be left out (`speedups`) to
# show that it changes nothing (tests/test_speedups.py) and to measure what it buys
# (`python -m pipeline.bench --without NAME`):
# - prefilter: parse only the sentences that can hold a claim;
# - names: a sentence that only names entities, and that no reader needing no cue, number
#   or quotation may read, goes through the entity recognizer alone (extract/gate.py);
# - rules: the attribute ruler's rules applied by an exact, faster matcher (extract/rules.py);
# - lemmas: the rule lemmatizer's lemmas set for a whole sentence at once and remembered by
#   word, part of speech and morphology (extract/lemmas.py);
# - vocabulary: the words of the first articles kept in spaCy's vocabulary (up to a bound),
#   so that later articles find them there instead of building them again (`_read`).
SPEEDUPS = frozenset({"lemmas", "names", "prefilter", "rules", "vocabulary"})


@dataclass(slots=True)
class RunResult:
    """What a run did: articles by what happened to them, findings per verdict and per
    article, skipped inputs, the files written."""

    run_id: int = 0
    articles: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    rechecked: int = 0
    parsed: int = 0
    workers: int = 1  # processes that read the articles (1: this one)
    sentences: int = 0  # sentences and table cells read in new and changed articles
    parsed_sentences: int = 0  # of which parsed (the prefilter passes over the rest)
    words: tuple[int, int, int] = (0, 0, 0)  # their tokens: read, parsed, in sentences with claims
    verdicts: Counter[str] = field(default_factory=Counter)
    per_article: dict[str, tuple[int, ...]] = field(default_factory=dict)  # VERDICTS order
    dismissed: int = 0  # discrepancies editors dismissed before
    skipped: list[Skipped] = field(default_factory=list)
    paths: ReportPaths | None = None

    @property
    def discrepancies(self) -> int:
        """Contradicted and outdated findings that editors have not dismissed."""
        return self.verdicts["contradicted"] + self.verdicts["outdated"] - self.dismissed

    @property
    def stored(self) -> int:
        """Articles checked and stored so far (unchanged ones included)."""
        return self.new + self.changed + self.unchanged + self.rechecked


class RunInterrupted(KeyboardInterrupt):
    """A run stopped by an interrupt (Ctrl-C): the articles it had checked and stored by
    then, and how many of about how many inputs (articles and skips) it was done with. The
    run is marked 'aborted'; the next run goes on from there."""

    def __init__(self, *, stored: int, done: int, total: int) -> None:
        super().__init__(f"interrupted: {stored} articles stored, {done} of {total} inputs done")
        self.stored = stored
        self.done = done
        self.total = total


class Checker:
    """The loaded model and reference, ready to check any number of articles."""

    def __init__(
        self,
        reference: Reference,
        *,
        model: str | None = None,
        speedups: Collection[str] = SPEEDUPS,
        timer: Timer | None = None,
    ) -> None:
        unknown = set(speedups) - SPEEDUPS
        if unknown:
            raise UsageError(f"unknown speed-up(s): {', '.join(sorted(unknown))}")
        self.reference = reference
        self.speedups = frozenset(speedups)
        self.prefilter = "prefilter" in self.speedups
        self.timer = timer or NoTimer()
        self.nlp = load_model(model)
        if "rules" in self.speedups:
            speed_up_rules(self.nlp)
        if "lemmas" in self.speedups:
            speed_up_lemmas(self.nlp)
        self.strings_at_load = len(self.nlp.vocab.strings)
        self.extractor = Extractor(
            self.nlp, reference, timer=self.timer, gate="names" in self.speedups
        )
        meta = self.nlp.meta
        # How the text is parsed, which stored parses and claims must match: the model, and
        # whether its entity recognizer runs first (extract/model.py).
        order = "+ner-first" if recognizer_alone(self.nlp) else ""
        self.model_name = (
            f"{meta.get('lang', 'xx')}_{meta.get('name', '?')}-{meta.get('version', '?')}{order}"
        )

    def claims(
        self,
        article: Article,
        *,
        default_date: date,
        given: bool = False,
        parses: Parses | None = None,
    ) -> list[Claim]:
        """The claims of one article; the parse is the costly part, which `parses` saves."""
        return self.extractor.extract(
            article,
            default_date=default_date,
            given=given,
            parses=parses,
            prefilter=self.prefilter,
        )

    def findings(self, article: Article, claims: Iterable[Claim]) -> list[Finding]:
        """Findings for an article's claims."""
        with self.timer.stage("check"):
            return list(check(claims, self.reference, article=article))

    def check_article(
        self, article: Article, *, default_date: date, given: bool = False
    ) -> list[Finding]:
        """Findings for one article."""
        return self.findings(article, self.claims(article, default_date=default_date, given=given))

    def check_text(self, text: str, *, as_of: date, article_id: str = "<text>") -> list[Finding]:
        """Findings for a piece of text judged at `as_of`."""
        article = Article(id=article_id, text=clean_text(text), published=as_of, date_source="")
        return self.check_article(article, default_date=as_of, given=True)


# Shows progress over the inputs of a run, given about how many there are.
Progress = Callable[[Iterable[Article | Skipped], int], Iterable[Article | Skipped]]
OWN_OUTPUT = "factcheck's own report folder (--out); not read"
OWN_REPORT = "factcheck's own report (--out); not read"
STORE_FILES = ("", "-wal", "-shm", "-journal", ".lock", ".lock.guard")  # the store's files


def run(
    sources: Sequence[Path],
    *,
    reference_dir: Path,
    out_dir: Path,
    default_date: date,
    db: Path | str = ":memory:",
    model: str | None = None,
    max_bytes: int = 5_000_000,
    follow_links: bool = False,
    full: bool = False,
    wait: float = 0.0,
    prefilter: bool = True,
    speedups: Collection[str] = SPEEDUPS,
    workers: int | None = 1,
    engine: str = "local",
    scheduler: str | None = None,
    progress: Progress | None = None,
    timer: Timer | None = None,
) -> RunResult:
    """Check every article under `sources` against the reference, remember it in the store
    at `db`, and write the report of this batch into `out_dir`. With `full`, every article
    is parsed again; with `workers` > 1, articles are read (parsed and extracted) in that
    many processes, while checking, the store and the report stay in this one; `workers`
    None chooses by the batch and the machine (`auto_workers`). With the
    "dask" `engine`, articles are read on a Dask cluster (`scheduler`, or a LocalCluster of
    `workers` processes). With `follow_links`, symbolic links leading out of `sources` are
    read too. `speedups` are the SPEEDUPS used (`prefilter=False` leaves out the prefilter);
    none changes a finding. The report folder and the store are never read as inputs (see
    `own_output`).
    Sources with no readable article raise NoArticlesError before the store is opened; an
    interrupt raises RunInterrupted."""
    reference = load_reference(reference_dir)
    timer = timer or NoTimer()
    own = own_output(sources, out_dir=out_dir, db=db)
    items = _first_article(
        sources, iter_articles(sources, max_bytes=max_bytes, follow_links=follow_links, exclude=own)
    )
    total = count_inputs(sources, follow_links=follow_links, exclude=own)
    items = timer.each("ingest", items)
    if workers is None:
        workers = auto_workers(total)
    used = frozenset(speedups) - (set() if prefilter else {"prefilter"})
    checker = Checker(reference, model=model, speedups=used, timer=timer)
    result = RunResult(workers=workers)
    if engine == "dask":
        from pipeline.cluster import DaskReaders

        readers_of = DaskReaders(
            checker, reference_dir=reference_dir, scheduler=scheduler, workers=workers, model=model
        )
    elif engine == "local":
        readers_of = _Readers(checker, workers)
    else:
        raise UsageError(f"unknown engine {engine!r}: use local or dask")
    with (
        Store.open(db) as store,
        store.run_lock(wait=wait),
        readers_of as readers,
        _closed_on_error(store, result, total),
    ):
        started = now()
        result.run_id = store.start_run(
            reference_digest=reference.digest,
            model=checker.model_name,
            sources=[str(path) for path in sources],
        )
        batch: list[str] = []
        seen: dict[str, str] = {}  # article id -> where it was read

        def finish(job: _Job, read: Callable[[], _Read]) -> None:
            try:
                _store(job, read(), store, checker, result)
            except Exception as error:  # one bad article never stops a batch
                reason = f"internal error ({type(error).__name__}): {error}; please report it"
                result.skipped.append(Skipped(job.article.source or job.article.id, reason))
                store.count(result.run_id, failed=1)
                return
            batch.append(job.article.id)

        for item in progress(items, total) if progress is not None else items:
            if not isinstance(item, Skipped) and item.id in seen:
                item = _duplicate(item, seen[item.id])
            if isinstance(item, Skipped):
                result.skipped.append(item)
                store.count(result.run_id, failed=1)
                continue
            seen[item.id] = _where(item)
            job = _plan(item, store, checker, result, default_date=default_date, full=full)
            if job is None:
                batch.append(item.id)
                continue
            for done, read in readers.submit(job):
                finish(done, read)
        for done, read in readers.drain():
            finish(done, read)
        _count(result, store.iter_findings(article_ids=batch), batch)
        store.finish_run(result.run_id, dict(result.verdicts))
        info = RunInfo(
            started=started,
            reference=str(reference_dir),
            reference_digest=reference.digest,
            articles=result.articles,
            model=checker.model_name,
            version=__version__,
            default_date=default_date.isoformat(),
        )
        with timer.stage("report"):
            result.paths = write_reports(
                lambda: store.iter_findings(article_ids=batch, report_order=True),
                out_dir,
                skipped=result.skipped,
                run=info,
            )
    return result


MIN_ARTICLES_PER_WORKER = 8  # fewer, and a worker costs more to start than it saves
WORKER_MEMORY = 1 << 30  # room a worker needs: the model, one article's parse, spaCy's buffers


def auto_workers(articles: int) -> int:
    """Worker processes for a batch of about `articles`: one per core this process may run
    on, while each gets at least MIN_ARTICLES_PER_WORKER articles and the memory free holds
    them all (the parent counts as one); 1 (no workers) for a small batch."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    room = _available_memory() // WORKER_MEMORY
    wanted = min(cores or 1, articles // MIN_ARTICLES_PER_WORKER, max(room - 1, 1))
    return max(1, wanted)


def _available_memory() -> int:
    """Bytes of memory available to new processes (MemAvailable), or a large number where
    the system does not say."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 1 << 40


def own_output(sources: Sequence[Path], *, out_dir: Path, db: Path | str) -> dict[Path, str]:
    """What a run writes, which it must never read back as articles (path -> the reason
    listed, "" for unlisted): the report folder, or, when that folder holds a source, the
    report files in it; and the store with the files SQLite and the run lock keep beside it.
    (The hidden staging folders of a report are left out as hidden files.)"""
    own: dict[Path, str] = {}
    out = Path(os.path.realpath(out_dir))
    if any(_within(Path(os.path.realpath(source)), out) for source in sources):
        own.update({out / name: OWN_REPORT for name in REPORT_NAMES})
    else:
        own[out] = OWN_OUTPUT
    if str(db) != ":memory:":
        store = Path(os.path.realpath(db))
        own.update({store.with_name(store.name + suffix): "" for suffix in STORE_FILES})
    return own


def _within(path: Path, folder: Path) -> bool:
    """True when `path` is `folder` or lies inside it."""
    return path == folder or folder in path.parents


def _first_article(
    sources: Sequence[Path], items: Iterable[Article | Skipped]
) -> Iterator[Article | Skipped]:
    """`items`, read up to the first article at once: sources without one raise
    NoArticlesError (with what was skipped) before anything else is done."""
    stream = iter(items)
    head: list[Article | Skipped] = []
    for item in stream:
        head.append(item)
        if isinstance(item, Article):
            return itertools.chain(head, stream)
    skipped = [item for item in head if isinstance(item, Skipped)]
    where = ", ".join(display(source) for source in sources[:3])
    if len(sources) > 3:
        where += f" and {len(sources) - 3} more"
    if not skipped:
        *most, last = FORMATS
        kinds = f"{', '.join(most)} or {last}"
        raise NoArticlesError(f"no article to check in {where}: no {kinds} file found", skipped=[])
    raise NoArticlesError(
        f"no readable article in {where}: {len(skipped)} input(s) skipped (listed above)",
        skipped=skipped,
    )


@contextlib.contextmanager
def _closed_on_error(store: Store, result: RunResult, total: int) -> Iterator[None]:
    """A run that an error or an interrupt ends is marked 'failed' or 'aborted', never left
    'running' (a run already finished stays finished); an interrupt becomes RunInterrupted,
    with what was stored."""
    try:
        yield
    except BaseException as error:
        if result.run_id:
            status = "failed" if isinstance(error, Exception) else "aborted"
            with contextlib.suppress(Exception):  # the store itself may be what failed
                store.stop_run(result.run_id, status)
        if isinstance(error, KeyboardInterrupt) and not isinstance(error, RunInterrupted):
            done = result.stored + len(result.skipped)
            raise RunInterrupted(stored=result.stored, done=done, total=max(total, done)) from error
        raise


def _where(article: Article) -> str:
    """Where an article was read: its file, and its line in a batch."""
    source = article.source or article.id
    return f"{source}, line {article.line}" if article.line else source


def _duplicate(article: Article, first: str) -> Skipped:
    """The skip of an article whose id was read before in this run (at `first`)."""
    line = f" at line {article.line}" if article.line else ""
    return Skipped(
        article.source or article.id,
        f"duplicate article id {article.id!r}{line}, already read in this run ({first}); "
        "rename one, or check the folders in separate runs",
    )


@dataclass(frozen=True, slots=True)
class _Job:
    """An article to read, and what the store knew of it."""

    article: Article
    state: str  # "new", "changed" or "rechecked"
    key: str
    text_key: str
    tools: str
    cached: bytes | None  # its stored parse, if any
    default_date: date


@dataclass(frozen=True, slots=True)
class _Read:
    """What reading an article gave: its claims, and its parse when it was parsed now."""

    claims: list[Claim]
    parse: bytes | None
    sentences: int = 0  # sentences read
    parsed: int = 0  # of which parsed now
    words: tuple[int, int, int] = (0, 0, 0)  # tokens read, parsed, in sentences with claims


def _plan(
    article: Article,
    store: Store,
    checker: Checker,
    result: RunResult,
    *,
    default_date: date,
    full: bool,
) -> _Job | None:
    """What an article needs: nothing (None) when its findings stand, because its text,
    title and judging date, the reference and the tools (model, extractor, factcheck) are
    all as last time; otherwise a job to read it, from its stored parse when its text is
    unchanged."""
    key = content_hash(article, judged_at=article.published or default_date)
    text_key = text_hash(article)
    known = store.article(article.id)
    scope = "prefilter" if checker.prefilter else "full"
    tools = f"{checker.model_name}/{EXTRACTOR_VERSION}/{__version__}/{scope}"
    unchanged = known is not None and (known.content_hash, known.checked_with) == (key, tools)
    same_reference = known is not None and known.reference_digest == checker.reference.digest
    if unchanged and same_reference and not full:
        with checker.timer.stage("store"):
            store.touch(article, result.run_id)
        result.unchanged += 1
        return None
    state = "new" if known is None else "rechecked" if known.text_hash == text_key else "changed"
    cached = None if full else store.cached_parse(text_key, model=checker.model_name)
    return _Job(article, state, key, text_key, tools, cached, default_date)


# Strings (words, and their shapes and affixes) kept in spaCy's vocabulary between
# articles: about 50,000 words, some 22 MB, the common words of the language; past this,
# what an article adds is freed after it.
KEPT_STRINGS = 100_000


def _read(checker: Checker, job: _Job) -> _Read:
    """Parse (what is not cached) and extract an article's claims.

    Words and strings spaCy adds while reading the first articles stay in its vocabulary,
    so later articles find them there (building them again costs more than tokenizing);
    once KEPT_STRINGS were added, what an article adds is freed after it (memory_zone), so
    memory stays flat over any number of articles."""
    nlp = checker.nlp
    added = len(nlp.vocab.strings) - checker.strings_at_load
    growing = "vocabulary" in checker.speedups and added < KEPT_STRINGS
    with contextlib.nullcontext() if growing else nlp.memory_zone():
        parses = Parses(nlp, job.cached)
        claims = checker.claims(job.article, default_date=job.default_date, parses=parses)
        parse = parses.to_bytes() if parses.parsed or parses.recognized else None
        words = (parses.words, parses.parsed_words, parses.claim_words)
        return _Read(claims, parse, sentences=parses.sentences, parsed=parses.parsed, words=words)


TRIM_EVERY = 100  # articles stored between returns of freed memory to the system


def _release_memory() -> None:
    """Give memory freed by Python back to the system (glibc's malloc_trim).

    Each article's parse (tens of kilobytes) passes through this process on its way to the
    store; glibc keeps such freed blocks in its heap, so without this the process grows
    with the number of articles although nothing is kept. Elsewhere this does nothing."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


_LIBC = _glibc()


def _store(job: _Job, read: _Read, store: Store, checker: Checker, result: RunResult) -> None:
    """Check an article's claims and store it all in one transaction."""
    findings = checker.findings(job.article, read.claims)
    parsed = int(read.parse is not None)
    with checker.timer.stage("store"):
        store.save_checked(
            job.article,
            key=job.key,
            text_key=job.text_key,
            run_id=result.run_id,
            reference_digest=checker.reference.digest,
            findings=findings,
            claims=read.claims,
            parse=read.parse,
            model=checker.model_name,
            extractor=EXTRACTOR_VERSION,
            checked_with=job.tools,
            counts={job.state: 1, "parsed": parsed},
        )
    result.parsed += parsed
    result.sentences += read.sentences
    result.parsed_sentences += read.parsed
    (read_words, parsed_words, claim_words), more = result.words, read.words
    result.words = (read_words + more[0], parsed_words + more[1], claim_words + more[2])
    setattr(result, job.state, getattr(result, job.state) + 1)
    if (result.new + result.changed + result.rechecked) % TRIM_EVERY == 0:
        _release_memory()


_WORKER: Checker | None = None  # a worker process's checker, inherited from the run by fork


def _read_in_worker(job: _Job) -> _Read:
    assert _WORKER is not None
    return _read(_WORKER, job)


class _Readers:
    """Reads articles in this process, or in a pool of worker processes that inherit the
    loaded model (fork) and keep a bounded number of articles in flight, in order. The
    workers die with this process, however it ends."""

    def __init__(self, checker: Checker, workers: int) -> None:
        self.checker = checker
        self.workers = max(1, workers)
        self.pool: ProcessPoolExecutor | None = None
        self.pending: deque[tuple[_Job, Future[_Read]]] = deque()

    def __enter__(self) -> _Readers:
        if self.workers > 1:
            global _WORKER
            _WORKER = self.checker
            # What the workers inherit (the model above all) is left out of garbage
            # collection, which would otherwise touch it and copy it into each of them.
            gc.freeze()
            self.pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=start_worker,
                initargs=(os.getpid(),),
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            gc.unfreeze()

    def submit(self, job: _Job) -> Iterator[tuple[_Job, Callable[[], _Read]]]:
        """Start reading `job`; yield the jobs whose reading is due, in order."""
        if self.pool is None:
            yield job, lambda: _read(self.checker, job)
            return
        self.pending.append((job, self.pool.submit(_read_in_worker, job)))
        while len(self.pending) > 8 * self.workers:
            done, future = self.pending.popleft()
            yield done, future.result

    def drain(self) -> Iterator[tuple[_Job, Callable[[], _Read]]]:
        """The jobs still being read, in order."""
        while self.pending:
            done, future = self.pending.popleft()
            yield done, future.result


def _count(result: RunResult, findings: Iterable[Finding], batch: Iterable[str]) -> None:
    """Findings per verdict, and per article as a compact tuple in VERDICTS order."""
    tallies: dict[str, list[int]] = {article_id: [0] * len(VERDICTS) for article_id in batch}
    position = {verdict: i for i, verdict in enumerate(VERDICTS)}
    for finding in findings:
        tallies.setdefault(finding.article, [0] * len(VERDICTS))[position[finding.verdict]] += 1
        result.verdicts[finding.verdict] += 1
        if finding.verdict in FLAGGED and finding.flag_status == "dismissed":
            result.dismissed += 1
    result.per_article = {article: tuple(counts) for article, counts in tallies.items()}
    result.articles = result.new + result.changed + result.unchanged + result.rechecked
