"""What `factcheck serve` reads from the store: the queue of current findings (filtered, one
page at a time), one finding, one article with its claims placed in its text, and the
reference facts editors dispute most. Decisions are written by `Store.decide`, as
`factcheck flag` writes them.

A page is found in two steps: the row ids of the page from the store's covering index in
queue order (`findings_by_run`: no finding's JSON is read to filter or count), then the
findings of those ids. Filters on verdict, decision, article, entity, attribute and fact
cost an index scan; the search reads the findings' words (`finding_words`), and notes.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from pipeline.check import finding_id as make_finding_id
from pipeline.models import FLAG_STATUSES, FLAGGED, VERDICTS
from pipeline.store import Decision, Store, StoreError, id_chunks

DISCREPANCIES = tuple(v for v in VERDICTS if v in FLAGGED)
PER_PAGE = 50
MAX_PER_PAGE = 200
NOTES_SHOWN = 3  # latest notes shown per disputed fact
# Current findings (of the run that last read their article), and their latest decision.
CURRENT = "FROM findings f JOIN articles a ON a.id = f.article_id AND a.findings_run = f.run_id "
LATEST = "LEFT JOIN flags d ON d.id = (SELECT MAX(id) FROM flags WHERE finding_id = f.finding_id) "
QUEUE_ORDER = "ORDER BY f.run_id DESC, f.article_id, f.rowid"  # newest run, article, reading
COLUMNS = (
    "f.rowid, f.finding_id, f.run_id, f.data, a.id, a.title, a.url, "
    "d.status, d.note, d.by, d.at, a.findings_run = f.run_id"
)


class FilterError(ValueError):
    """A filter value the queue does not know (a verdict, a decision, a page)."""


@dataclass(frozen=True, slots=True)
class Filters:
    """What the queue shows: verdicts and decisions (an empty tuple: any), and exact article,
    entity, attribute and fact ids, and words to search for (empty: any)."""

    verdicts: tuple[str, ...] = DISCREPANCIES
    statuses: tuple[str, ...] = ("open",)
    article: str = ""
    entity: str = ""
    attribute: str = ""
    fact: str = ""
    search: str = ""

    def where(self) -> tuple[str, list[object]]:
        """The SQL condition (over CURRENT) and its parameters."""
        terms = ["1 = 1"]
        params: list[object] = []
        if self.verdicts and set(self.verdicts) != set(VERDICTS):
            terms.append(f"f.verdict IN ({', '.join('?' * len(self.verdicts))})")
            params += self.verdicts
        if self.statuses and set(self.statuses) != set(FLAG_STATUSES):
            terms.append(f"coalesce(d.status, 'open') IN ({', '.join('?' * len(self.statuses))})")
            params += self.statuses
        for column, value in (
            ("f.article_id", self.article),
            ("f.fact_id", self.fact),
        ):
            if value:
                terms.append(f"{column} = ?")
                params.append(value)
        for column, value in (("f.entity", self.entity), ("f.attribute", self.attribute)):
            if value:
                terms.append(f"{column} = ? COLLATE NOCASE")
                params.append(value)
        words = self.search.strip()
        if words:  # in the finding's words, or in a note of a decision on it
            terms.append(
                "(instr(w.words, lower(?)) > 0 OR f.finding_id IN "
                "(SELECT finding_id FROM flags WHERE instr(lower(note), lower(?)) > 0))"
            )
            params += [words, words]
        return " AND ".join(terms), params

    def source(self) -> str:
        """The tables the filters read: the current findings, their latest decisions when
        filtered by decision, their words when searched."""
        source = CURRENT
        if self.statuses and set(self.statuses) != set(FLAG_STATUSES):
            source += LATEST
        if self.search.strip():
            source += "JOIN finding_words w ON w.id = f.rowid "
        return source

    def query(self) -> list[tuple[str, str]]:
        """These filters as URL query parameters (defaults left out)."""
        pairs: list[tuple[str, str]] = []
        if self.verdicts != DISCREPANCIES:
            pairs += [("verdict", v) for v in self.verdicts] or [("verdict", "all")]
        if self.statuses != ("open",):
            pairs += [("status", s) for s in self.statuses] or [("status", "any")]
        for name, value in (
            ("article", self.article),
            ("entity", self.entity),
            ("attribute", self.attribute),
            ("fact", self.fact),
            ("q", self.search),
        ):
            if value:
                pairs.append((name, value))
        return pairs


def parse_filters(params: Sequence[tuple[str, str]]) -> Filters:
    """Filters from URL query parameters: `verdict` and `status` (repeatable; `all` or `any`
    for every one), `article`, `entity`, `attribute`, `fact`, `q`. Raises FilterError."""
    given: dict[str, list[str]] = {}
    for name, value in params:
        given.setdefault(name, []).append(value.strip())
    verdicts = _choices(given.get("verdict"), VERDICTS, "verdict", everything=("all", "any"))
    statuses = _choices(given.get("status"), FLAG_STATUSES, "status", everything=("any", "all"))

    def one(name: str) -> str:
        values = [v for v in given.get(name, []) if v]
        return values[-1] if values else ""

    return Filters(
        verdicts=DISCREPANCIES if verdicts is None else verdicts,
        statuses=("open",) if statuses is None else statuses,
        article=one("article"),
        entity=one("entity"),
        attribute=one("attribute"),
        fact=one("fact"),
        search=one("q"),
    )


def _choices(
    values: list[str] | None, known: Sequence[str], name: str, *, everything: Sequence[str]
) -> tuple[str, ...] | None:
    """The chosen values in `known` order; () for every one; None when none was given."""
    wanted = [value.lower() for value in values or [] if value]
    if not wanted:
        return None
    if any(value in everything for value in wanted):
        return ()
    unknown = [value for value in wanted if value not in known]
    if unknown:
        raise FilterError(f"{name} {unknown[0]!r} is not one of {', '.join(known)}")
    return tuple(value for value in known if value in wanted)


def parse_page(params: Sequence[tuple[str, str]]) -> tuple[int, int]:
    """(page, per_page) from `page` (from 1) and `per_page` (1 to MAX_PER_PAGE)."""
    given = dict(params)
    page = _number(given.get("page", "1"), "page", low=1)
    per_page = _number(given.get("per_page", str(PER_PAGE)), "per_page", low=1)
    if per_page > MAX_PER_PAGE:
        raise FilterError(f"per_page {per_page} is more than {MAX_PER_PAGE}")
    return page, per_page


def _number(text: str, name: str, *, low: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise FilterError(f"{name} {text!r} is not a whole number") from None
    if value < low or value > 10**9:
        raise FilterError(f"{name} {value} is out of range (from {low})")
    return value


@dataclass(frozen=True, slots=True)
class Item:
    """One finding as the app shows it, with its latest decision ("open" when none)."""

    finding_id: str
    run_id: int
    article: str
    title: str
    url: str
    published: str
    as_of: str
    verdict: str
    sentence: str
    start: int
    end: int
    claim: str
    entity: str
    attribute: str
    claimed_value: str
    reference_value: str
    explanation: str
    confidence: float
    fact_id: str
    source: str
    kind: str
    status: str = "open"
    note: str = ""
    by: str = ""
    at: str = ""
    current: bool = True  # a finding of the run that last read its article

    @property
    def parts(self) -> tuple[str, str, str]:
        """The sentence as (before, claim, after), the offsets clamped into it."""
        start = max(0, min(self.start, len(self.sentence)))
        end = max(start, min(self.end, len(self.sentence)))
        return self.sentence[:start], self.sentence[start:end], self.sentence[end:]

    def to_json(self) -> dict[str, object]:
        """The API's view of the finding."""
        data = {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name not in ("status", "note", "by", "at")
        }
        data["decision"] = {"status": self.status, "note": self.note, "by": self.by, "at": self.at}
        return data


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the queue."""

    items: tuple[Item, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first(self) -> int:
        """The 1-based position of the page's first finding (0 when it is empty)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.per_page + len(self.items)

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None

    @property
    def previous(self) -> int | None:
        return min(self.page - 1, self.pages) if self.page > 1 else None


