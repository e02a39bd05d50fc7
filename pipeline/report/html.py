"""Render findings as self-contained HTML pages (inline CSS and JS, strict CSP).

`html_chunks` writes the whole report as one page; `pipeline.report.pages` splits a large run
into an index and pages of findings with the same template."""

from __future__ import annotations

import base64
import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from pipeline.models import FLAG_STATUSES, FLAGGED, VERDICTS, Finding, Skipped

from .files import format_confidence

ROW_LIMIT = 5_000  # unverified and supported rows a report lists before it counts them instead
VERDICT_SYMBOLS = {"contradicted": "✗", "outdated": "↺", "unverified": "?", "supported": "✓"}
SECTIONS = (
    ("discrepancies", "Discrepancies", tuple(v for v in VERDICTS if v in FLAGGED)),
    ("unverified", "Unverified", ("unverified",)),
    ("supported", "Supported", ("supported",)),
)
DISPUTED_AFTER = "discrepancies"  # the Disputed section follows this one
NOTES_SHOWN = 5  # notes listed per fact in the most-disputed table; the rest are counted
LINK_SCHEMES = ("http://", "https://")
CHART_WIDTH = 240  # the longest bar, in SVG user units


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What the report header says about the run that produced it."""

    started: str
    reference: str
    reference_digest: str
    articles: int
    model: str
    version: str
    default_date: str


@dataclass(frozen=True, slots=True)
class Row:
    """One finding as the template shows it, the sentence split around the claim."""

    finding_id: str
    verdict: str
    symbol: str  # shown beside the verdict's name
    rank: int
    article: str
    title: str
    as_of: str
    before: str
    claim: str
    after: str
    claimed_value: str
    reference_value: str
    explanation: str
    confidence: str
    source: str
    source_is_link: bool
    source_host: str  # what a source link shows: its site
    fact_id: str
    flag: str  # the decision, "open" when none was recorded
    flag_rank: int
    flag_note: str
    flag_by: str
    flagged_at: str


@dataclass(frozen=True, slots=True)
class Section:
    """A findings table: its anchor id, heading and rows."""

    id: str
    title: str
    verdicts: tuple[str, ...]
    rows: Iterable[Markup]  # the rendered <tr> elements, iterated once as the page is written
    copies: bool = False  # its rows also stand in a verdict section (the Disputed section)
    summarised: int = 0  # findings left out of a large report, counted instead
    count: int = 0  # how many rows


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One line of the per-article table."""

    article: str
    title: str
    published: str
    counts: tuple[int, ...]  # in VERDICTS order
    total: int
    href: str = ""  # on the index of a split report: the page listing its findings


@dataclass(frozen=True, slots=True)
class DisputedFact:
    """One line of the most-disputed reference facts table."""

    fact_id: str
    count: int
    notes: tuple[str, ...]  # at most NOTES_SHOWN, in report order
    more: int  # notes not shown


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of the verdict chart, laid out in SVG user units."""

    verdict: str
    count: int
    y: int
    width: float


def csp_hash(script: str) -> str:
    """The CSP hash source ("sha256-…", to be single-quoted) allowing exactly this script."""
    digest = hashlib.sha256(str(script).encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def is_link(source: str) -> bool:
    """True when a source is safe to show as a link: an http or https URL."""
    return source.lower().startswith(LINK_SCHEMES)


def split_sentence(sentence: str, start: int, end: int) -> tuple[str, str, str]:
    """The sentence as (before, claim, after), the offsets clamped into the sentence."""
    start = max(0, min(start, len(sentence)))
    end = max(start, min(end, len(sentence)))
    return sentence[:start], sentence[start:end], sentence[end:]


def decision(finding: Finding) -> str:
    """The editors' decision on a finding: its flag_status, "open" when none was recorded."""
    return finding.flag_status or "open"


def to_row(finding: Finding) -> Row:
    """The template's view of one finding."""
    before, claim, after = split_sentence(finding.sentence, finding.start, finding.end)
    return Row(
        finding_id=finding.finding_id,
        verdict=finding.verdict,
        symbol=VERDICT_SYMBOLS[finding.verdict],
        rank=VERDICTS.index(finding.verdict),
        article=finding.article,
        title=finding.title,
        as_of=finding.as_of,
        before=before,
        claim=claim,
        after=after,
        claimed_value=finding.claimed_value,
        reference_value=finding.reference_value,
        explanation=finding.explanation,
        confidence=format_confidence(finding.confidence),
        source=finding.source,
        source_is_link=is_link(finding.source),
        source_host=urlsplit(finding.source).hostname or finding.source
        if is_link(finding.source)
        else "",
        fact_id=finding.fact_id,
        flag=decision(finding),
        flag_rank=FLAG_STATUSES.index(decision(finding)),
        flag_note=finding.flag_note,
        flag_by=finding.flag_by,
        flagged_at=finding.flagged_at,
    )


