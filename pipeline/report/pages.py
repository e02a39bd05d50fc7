"""Write the report's HTML: one page, or for a large run an index and pages of findings.

A run whose report lists more than PAGE_ROWS findings is split so that no page grows with the
run: the index (report.html) keeps the header, summary, articles, most disputed facts and
skipped inputs, and links to pages in PAGES_DIR that list the findings of consecutive articles
(at most PAGE_ROWS rows each, unless one article alone lists more). Every page is
self-contained (inline CSS and script, the same CSP) and links to the others relatively, so the
folder can be moved or opened from disk.

The findings are read twice: once to count them (`tally`), once to render each listed row into
a spool file per page and section, in the staging folder; each page then copies its rows from
those files. Memory holds the counts and the disputed findings, never the rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast
from urllib.parse import quote

from markupsafe import Markup

from pipeline.models import FLAGGED, VERDICTS, Finding, Skipped

from .html import (
    ROW_LIMIT,
    SECTIONS,
    ArticleSummary,
    RunInfo,
    Tally,
    build_sections,
    environment,
    finding_row,
    html_chunks,
    summary_context,
    tally,
    to_row,
)
from .staging import Staging

PAGE_ROWS = 500  # finding rows (disputed copies included) a page lists before the report splits
PAGES_DIR = "report-pages"  # the folder of the pages, beside the index
SPOOL_DIR = ".rows"  # in the staging folder: rendered rows waiting for their page
SPOOL_CHUNK = 1 << 16  # characters copied from a spool file at a time
SECTION_OF = {verdict: section_id for section_id, _, verdicts in SECTIONS for verdict in verdicts}


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What a page of findings says about itself; links are relative to the page."""

    number: int
    count: int
    index: str
    previous: str  # "" on the first page
    next: str  # "" on the last page
    first: str  # its first and last article
    last: str


@dataclass(frozen=True, slots=True)
class PageLink:
    """One line of the index's list of pages; href is relative to the index."""

    number: int
    href: str
    first: str
    last: str
    rows: int
    discrepancies: int


@dataclass(frozen=True, slots=True)
class Plan:
    """How a large run's report is split, and what every page shares."""

    groups: list[list[str]]  # the articles of each page, in order
    names: list[str]  # the file name of each page
    counted: Tally
    left_out: Counter[str]  # verdicts counted, not listed
    context: dict[str, object]  # the template context every page shares
    spool: Path  # the rendered rows, one file per page and section
    index: str  # the index's name, beside PAGES_DIR

    @property
    def summaries(self) -> list[ArticleSummary]:
        return cast("list[ArticleSummary]", self.context["articles"])


def write_html(
    source: Callable[[], Iterable[Finding]],
    stage: Staging,
    *,
    index_name: str,
    skipped: Sequence[Skipped] = (),
    run: RunInfo | None = None,
    row_limit: int = ROW_LIMIT,
    page_rows: int = PAGE_ROWS,
) -> tuple[str, ...]:
    """Write the report's HTML into `stage`: `index_name` alone when it lists at most
    `page_rows` findings, else `index_name` as an index and the pages of findings in
    PAGES_DIR. Returns the pages' names relative to the report folder (none for one page)."""
    counted = tally(source())
    left_out = counted.left_out(row_limit)
    rows = rows_per_article(counted, left_out)
    if sum(rows.values()) <= page_rows:
        with stage.open(index_name) as handle:
            for chunk in html_chunks(source, skipped=skipped, run=run, counted=counted):
                handle.write(chunk)
        return ()
    # 1. Plan the pages; 2. render the rows into spool files; 3. write the pages; 4. the index.
    groups = plan_pages(rows, page_rows=page_rows)
    plan = Plan(
        groups=groups,
        names=[page_name(number, len(groups)) for number in range(1, len(groups) + 1)],
        counted=counted,
        left_out=left_out,
        context=summary_context(counted, skipped=skipped, run=run),
        spool=stage.path(SPOOL_DIR),
        index=index_name,
    )
    page_of = {article: i for i, group in enumerate(groups) for article in group}
    plan.spool.mkdir()
    _spool_rows(source, plan.spool, page_of=page_of, left_out=left_out)
    stage.path(PAGES_DIR).mkdir()
    links = [_write_page(stage, plan, i) for i in range(len(groups))]
    articles = [
        replace(summary, href=_article_link(summary.article, plan.names[page_of[summary.article]]))
        for summary in plan.summaries
    ]
    _render(stage, index_name, plan.context, pages=links, sections=[], articles=articles)
    return tuple(link.href for link in links)


