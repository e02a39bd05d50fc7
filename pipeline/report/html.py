"""Render findings as one self-contained HTML page (inline CSS and JS, strict CSP)."""

from __future__ import annotations

import base64
import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import jinja2

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
    rows: Iterable[Row]  # iterated once, as the page is written
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
) -> Iterator[str]:
    """The report page for findings in report order, as chunks to write.

    Every finding is counted. Discrepancies and disputed findings are always listed in
    full; unverified and supported ones are listed too unless there are more than
    `row_limit` of them, when they are counted per article instead (the CSV and JSONL
    files list everything), so the page stays small and quick for large runs. Given a
    function, the findings are read from it again for each section as the page is written,
    so memory does not grow with the run."""
    if callable(findings):
        source = findings
    else:
        kept = list(findings)
        source = lambda: kept  # noqa: E731 - the same list each time
    counts: Counter[str] = Counter()
    decisions: Counter[str] = Counter()
    tallies: dict[str, list[int]] = {}  # per article: counts in VERDICTS order
    about: dict[str, tuple[str, str]] = {}
    disputed: list[Finding] = []
    dismissed = 0
    position = {verdict: i for i, verdict in enumerate(VERDICTS)}
    for finding in source():
        flag = decision(finding)
        counts[finding.verdict] += 1
        decisions[flag] += 1
        about.setdefault(finding.article, (finding.title, finding.published))
        tallies.setdefault(finding.article, [0] * len(VERDICTS))[position[finding.verdict]] += 1
        if flag == "disputed":
            disputed.append(finding)
        dismissed += finding.verdict in FLAGGED and flag == "dismissed"
    others = sum(n for verdict, n in counts.items() if verdict not in FLAGGED)
    left_out = (
        Counter()
        if others <= row_limit
        else Counter({verdict: n for verdict, n in counts.items() if verdict not in FLAGGED})
    )
    template = environment().get_template("report.html.j2")
    return template.generate(
        run=run,
        verdicts=VERDICTS,
        symbols=VERDICT_SYMBOLS,
        counts={verdict: counts[verdict] for verdict in VERDICTS},
        total=sum(counts.values()),
        discrepancies=sum(counts[verdict] for verdict in FLAGGED),
        dismissed=dismissed,
        flags=FLAG_STATUSES,
        flag_counts={flag: decisions[flag] for flag in FLAG_STATUSES},
        disputed_facts=disputed_facts(disputed),
        bars=chart_bars(counts),
        chart_width=CHART_WIDTH,
        articles=_article_summaries(tallies, about),
        sections=_lazy_sections(source, counts, disputed, left_out),
        skipped=list(skipped),
    )


def _lazy_sections(
    source: Callable[[], Iterable[Finding]],
    counts: Counter[str],
    disputed: list[Finding],
    left_out: Counter[str],
) -> list[Section]:
    """The findings tables in page order, each reading its rows from `source` when the
    page reaches it; the Disputed section right after DISPUTED_AFTER."""
    sections = []
    for section_id, title, verdicts in SECTIONS:
        summarised = sum(left_out[verdict] for verdict in verdicts)
        listed = 0 if summarised else sum(counts[verdict] for verdict in verdicts)
        rows = _Rows(source, frozenset(verdicts)) if listed else ()
        sections.append(
            Section(
                id=section_id,
                title=title,
                verdicts=verdicts,
                rows=rows,
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
                    rows=tuple(to_row(f) for f in disputed),
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

    def __iter__(self) -> Iterator[Row]:
        return (to_row(f) for f in self.source() if f.verdict in self.verdicts)


def _group(verdict: str) -> int:
    return 0 if verdict in FLAGGED else 1 if verdict == "unverified" else 2


def _article_summaries(
    tallies: dict[str, list[int]], about: dict[str, tuple[str, str]]
) -> list[ArticleSummary]:
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
