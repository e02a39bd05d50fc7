"""A batch run: articles in, findings in the store, report files out.

1. load and validate the reference (a broken reference stops the run before any work);
2. take the store's run lock and record the run;
3. stream the articles; for each, by what the store remembers of it:
   - new or changed text: parse it (or reuse claims cached for that text), check, store;
   - unchanged, reference unchanged: nothing to do, its findings stand;
   - unchanged, reference changed: check its cached claims again, without parsing;
   each article is committed on its own, so a killed run keeps what it finished, and a
   bad article is skipped and reported, never fatal;
4. close the run, and write the report of this batch (with the editors' decisions).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipeline import __version__
from pipeline.check import check
from pipeline.clean import clean_text
from pipeline.extract import EXTRACTOR_VERSION, Extractor, Parses, load_model
from pipeline.ingest import iter_articles
from pipeline.models import FLAGGED, Article, Claim, Finding, Skipped
from pipeline.reference import Reference, load_reference
from pipeline.report import ReportPaths, RunInfo, write_reports
from pipeline.store import Store, content_hash, now, text_hash

DEFAULT_DB = Path("reports") / "factcheck.db"


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
    verdicts: Counter[str] = field(default_factory=Counter)
    per_article: dict[str, Counter[str]] = field(default_factory=dict)
    dismissed: int = 0  # discrepancies editors dismissed before
    skipped: list[Skipped] = field(default_factory=list)
    paths: ReportPaths | None = None

    @property
    def discrepancies(self) -> int:
        """Contradicted and outdated findings that editors have not dismissed."""
        return self.verdicts["contradicted"] + self.verdicts["outdated"] - self.dismissed


class Checker:
    """The loaded model and reference, ready to check any number of articles."""

    def __init__(
        self, reference: Reference, *, model: str | None = None, prefilter: bool = True
    ) -> None:
        self.reference = reference
        self.prefilter = prefilter
        self.nlp = load_model(model)
        self.extractor = Extractor(self.nlp, reference)
        meta = self.nlp.meta
        self.model_name = (
            f"{meta.get('lang', 'xx')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
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


Progress = Callable[[Iterable[Article | Skipped]], Iterable[Article | Skipped]]


def run(
    sources: Sequence[Path],
    *,
    reference_dir: Path,
    out_dir: Path,
    default_date: date,
    db: Path | str = ":memory:",
    model: str | None = None,
    max_bytes: int = 5_000_000,
    full: bool = False,
    wait: float = 0.0,
    prefilter: bool = True,
    progress: Progress | None = None,
) -> RunResult:
    """Check every article under `sources` against the reference, remember it in the store
    at `db`, and write the report of this batch into `out_dir`. With `full`, every article
    is parsed again."""
    reference = load_reference(reference_dir)
    items: Iterable[Article | Skipped] = iter_articles(sources, max_bytes=max_bytes)
    checker = Checker(reference, model=model, prefilter=prefilter)
    result = RunResult()
    with Store.open(db) as store, store.run_lock(wait=wait):
        started = now()
        result.run_id = store.start_run(
            reference_digest=reference.digest,
            model=checker.model_name,
            sources=[str(path) for path in sources],
        )
        batch: list[str] = []
        sources_of: dict[str, str] = {}
        for item in progress(items) if progress is not None else items:
            if not isinstance(item, Skipped) and item.id in sources_of:
                item = Skipped(
                    item.source or item.id,
                    f"duplicate article id {item.id!r} (first from {sources_of[item.id]}); "
                    "rename one, or check the folders in separate runs",
                )
            if isinstance(item, Skipped):
                result.skipped.append(item)
                store.count(result.run_id, failed=1)
                continue
            sources_of[item.id] = item.source or item.id
            try:
                _check_one(item, store, checker, result, default_date=default_date, full=full)
            except Exception as error:  # one bad article never stops a batch
                reason = f"internal error ({type(error).__name__}): {error}; please report it"
                result.skipped.append(Skipped(item.source or item.id, reason))
                store.count(result.run_id, failed=1)
                continue
            batch.append(item.id)
        findings = store.findings(article_ids=batch)
        _count(result, findings, batch)
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
    result.paths = write_reports(findings, out_dir, skipped=result.skipped, run=info)
    return result


def _check_one(
    article: Article,
    store: Store,
    checker: Checker,
    result: RunResult,
    *,
    default_date: date,
    full: bool,
) -> None:
    """Check one article as what the store remembers of it requires, and store it.

    Findings stand when the article's text, title and judging date, the reference and the
    tools (model, extractor, factcheck) are all as last time. Otherwise it is read again:
    from its stored parse when its text is unchanged, else parsed."""
    key = content_hash(article, judged_at=article.published or default_date)
    text_key = text_hash(article)
    known = store.article(article.id)
    digest = checker.reference.digest
    scope = "prefilter" if checker.prefilter else "full"
    tools = f"{checker.model_name}/{EXTRACTOR_VERSION}/{__version__}/{scope}"
    run_id = result.run_id
    unchanged = known is not None and (known.content_hash, known.checked_with) == (key, tools)
    if unchanged and known is not None and known.reference_digest == digest and not full:
        store.touch(article, run_id)
        result.unchanged += 1
        return
    state = "new" if known is None else "rechecked" if known.text_hash == text_key else "changed"
    cached = None if full else store.cached_parse(text_key, model=checker.model_name)
    parses = Parses(checker.nlp, cached)
    claims = checker.claims(article, default_date=default_date, parses=parses)
    parsed = int(parses.parsed > 0)
    store.save_checked(
        article,
        key=key,
        text_key=text_key,
        run_id=run_id,
        reference_digest=digest,
        findings=checker.findings(article, claims),
        claims=claims,
        parse=parses.to_bytes() if parses.parsed else None,
        model=checker.model_name,
        extractor=EXTRACTOR_VERSION,
        checked_with=tools,
        counts={state: 1, "parsed": parsed},
    )
    result.parsed += parsed
    setattr(result, state, getattr(result, state) + 1)


def _count(result: RunResult, findings: Iterable[Finding], batch: Iterable[str]) -> None:
    per_article: dict[str, Counter[str]] = {article_id: Counter() for article_id in batch}
    for finding in findings:
        per_article.setdefault(finding.article, Counter())[finding.verdict] += 1
        result.verdicts[finding.verdict] += 1
        if finding.verdict in FLAGGED and finding.flag_status == "dismissed":
            result.dismissed += 1
    result.per_article = per_article
    result.articles = result.new + result.changed + result.unchanged + result.rechecked
