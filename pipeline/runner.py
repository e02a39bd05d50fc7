"""A batch run: articles in, findings and report files out.

1. load and validate the reference (a broken reference stops the run before any work);
2. load the model once;
3. stream the articles: extract, check, keep the findings; a bad article is skipped and
   reported, never fatal;
4. write the report files atomically.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from pipeline import __version__
from pipeline.check import check
from pipeline.clean import clean_text
from pipeline.extract import Extractor, load_model
from pipeline.ingest import iter_articles
from pipeline.models import Article, Finding, Skipped
from pipeline.reference import Reference, load_reference
from pipeline.report import ReportPaths, RunInfo, write_reports


@dataclass(slots=True)
class RunResult:
    """What a run did: counts per verdict and per article, skipped inputs, files written."""

    articles: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    per_article: dict[str, Counter[str]] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    paths: ReportPaths | None = None

    @property
    def discrepancies(self) -> int:
        """Contradicted and outdated findings."""
        return self.verdicts["contradicted"] + self.verdicts["outdated"]


class Checker:
    """The loaded model and reference, ready to check any number of articles."""

    def __init__(self, reference: Reference, *, model: str | None = None) -> None:
        self.reference = reference
        self.nlp = load_model(model)
        self.extractor = Extractor(self.nlp, reference)
        self.model_name = f"{self.nlp.meta.get('lang', 'xx')}_{self.nlp.meta.get('name', '?')}"
        self.model_name += f"-{self.nlp.meta.get('version', '?')}"

    def check_article(
        self, article: Article, *, default_date: date, given: bool = False
    ) -> list[Finding]:
        """Findings for one article."""
        claims = self.extractor.extract(article, default_date=default_date, given=given)
        return list(check(claims, self.reference, article=article))

    def check_text(self, text: str, *, as_of: date, article_id: str = "<text>") -> list[Finding]:
        """Findings for a piece of text judged at `as_of`."""
        article = Article(id=article_id, text=clean_text(text), published=as_of, date_source="")
        return self.check_article(article, default_date=as_of, given=True)


def run(
    sources: Sequence[Path],
    *,
    reference_dir: Path,
    out_dir: Path,
    default_date: date,
    model: str | None = None,
    max_bytes: int = 5_000_000,
    progress: Callable[[Iterable[Article | Skipped]], Iterable[Article | Skipped]] | None = None,
) -> RunResult:
    """Check every article under `sources` and write the reports into `out_dir`."""
    reference = load_reference(reference_dir)
    checker = Checker(reference, model=model)
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    result = RunResult()
    findings: list[Finding] = []
    items: Iterable[Article | Skipped] = iter_articles(sources, max_bytes=max_bytes)
    if progress is not None:
        items = progress(items)
    for item in items:
        if isinstance(item, Skipped):
            result.skipped.append(item)
            continue
        try:
            article_findings = checker.check_article(item, default_date=default_date)
        except Exception as error:  # one bad article never stops a batch
            reason = f"internal error ({type(error).__name__}): {error}; please report it"
            result.skipped.append(Skipped(item.source or item.id, reason))
            continue
        result.articles += 1
        counts = Counter(f.verdict for f in article_findings)
        result.per_article[item.id] = counts
        result.verdicts.update(counts)
        findings.extend(article_findings)
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