def page_link(path: str, filters: Filters, page: int, per_page: int) -> str:
    """The URL of a page of the queue (or of the API's list) with these filters."""
    pairs = filters.query()
    if page != 1:
        pairs.append(("page", str(page)))
    if per_page != PER_PAGE:
        pairs.append(("per_page", str(per_page)))
    return f"{path}?{urlencode(pairs)}" if pairs else path


def queue(store: Store, filters: Filters, *, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """A page of current findings that pass `filters`, newest run first, then by article in
    reading order, and how many pass."""
    where, params = filters.where()
    source = filters.source()
    total = store.db.execute(f"SELECT COUNT(*) {source}WHERE {where}", params).fetchone()[0]
    rows = store.db.execute(
        f"SELECT f.rowid {source}WHERE {where} {QUEUE_ORDER} LIMIT ? OFFSET ?",
        [*params, per_page, (page - 1) * per_page],
    )
    ids = [row[0] for row in rows]
    return Page(items=tuple(_by_rowid(store, ids)), total=total, page=page, per_page=per_page)


def _by_rowid(store: Store, rowids: list[int]) -> list[Item]:
    """The findings of these row ids (current or not), in that order."""
    if not rowids:
        return []
    rows = store.db.execute(
        f"SELECT {COLUMNS} FROM findings f JOIN articles a ON a.id = f.article_id {LATEST}"
        f"WHERE f.rowid IN ({', '.join('?' * len(rowids))})",
        rowids,
    )
    found = {row[0]: _item(row) for row in rows}
    return [found[rowid] for rowid in rowids if rowid in found]


def _item(row: Sequence[object]) -> Item:
    """An Item from a row of COLUMNS."""
    _, finding_id, run_id, data, article, title, url, status, note, by, at, current = row
    try:
        stored = json.loads(str(data))
        fields = {name: stored[name] for name in ITEM_FIELDS if name in stored}
    except (ValueError, TypeError) as error:
        raise ValueError(f"finding {finding_id} of run {run_id} cannot be read") from error
    return Item(
        **{**ITEM_DEFAULTS, **fields},
        finding_id=str(finding_id),
        run_id=int(run_id),  # type: ignore[call-overload]
        article=str(article),
        title=str(title),
        url=str(url),
        status=str(status or "open"),
        note=str(note or ""),
        by=str(by or ""),
        at=str(at or ""),
        current=bool(current),
    )


ITEM_FIELDS = (
    "published",
    "as_of",
    "verdict",
    "sentence",
    "start",
    "end",
    "claim",
    "entity",
    "attribute",
    "claimed_value",
    "reference_value",
    "explanation",
    "confidence",
    "fact_id",
    "source",
    "kind",
)
ITEM_DEFAULTS: dict[str, object] = {
    "published": "",
    "as_of": "",
    "verdict": "unverified",
    "sentence": "",
    "start": 0,
    "end": 0,
    "claim": "",
    "entity": "",
    "attribute": "",
    "claimed_value": "",
    "reference_value": "",
    "explanation": "",
    "confidence": 0.0,
    "fact_id": "",
    "source": "",
    "kind": "",
}


def finding(store: Store, finding_id: str) -> Item | None:
    """A finding by id: the current one, else the latest a run stored; None when unknown."""
    row = store.db.execute(
        "SELECT f.rowid FROM findings f JOIN articles a ON a.id = f.article_id "
        "WHERE f.finding_id = ? ORDER BY a.findings_run = f.run_id DESC, f.run_id DESC LIMIT 1",
        (finding_id,),
    ).fetchone()
    if row is None:
        return None
    items = _by_rowid(store, [row[0]])
    return items[0] if items else None


def histories(store: Store, finding_ids: Sequence[str]) -> dict[str, list[Decision]]:
    """Every decision on each of these findings, oldest first (by index: for a page)."""
    found: dict[str, list[Decision]] = {finding_id: [] for finding_id in finding_ids}
    for chunk, marks in id_chunks(found):
        rows = store.db.execute(
            "SELECT finding_id, status, note, by, at FROM flags "
            f"WHERE finding_id IN ({marks}) ORDER BY id",
            chunk,
        )
        for row in rows:
            found[row[0]].append(Decision(*row))
    return found


# -- an article with its claims in place ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text: plain (no findings), or the words of one or more claims."""

    text: str
    finding_ids: tuple[str, ...] = ()
    verdict: str = ""  # the gravest verdict among them (VERDICTS order)


@dataclass(frozen=True, slots=True)
class ArticleView:
    """An article with its current findings: its text as blocks of segments (the whole text
    as one block, or, when the store does not have the text, one block per sentence)."""

    id: str
    title: str
    url: str
    published: str
    source: str
    last_checked: str
    items: tuple[Item, ...]
    blocks: tuple[tuple[Segment, ...], ...]
    has_text: bool
    unplaced: tuple[str, ...] = field(default_factory=tuple)  # findings not found in the text


def article(store: Store, article_id: str) -> ArticleView | None:
    """An article, its current findings in reading order and its text with every claim
    placed in it; None when the store does not know the article."""
    meta = store.db.execute(
        "SELECT id, title, url, published, source, last_checked, content_hash FROM articles "
        "WHERE id = ?",
        (article_id,),
    ).fetchone()
    if meta is None:
        return None
    rowids = [
        row[0]
        for row in store.db.execute(
            "SELECT f.rowid FROM findings f JOIN articles a ON a.id = f.article_id "
            "AND a.findings_run = f.run_id WHERE f.article_id = ? ORDER BY f.rowid",
            (article_id,),
        )
    ]
    items = tuple(_by_rowid(store, rowids))
    text = store.article_text(article_id)
    view = ArticleView(
        id=meta[0],
        title=meta[1],
        url=meta[2],
        published=meta[3],
        source=meta[4],
        last_checked=meta[5],
        items=items,
        blocks=(),
        has_text=text is not None,
    )
    if text is None:
        return replace(view, blocks=_sentence_blocks(items))
    spans, unplaced = _place(store, str(meta[6]), article_id, text, items)
    return replace(view, blocks=(segments(text, spans),), unplaced=tuple(unplaced))


Span = tuple[int, int, str, str]  # start, end, finding_id, verdict


def _place(
    store: Store, content_key: str, article_id: str, text: str, items: Sequence[Item]
) -> tuple[list[Span], list[str]]:
    """Where each finding's claim stands in the text: by the offsets of the claim it was
    made from (the stored claims of the article's content), else by finding its sentence
    in the text. Returns the spans and the ids of findings that could not be placed."""
    offsets = _claim_offsets(store, content_key, article_id)
    spans: list[Span] = []
    unplaced: list[str] = []
    for item in items:
        start = offsets.get(item.finding_id)
        if start is None or text[start : start + len(item.sentence)] != item.sentence:
            found = text.find(item.sentence) if item.sentence else -1
            start = found if found >= 0 else None
        before, claim, _ = item.parts
        if start is None or not claim:
            unplaced.append(item.finding_id)
            continue
        spans.append(
            (start + len(before), start + len(before) + len(claim), item.finding_id, item.verdict)
        )
    return spans, unplaced


def _claim_offsets(store: Store, content_key: str, article_id: str) -> dict[str, int]:
    """finding id -> its sentence's offset in the text, from the stored claims (the ids are
    made from the claims as the checker makes them)."""
    rows = store.db.execute(
        "SELECT model, extractor FROM claims WHERE content_hash = ? ORDER BY created DESC",
        (content_key,),
    ).fetchall()
    offsets: dict[str, int] = {}
    for model, extractor in rows:
        try:
            claims = store.cached_claims(content_key, model=model, extractor=extractor) or []
        except StoreError:  # unreadable claims: the sentences are found in the text instead
            continue
        seen: dict[str, int] = {}
        for claim in claims:
            key = make_finding_id(article_id, claim)
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            offsets.setdefault(make_finding_id(article_id, claim, occurrence), claim.sentence_start)
    return offsets


def segments(text: str, spans: Sequence[Span]) -> tuple[Segment, ...]:
    """`text` cut at every span's ends: each piece with the findings whose claim covers it,
    and the gravest of their verdicts. Spans may overlap or nest."""
    size = len(text)
    cuts = {0, size}
    kept = [(max(0, min(s, size)), max(0, min(e, size)), fid, v) for s, e, fid, v in spans if e > s]
    for start, end, _, _ in kept:
        cuts.update((start, end))
    points = sorted(cuts)
    pieces: list[Segment] = []
    for start, end in itertools.pairwise(points):
        covering = [(fid, v) for s, e, fid, v in kept if s <= start and end <= e]
        ids = tuple(dict.fromkeys(fid for fid, _ in covering))
        verdict = min((v for _, v in covering), key=_gravity, default="")
        pieces.append(Segment(text[start:end], ids, verdict))
    return tuple(pieces)


def _gravity(verdict: str) -> int:
    return VERDICTS.index(verdict) if verdict in VERDICTS else len(VERDICTS)


def _sentence_blocks(items: Sequence[Item]) -> tuple[tuple[Segment, ...], ...]:
    """Without the article's text: each sentence that holds a claim, once, in reading order,
    with its claims in place."""
    sentences: dict[str, list[Span]] = {}
    for item in items:
        before, claim, _ = item.parts
        spans = sentences.setdefault(item.sentence, [])
        if claim:
            spans.append((len(before), len(before) + len(claim), item.finding_id, item.verdict))
    return tuple(segments(sentence, spans) for sentence, spans in sentences.items())


# -- curation ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DisputedFact:
    """A reference fact and how many current findings resting on it editors dispute."""

    fact_id: str
    count: int
    notes: tuple[str, ...]  # the latest non-empty notes, newest first


def disputed_facts(store: Store, *, limit: int = 200) -> list[DisputedFact]:
    """The facts with the most disputed current findings (latest decision: disputed), most
    first, then by fact id. Read from the decisions, not from every finding."""
    rows = store.db.execute(
        "SELECT f.fact_id, d.note FROM flags d "
        "JOIN findings f ON f.finding_id = d.finding_id "
        "JOIN articles a ON a.id = f.article_id AND a.findings_run = f.run_id "
        "WHERE d.id IN (SELECT MAX(id) FROM flags GROUP BY finding_id) "
        "AND d.status = 'disputed' AND f.fact_id != '' ORDER BY d.id DESC"
    )
    counts: dict[str, int] = {}
    notes: dict[str, list[str]] = {}
    for fact_id, note in rows:
        counts[fact_id] = counts.get(fact_id, 0) + 1
        kept = notes.setdefault(fact_id, [])
        if note.strip() and len(kept) < NOTES_SHOWN:
            kept.append(note)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [DisputedFact(fact_id, count, tuple(notes[fact_id])) for fact_id, count in ranked]
