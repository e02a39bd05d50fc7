"""Claims that run over lines: a list's items on the lines under its intro ("The founding
members were:"), the short answer under a "How many ...?" question, and the holder on the
line under an office label ("Summit Chairperson"), as infoboxes give them.

The extractor reads an article line by line and keeps what the line before opened; these
functions read the next line against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from pipeline import lexicon, numbers
from pipeline.extract.sentence import Cue, Mention, OpenList, outside_brackets
from pipeline.extract.when import Time, at_time, claim_time, timed
from pipeline.models import Article, Claim
from pipeline.reference import Reference

# A line under a list's intro that is one item: "Sylvania,", "- Freedonia (1990)".
MAX_ITEM_CHARS = 80
ITEM_KINDS = frozenset({"bullet", "line", "paragraph", "heading"})
MAX_LABEL_WORDS = 5  # an office label on a line of its own: "Summit Chairperson"
LABEL_CONFIDENCE = 0.7
MAX_ANSWER_WORDS = 4  # a short answer to a question: "Fifty-five.", "55 member states."
ANSWER_CONFIDENCE = 0.8
LIST_QUESTIONS = lexicon.words("list_questions")  # "What countries are members of X?"
ANSWER_GLUE = lexicon.words("answer_glue")  # "A; B and C; the D": words between names


@dataclass(slots=True)
class Listing:
    """A list read line by line under its intro ("The founding members were:")."""

    opened: OpenList
    start: int  # where the intro starts in the article
    end: int  # where the last line read ends
    first: int | None = None  # where the first item line starts
    items: list[str] = field(default_factory=list)
    whole: bool = True  # every item line named an entity
    bullets: bool = False  # the items are bullets: only bullets continue the list


@dataclass(frozen=True, slots=True)
class Line:
    """One line (or the first sentence of one) as the extractor cut it."""

    text: str
    offset: int  # where it starts in the article
    kind: str  # "bullet", "line", "paragraph", "heading", ...
    first: bool  # it starts its line (not a later sentence of it)


@dataclass(frozen=True, slots=True)
class Asked:
    """What a question asks the size of, and the time it asks about."""

    attribute: str
    entity: str
    time: Time | None
    listing: bool = False  # "What countries are members of X?": the answer is the list


# -- lists on the lines under their intro -------------------------------------------------


def read_item(
    listing: Listing, line: Line, mentions: list[Mention], tokens: Doc, text: str
) -> bool:
    """Read one line under a list's intro: the entities it starts with. False when the
    line is not an item (the list has ended)."""
    if line.offset < listing.end:
        return True  # a later sentence of the intro's own line, or of an item's
    short = len(line.text) <= MAX_ITEM_CHARS and line.first
    after_bullets = (listing.bullets or listing.opened.bullets) and line.kind != "bullet"
    paragraph_break = "\n\n" in text[listing.end : line.offset]
    if line.kind not in ITEM_KINDS or not short or after_bullets or paragraph_break:
        return False  # the list has ended: prose, a heading after bullets, a blank line
    first = next((t.i for t in tokens if not (t.is_punct or t.is_space)), None)
    named: list[str] = []
    last = first
    for mention in mentions:  # "Sylvania, Freedonia," on one line
        glue = all(t.is_punct or t.lower_ in ("and", "&") for t in tokens[last : mention.start])
        if mention.start != last and not (named and glue):
            break
        named.append(mention.entity)
        last = mention.end
    rest = outside_brackets(tokens[last:]) if named else []
    if named and line.kind != "bullet" and any(not t.is_punct for t in rest):
        return False  # "Fenwick joined in 2005.": a sentence after the list
    if named:
        listing.items.extend(named)
    elif line.kind == "bullet":
        listing.whole = False  # an item the reference does not name
    else:
        return False  # a line of prose: the list has ended
    if listing.first is None:
        listing.first = line.offset
    listing.bullets = listing.bullets or line.kind == "bullet"
    listing.end = line.offset + len(line.text)
    return True


def listed(article: Article, listing: Listing, as_of: date, time_source: str) -> Claim:
    """The list claim of an intro line and the item lines under it."""
    items = list(dict.fromkeys(listing.items))
    opened = listing.opened
    complete = opened.complete and listing.whole and bool(items)
    if opened.counted and opened.counted != len(items):
        complete = False
    text = article.text[listing.start : listing.end]
    first = listing.first if listing.first is not None else listing.start
    claim = Claim(
        article_id=article.id,
        sentence=text,
        sentence_start=listing.start,
        start=first - listing.start,
        end=len(text),
        kind="list",
        as_of=as_of,
        time_source=time_source,
        entity=opened.entity,
        attribute=opened.attribute,
        value="|".join(items),
        value_text=", ".join(items),
        complete=complete,
        counted=len(items) if complete and opened.counted == len(items) else 0,
        confidence=opened.confidence,
    )
    return timed(claim, opened.timing)


# -- a short answer under a question ------------------------------------------------------


def asked(
    reference: Reference,
    doc: Doc,
    cues: list[Cue],
    named: list[str],
    as_of: date,
) -> Asked | None:
    """What a question asks the size of ("How many members does the union have?"), for a
    short answer on the next line; None for other questions. `named`: the entities of the
    question, then of its context."""
    first = next((t.lower_ for t in doc if not (t.is_punct or t.is_space)), "")
    for cue in cues:
        attribute = reference.attributes[cue.attribute]
        lead = [t.lower_ for t in doc[max(0, cue.start - 2) : cue.start]]
        counts = attribute.value_type in ("count", "number") and lead[-2:] == ["how", "many"]
        lists = attribute.value_type == "list" and first in LIST_QUESTIONS
        if not (counts or lists):
            continue
        with_facts = reference.entities_with(cue.attribute)
        entity = next((name for name in named if name in with_facts), "")
        if entity:  # "How many members did it have in 1995?": then
            time = claim_time(doc, doc[:], doc[:].root, today=as_of, skip=set())
            return Asked(cue.attribute, entity, time, listing=lists)
    return None


def answer(
    article: Article,
    line: Line,
    doc: Doc,
    mentions: list[Mention],
    question: Asked,
    as_of: date,
    time_source: str,
) -> list[Claim]:
    """A short answer to the question before it ("Fifty-five.", "55 member states"), or the
    list a "What countries are members of X?" asks for ("Ruritania; Freedonia; ...")."""
    if question.listing:
        return _answer_list(article, line, doc, mentions, question, as_of, time_source)
    words = [t for t in doc if not (t.is_punct or t.is_space)]
    if not words or len(words) > MAX_ANSWER_WORDS:
        return []
    number = doc[words[0].i : words[0].i + 1]
    for ent in doc.ents:
        if ent.start == words[0].i and ent.label_ == "CARDINAL":
            number = ent
    value = numbers.parse_number(number.text)
    if value is None or value != int(value) or value < 0:
        return []
    claim = _on_line(
        article,
        line,
        number,
        "value",
        as_of,
        time_source,
        entity=question.entity,
        attribute=question.attribute,
        value=numbers.format_number(value),
        confidence=ANSWER_CONFIDENCE,
    )
    return [at_time(claim, question.time, as_of)]


def _answer_list(
    article: Article,
    line: Line,
    doc: Doc,
    mentions: list[Mention],
    question: Asked,
    as_of: date,
    time_source: str,
) -> list[Claim]:
    """A line of names separated by semicolons or commas under a question that asks for a
    list: the whole list when every name is the reference's, otherwise a part of it."""
    chunks: list[list[Token]] = [[]]
    for token in doc:
        if token.text in (";", ","):
            chunks.append([])
        elif not (token.is_punct or token.is_space):
            chunks[-1].append(token)
    chunks = [chunk for chunk in chunks if chunk]
    items: list[str] = []
    named = 0
    for chunk in chunks:
        inside = [m for m in mentions if chunk[0].i <= m.start and m.end <= chunk[-1].i + 1]
        covered = {i for m in inside for i in range(m.start, m.end)}
        rest = [t for t in chunk if t.i not in covered and t.lower_ not in ANSWER_GLUE]
        if inside and not rest:
            items.extend(m.entity for m in inside)
            named += 1
    if len(items) < 2 or named * 2 < len(chunks):
        return []  # not a line of names
    first = next(m for m in mentions if m.entity == items[0])
    last = max((m for m in mentions if m.entity == items[-1]), key=lambda m: m.end)
    claim = _on_line(
        article,
        line,
        doc[first.start : last.end],
        "list",
        as_of,
        time_source,
        entity=question.entity,
        attribute=question.attribute,
        value="|".join(dict.fromkeys(items)),
        complete=named == len(chunks),
        counted=len(chunks),  # the list's size, whether or not every name was read
        confidence=ANSWER_CONFIDENCE,
    )
    return [at_time(claim, question.time, as_of)]