def disputed_facts(findings: Sequence[Finding]) -> list[DisputedFact]:
    """Reference facts by number of disputed findings, most first, then by fact_id."""
    notes: dict[str, list[str]] = {}
    counts: Counter[str] = Counter()
    for finding in findings:
        if decision(finding) != "disputed" or not finding.fact_id:
            continue
        counts[finding.fact_id] += 1
        if finding.flag_note.strip():
            notes.setdefault(finding.fact_id, []).append(finding.flag_note)
    return [
        DisputedFact(
            fact_id=fact_id,
            count=count,
            notes=tuple(notes.get(fact_id, [])[:NOTES_SHOWN]),
            more=max(0, len(notes.get(fact_id, [])) - NOTES_SHOWN),
        )
        for fact_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def chart_bars(counts: Counter[str]) -> list[Bar]:
    """One bar per verdict, scaled so the largest count fills CHART_WIDTH."""
    largest = max(counts.values(), default=0) or 1
    return [
        Bar(
            verdict=verdict,
            count=counts[verdict],
            y=i * 28,
            width=CHART_WIDTH * counts[verdict] / largest,
        )
        for i, verdict in enumerate(VERDICTS)
    ]


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment: package templates, autoescaping on, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.report", "templates"),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "j2"), default_for_string=True, default=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["csp_hash"] = csp_hash
    return env


@dataclass(frozen=True, slots=True)
class Tally:
    """What one pass over the findings counts, for the summary and to plan the pages."""

    counts: Counter[str]  # per verdict
    decisions: Counter[str]  # per decision ("open" when none)
    per_article: dict[str, list[int]]  # counts in VERDICTS order
    about: dict[str, tuple[str, str]]  # article -> (title, published)
    disputed: list[Finding]  # in report order
    dismissed: int  # discrepancies the editors dismissed

    def left_out(self, row_limit: int) -> Counter[str]:
        """Findings per verdict counted instead of listed: unverified and supported ones
        when there are more than `row_limit` of them."""
        others = Counter({v: n for v, n in self.counts.items() if v not in FLAGGED})
        return others if sum(others.values()) > row_limit else Counter()


def tally(findings: Iterable[Finding]) -> Tally:
    """Count findings per verdict, decision and article; keep the disputed ones."""
    counts: Counter[str] = Counter()
    decisions: Counter[str] = Counter()
    per_article: dict[str, list[int]] = {}
    about: dict[str, tuple[str, str]] = {}
    disputed: list[Finding] = []
    dismissed = 0
    position = {verdict: i for i, verdict in enumerate(VERDICTS)}
    for finding in findings:
        flag = decision(finding)
        counts[finding.verdict] += 1
        decisions[flag] += 1
        about.setdefault(finding.article, (finding.title, finding.published))
        per_article.setdefault(finding.article, [0] * len(VERDICTS))[position[finding.verdict]] += 1
        if flag == "disputed":
            disputed.append(finding)
        dismissed += finding.verdict in FLAGGED and flag == "dismissed"
    return Tally(counts, decisions, per_article, about, disputed, dismissed)


def summary_context(
    counted: Tally, *, skipped: Sequence[Skipped], run: RunInfo | None
) -> dict[str, object]:
    """The template context every page shares: the run, the counts and the articles."""
    counts = counted.counts
    return {
        "run": run,
        "verdicts": VERDICTS,
        "symbols": VERDICT_SYMBOLS,
        "counts": {verdict: counts[verdict] for verdict in VERDICTS},
        "total": sum(counts.values()),
        "discrepancies": sum(counts[verdict] for verdict in FLAGGED),
        "dismissed": counted.dismissed,
        "flags": FLAG_STATUSES,
        "flag_counts": {flag: counted.decisions[flag] for flag in FLAG_STATUSES},
        "disputed_facts": disputed_facts(counted.disputed),
        "bars": chart_bars(counts),
        "chart_width": CHART_WIDTH,
        "articles": _article_summaries(counted.per_article, counted.about),
        "skipped": list(skipped),
        "page": None,  # a page of findings of a split report (see pages.py)
        "pages": (),  # the pages an index links to
    }


def finding_row() -> Callable[[Row], Markup]:
    """The template macro that renders one finding as a table row."""
    return environment().get_template("_rows.html.j2").module.finding_row  # type: ignore[attr-defined]


def render_html(
    findings: Iterable[Finding] | Callable[[], Iterable[Finding]],
    *,
    skipped: Sequence[Skipped] = (),
    run: RunInfo | None = None,
    row_limit: int = ROW_LIMIT,
) -> str:
    """The report page for findings in report order (see `html_chunks`)."""
    return "".join(html_chunks(findings, skipped=skipped, run=run, row_limit=row_limit))


def html_chunks(
    findings: Iterable[Finding] | Callable[[], Iterable[Finding]],
    *,
    skipped: Sequence[Skipped] = (),
    run: RunInfo | None = None,
    row_limit: int = ROW_LIMIT,
    counted: Tally | None = None,
) -> Iterator[str]:
    """The report as one page, for findings in report order, as chunks to write.

    Every finding is counted. Discrepancies and disputed findings are always listed in
    full; unverified and supported ones are listed too unless there are more than
    `row_limit` of them, when they are counted per article instead (the CSV and JSONL
    files list everything), so the page stays small and quick for large runs. Given a
    function, the findings are read from it again for each section as the page is written,
    so memory does not grow with the run. `counted` is the tally of the findings when the
    caller already has it."""
    if callable(findings):
        source = findings
    else:
        kept = list(findings)
        source = lambda: kept  # noqa: E731 - the same list each time
    if counted is None:
        counted = tally(source())
    context = summary_context(counted, skipped=skipped, run=run)
    render = finding_row()
    context["sections"] = build_sections(
        counted.counts,
        counted.left_out(row_limit),
        lambda verdicts: _Rows(source, verdicts),
        [render(to_row(finding)) for finding in counted.disputed],
    )
    return environment().get_template("report.html.j2").generate(context)


def build_sections(
    counts: Counter[str],
    left_out: Counter[str],
    rows: Callable[[frozenset[str]], Iterable[Markup]],
    disputed: Sequence[Markup],
) -> list[Section]:
    """The findings tables in page order, the Disputed section right after DISPUTED_AFTER.

    `counts` are the findings per verdict the page covers, `left_out` those of them counted
    instead of listed; `rows(verdicts)` gives a section's rendered rows when the page reaches
    them, `disputed` the rendered rows of the disputed findings."""
    sections = []
    for section_id, title, verdicts in SECTIONS:
        summarised = sum(left_out[verdict] for verdict in verdicts)
        listed = 0 if summarised else sum(counts[verdict] for verdict in verdicts)
        sections.append(
            Section(
                id=section_id,
                title=title,
                verdicts=verdicts,
                rows=rows(frozenset(verdicts)) if listed else (),
                summarised=summarised,
                count=listed,
            )
        )
        if section_id == DISPUTED_AFTER:
            sections.append(
                Section(
                    id="disputed",
                    title="Disputed",
                    verdicts=VERDICTS,
                    rows=disputed,
                    copies=True,
                    count=len(disputed),
                )
            )
    return sections


class _Rows:
    """The rows of one section, read from the findings when iterated."""

    def __init__(self, source: Callable[[], Iterable[Finding]], verdicts: frozenset[str]) -> None:
        self.source = source
        self.verdicts = verdicts

    def __iter__(self) -> Iterator[Markup]:
        render = finding_row()
        return (render(to_row(f)) for f in self.source() if f.verdict in self.verdicts)


def _article_summaries(
    tallies: dict[str, list[int]], about: dict[str, tuple[str, str]]
) -> list[ArticleSummary]:
    """One summary per article, most discrepancies first, then by article."""
    summaries = [
        ArticleSummary(
            article=article,
            title=about[article][0],
            published=about[article][1],
            counts=tuple(tally),
            total=sum(tally),
        )
        for article, tally in tallies.items()
    ]
    flagged = [VERDICTS.index(verdict) for verdict in FLAGGED]
    return sorted(summaries, key=lambda s: (-sum(s.counts[i] for i in flagged), s.article))