def _write_page(stage: Staging, plan: Plan, i: int) -> PageLink:
    """Write page `i` of findings (the articles `plan.groups[i]`); return the index's link."""
    group, members, names = plan.groups[i], set(plan.groups[i]), plan.names
    counts = _counts(plan.counted, group)
    render = finding_row()
    sections = build_sections(
        counts,
        Counter({verdict: n for verdict, n in counts.items() if verdict in plan.left_out}),
        lambda verdicts: _Spooled(plan.spool, i, verdicts),
        [render(to_row(f)) for f in plan.counted.disputed if f.article in members],
    )
    page = PageInfo(
        number=i + 1,
        count=len(names),
        index=f"../{plan.index}",
        previous=names[i - 1] if i else "",
        next=names[i + 1] if i + 1 < len(names) else "",
        first=group[0],
        last=group[-1],
    )
    articles = [summary for summary in plan.summaries if summary.article in members]
    name = f"{PAGES_DIR}/{names[i]}"
    _render(stage, name, plan.context, page=page, sections=sections, articles=articles)
    return PageLink(
        number=i + 1,
        href=name,
        first=group[0],
        last=group[-1],
        rows=sum(section.count for section in sections if not section.copies),
        discrepancies=sum(counts[verdict] for verdict in FLAGGED),
    )


def _article_link(article: str, name: str) -> str:
    """The link from the index to the page `name`, opened filtered to `article`."""
    return f"{PAGES_DIR}/{name}#article={quote(article, safe='')}"


def _render(stage: Staging, name: str, context: dict[str, object], **changes: object) -> None:
    """Write the page `name` of the report template, with `changes` to the shared context."""
    template = environment().get_template("report.html.j2")
    with stage.open(name) as handle:
        for chunk in template.generate({**context, **changes}):
            handle.write(chunk)


def rows_per_article(counted: Tally, left_out: Counter[str]) -> dict[str, int]:
    """The rows each article's findings take in the report: its findings of the verdicts
    listed (not `left_out`) and the copies of its disputed findings."""
    listed = [i for i, verdict in enumerate(VERDICTS) if verdict not in left_out]
    rows = {
        article: sum(counts[i] for i in listed) for article, counts in counted.per_article.items()
    }
    for finding in counted.disputed:
        rows[finding.article] += 1
    return rows


def plan_pages(rows: dict[str, int], *, page_rows: int) -> list[list[str]]:
    """The articles, in order, grouped into pages of at most `page_rows` rows. An article is
    never split: one that alone has more rows gets a page of its own. Articles without rows
    (all their findings counted, not listed) go with their neighbours."""
    groups: list[list[str]] = []
    size = 0
    for article in sorted(rows):
        if not groups or (size + rows[article] > page_rows and size > 0):
            groups.append([])
            size = 0
        groups[-1].append(article)
        size += rows[article]
    return groups


def page_name(number: int, count: int) -> str:
    """The file name of page `number` of `count`, numbered so that names sort in page order."""
    return f"page-{number:0{max(3, len(str(count)))}d}.html"


def _counts(counted: Tally, articles: Sequence[str]) -> Counter[str]:
    """The findings per verdict of these articles."""
    total: Counter[str] = Counter()
    for article in articles:
        for verdict, n in zip(VERDICTS, counted.per_article[article], strict=True):
            total[verdict] += n
    return total


def _spool_path(spool: Path, page: int, section_id: str) -> Path:
    return spool / f"{page}-{section_id}.html"


def _spool_rows(
    source: Callable[[], Iterable[Finding]],
    spool: Path,
    *,
    page_of: dict[str, int],
    left_out: Counter[str],
) -> None:
    """Render each listed finding's row into the spool file of its page and section, in one
    pass. Findings come by section, then article, so one file is open at a time; a file is
    appended to should they come in another order."""
    render = finding_row()
    current: tuple[int, str] | None = None
    handle = None
    try:
        for finding in source():
            page = page_of.get(finding.article)
            if page is None or finding.verdict in left_out:
                continue  # an article the first pass did not see, or a verdict only counted
            key = (page, SECTION_OF[finding.verdict])
            if key != current:
                if handle is not None:
                    handle.close()
                handle = _spool_path(spool, *key).open("a", encoding="utf-8")
                current = key
            handle.write(render(to_row(finding)))
    finally:
        if handle is not None:
            handle.close()


class _Spooled:
    """The rendered rows of one page's section, copied from its spool file when iterated."""

    def __init__(self, spool: Path, page: int, verdicts: frozenset[str]) -> None:
        self.path = _spool_path(spool, page, SECTION_OF[next(iter(verdicts))])

    def __iter__(self) -> Iterator[Markup]:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as handle:
            while chunk := handle.read(SPOOL_CHUNK):
                yield Markup(chunk)  # rows the template rendered, so escaped already