# -- an office holder under its label -----------------------------------------------------


def ends_with_office(tokens: Doc, office_cues: list[tuple[int, int, int]]) -> bool:
    """A short line that ends with an office's cue ("Summit Chairperson"), by the matches
    of the office cues in its tokens."""
    words = [t for t in tokens if not (t.is_punct or t.is_space)]
    if not words or len(words) > MAX_LABEL_WORDS:
        return False
    return any(end - 1 == words[-1].i for _, _, end in office_cues)


def office_label(reference: Reference, doc: Doc, cues: list[Cue]) -> str | None:
    """The office a line names and nothing else ("Summit Chairperson", "Secretary
    General"): its holder may stand on the next line."""
    words = [t for t in doc if not (t.is_punct or t.is_space)]
    if not words or len(words) > MAX_LABEL_WORDS:
        return None
    for cue in cues:
        attribute = reference.attributes[cue.attribute]
        office = attribute.value_type == "text" and not attribute.multivalued
        if office and cue.end - 1 == words[-1].i:
            return cue.attribute
    return None


def holder(
    article: Article, line: Line, doc: Doc, attribute: str, as_of: date, time_source: str
) -> list[Claim]:
    """The person on the line under an office label ("Flag of X.svg Jane Doe")."""
    if len(doc) > MAX_LABEL_WORDS * 3:
        return []
    people = [ent for ent in doc.ents if ent.label_ == "PERSON"]
    person = people[-1] if people else _trailing_name(doc)
    if person is None:
        return []
    return [
        _on_line(
            article,
            line,
            person,
            "office",
            as_of,
            time_source,
            attribute=attribute,
            value=person.text,
            confidence=LABEL_CONFIDENCE,
        )
    ]


def _on_line(
    article: Article,
    line: Line,
    span: Span,
    kind: str,
    as_of: date,
    time_source: str,
    **fields: object,
) -> Claim:
    """A claim over `span`, a part of the line `line` parsed as its own doc."""
    return Claim(
        article_id=article.id,
        sentence=span.doc.text,
        sentence_start=line.offset,
        start=span.start_char,
        end=span.end_char,
        kind=kind,
        as_of=as_of,
        time_source=time_source,
        value_text=span.text,
        **fields,  # type: ignore[arg-type]
    )


def _trailing_name(doc: Doc) -> Span | None:
    """The run of two or more capitalised words that ends a line ("... Jane Doe")."""
    end = len(doc)
    while end > 0 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    start = end
    while start > 0 and doc[start - 1].is_alpha and doc[start - 1].is_title:
        start -= 1
    return doc[start:end] if end - start >= 2 else None
