"""The Extractor: the loaded pipeline and the matchers built from the reference.

For each article:
1. split the cleaned text into blocks (lines); find flattened tables, whose cells become
   statements about their column's entity; cut very long blocks into pieces;
2. parse the candidate sentences (those that name an entity, or hold a cue, a number or a
   quotation) with the full pipeline, and those that only name entities with the entity
   recognizer alone unless a reader may still read them (`gate.py`); find entity mentions
   and attribute cues once per sentence;
3. per sentence: read values by type (see `readers.py`), attach each to its subject (the
   parse, the table column, or the most recent entity in context with that attribute);
4. where the facts settle nothing, match the sentence against previously checked claims,
   and keep quotations and other statistics as unverified claims;
5. set each claim's own time ("In 2022, ...", "as of 2026", "currently").
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, DocBin, Span, Token

from pipeline import lexicon, numbers, values
from pipeline.clean import Block, split_blocks, split_sentences
from pipeline.extract import lines, rows
from pipeline.extract.gate import ParseGate
from pipeline.extract.model import complete, parse, recognize, recognizer_alone
from pipeline.extract.readers import (
    READERS,
    joined_group,
    read_eligibility,
    read_enlargements,
    read_exceptions,
    read_members_named,
    read_membership,
    read_named_list,
    read_order_by_noun,
    read_part_counts,
    read_unchanged,
)
from pipeline.extract.sentence import (
    GROUP_KINDS,
    GROUP_NOUNS,
    Cue,
    Mention,
    OpenList,
    Sentence,
    Subjects,
    clause_verb,
    framing,
    words_of,
)
from pipeline.extract.unsettled import (
    nested_names,
    proposition,
    read_checked,
    read_quotes,
    read_statistics,
    signature,
)
from pipeline.extract.when import Time, at_time, claim_time, timed, timing_of
from pipeline.meaning import ClaimIndex
from pipeline.models import Article, Claim
from pipeline.reference import Reference
from pipeline.tables import split_row
from pipeline.timing import NoTimer, Timer

EXTRACTOR_VERSION = "13"
CONTEXT_SENTENCES = 4  # how many earlier sentences a pronoun may reach back to
MAX_BLOCK_CHARS = 20_000  # longer blocks (a page with no line breaks) are parsed in pieces
MAX_HEADER_CHARS = 120
NER_LABELS_FOR_ENTITIES = frozenset({"GPE", "ORG", "NORP", "LOC"})
FACT_KINDS = frozenset({"value", "list", "office", "provision"})  # judged on the reference
ARGUMENT_DEPS = frozenset({"dobj", "attr", "acomp", "oprd"})  # what the verb says of its subject
FORESEEING_MODALS = lexicon.words("foreseeing_modals")
DATED_SOURCES = frozenset({"article", "given"})  # an article's own date, not the default
REGION_KIND = "region"  # entities.csv kind of a world region: a part of a group, not a subject
TIMED_KINDS = frozenset({"value", "list", "office", "provision"})
# Words that put a claim at its subject's founding ("It originally had 20 members"), and
# the cues by which the reference attribute that dates a founding is known.
ORIGIN_WORDS = lexicon.words("origin_words")
FOUNDING_CUES = lexicon.words("founding_cues")
PRESENT_WORDS = lexicon.words("present_words")  # "the current chair": the article's present
FORMER_WORDS = lexicon.words("former_words")  # "the then-current chair": a past one
EXCEPTION_WORDS = lexicon.words("exception_words")
EVENT_RELATIVE = {  # "Before X left, ...": judged at the day before the event
    word: side
    for word, _, side in (pair.partition(":") for pair in lexicon.words("event_relative"))
}  # "Except X" after "most have joined"


@dataclass(frozen=True, slots=True)
class _Unit:
    """A piece of article text parsed on its own: a block, or one cell of a table row."""

    text: str
    offset: int  # where `text` starts in the article
    kind: str  # block kind ("heading", "question", "paragraph", ...) or "cell"
    row: str = ""  # for a cell: the whole row, which is the finding's sentence
    row_offset: int = 0  # for a cell: where the row starts in the article
    column_entity: str = ""
    block: str = ""  # for a sentence: its line, where a quotation may run on
    block_offset: int = 0  # where the sentence starts in its line


@dataclass(slots=True)
class _Context:
    """What earlier sentences were about, for sentences that leave their subject implicit."""

    recent: deque[list[str]] = field(default_factory=lambda: deque(maxlen=CONTEXT_SENTENCES))
    heading: list[str] = field(default_factory=list)
    topic: list[str] = field(default_factory=list)  # what the article's title names
    asked: lines.Asked | None = None  # what the question just read asks the size of
    labelled: str | None = None  # the office the line just read names, for its holder
    listing: lines.Listing | None = None  # a list whose items are on the lines being read
    announced: OpenList | None = None  # a list the sentence before announced
    joined: str = ""  # the group the sentence before said states joined

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
        timer: Timer | None = None,
        by_meaning: bool = True,
        gate: bool = True,
    ) -> None:
        """`by_meaning=False` matches checked claims by shared words alone (no embeddings),
        to measure what the embeddings add (`python -m pipeline.pairs`). `gate=False`
        parses every candidate sentence, even one that only names entities (`gate.py`)."""
        self.nlp = nlp
        self.reference = reference
        self.timer = timer or NoTimer()
        self._entity_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._entity_exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        # World regions ("the Northlands", "Northlandic") narrow a count; they are not the
        # subjects of claims.
        self._regions = PhraseMatcher(nlp.vocab, attr="LOWER")
        for lowered, canonical in reference.names().items():
            original = self._original_name(lowered, canonical)
            if reference.entities[canonical].kind == REGION_KIND:
                self._regions.add(canonical, [nlp.make_doc(lowered)])
            elif _is_acronym(original):  # "US" must not match "us"
                self._entity_exact.add(canonical, [nlp.make_doc(original)])
            else:
                self._entity_lower.add(canonical, [nlp.make_doc(lowered)])
        # The attributes that date a founding: events whose cues say "founded".
        self._founding = [
            name
            for name, attribute in reference.attributes.items()
            if attribute.value_type in ("year", "date")
            and not attribute.scope
            and FOUNDING_CUES & {cue.lower() for cue in attribute.cues}
        ]
        self._names_words: dict[str, frozenset[str]] = {}
        self._cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        # The prefilter's cues: those of types whose values are words (a title, a list, a
        # ranking, a provision). A count, a number or a date needs a number in the sentence,
        # which the prefilter keeps anyway; their cues ("left", "joined") are common words.
        self._word_cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._office_cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        for attribute, cues in reference.cues().items():
            patterns = [nlp.make_doc(variant) for cue in cues for variant in cue_variants(cue)]
            self._cues.add(attribute, patterns)
            if not values.TYPES[reference.attributes[attribute].value_type].digits:
                self._word_cues.add(attribute, patterns)
            if reference.attributes[attribute].value_type == "text":
                self._office_cues.add(attribute, patterns)
        self._checked = []
        propositions = []
        claims = (nlp.make_doc(claim.claim) for claim in reference.checked_claims)
        for doc in parse(nlp, claims):
            mentions = self._mentions(doc)
            nested = nested_names(doc, mentions, reference)
            entities = [*(m.entity for m in mentions), *nested]
            self._checked.append(signature(list(doc), mentions, entities, nested=nested))
            propositions.append(proposition(list(doc)))
        self._meaning = ClaimIndex(propositions) if by_meaning else None
        parse_gate = ParseGate(nlp, reference, self._checked) if gate else None
        usable = parse_gate is not None and parse_gate.enabled and recognizer_alone(nlp)
        self._gate = parse_gate if usable else None

    def _original_name(self, lowered: str, canonical: str) -> str:
        entity = self.reference.entities[canonical]
        return next((n for n in (entity.name, *entity.aliases) if n.lower() == lowered), lowered)

    # -- public -----------------------------------------------------------------------

    def extract(
        self,
        article: Article,
        *,
        default_date: date,
        given: bool = False,
        parses: Parses | None = None,
        prefilter: bool = True,
    ) -> list[Claim]:
        """Every claim in `article`, judged at its own time, the article's date, or
        `default_date` when the article has none (`given`: the date was given by hand).

        With `prefilter`, only candidate sentences are parsed: those where the tokenizer
        and the phrase matchers find a reference entity, an attribute cue, a number or a
        quotation; other sentences cannot hold a claim. A candidate that only names
        entities goes through the entity recognizer alone, unless a reader may still read
        it (`gate.py`; `gate=False` parses it). With `parses`, sentences parsed before are
        reused and only new ones are parsed."""
        as_of = article.published or default_date
        time_source = ("given" if given else "article") if article.published else "default"
        timer = self.timer
        with timer.stage("prefilter"):
            units = self._units(article.text)
            context = _Context()
            if article.title:
                title = self.nlp.make_doc(article.title)
                context.topic = [m.entity for m in self._phrase_mentions(title)]
            shallow = [self.nlp.make_doc(unit.text) for unit in units]  # tokens only: cheap
            claims: list[Claim] = []
            tabled = self._row_tables(article, units, shallow, as_of, time_source, claims)
            wanted = [
                index not in tabled and (not prefilter or self._candidate(doc))
                for index, doc in enumerate(shallow)
            ]
            forced = set()
            for index, doc in enumerate(shallow[:-1]):  # a holder under an office label
                if len(doc) <= lines.MAX_LABEL_WORDS * 2 and lines.ends_with_office(
                    doc, self._office_cues(doc)
                ):
                    wanted[index + 1] = True
                    forced.add(index + 1)
            # A sentence that only names entities goes to the entity recognizer first, and
            # on to the parser only if what it names may still give a claim (gate.py).
            named_only = [
                prefilter
                and want
                and i not in forced
                and not (i and units[i - 1].kind == "question")  # its answer
                and self._names_only(units[i], doc)
                for i, (doc, want) in enumerate(zip(shallow, wanted, strict=True))
            ]
        recognized = self._recognized(units, shallow, named_only, parses)
        with timer.stage("prefilter"):
            for index, found in list(recognized.items()):
                doc, mentions = found
                nested = nested_names(doc, mentions, self.reference)
                if self._gate is not None and self._gate.needs_parse(doc, mentions, nested):
                    del recognized[index]  # parsed after all
            # The candidates' tokens go to the pipeline as they are: tokenized once.
            chosen = [
                doc
                for index, (doc, want) in enumerate(zip(shallow, wanted, strict=True))
                if want and index not in recognized
            ]
            texts = [
                unit.text
                for index, (unit, want) in enumerate(zip(units, wanted, strict=True))
                if want and index not in recognized
            ]
            if parses is not None:
                parses.sentences += len(units)
                parses.words += sum(len(doc) for doc in shallow)
                parses.parsed_words += sum(len(doc) for doc in chosen)
        parsed = timer.each(
            "parse", parses.pipe(chosen, texts) if parses is not None else parse(self.nlp, chosen)
        )
        for number, (unit, want, tokens) in enumerate(zip(units, wanted, shallow, strict=True)):
            line = lines.Line(unit.text, unit.offset, unit.kind, first=unit.block_offset == 0)
            if context.listing is not None and not lines.read_item(
                context.listing, line, self._phrase_mentions(tokens), tokens, article.text
            ):
                if context.listing.items:
                    claims.append(lines.listed(article, context.listing, as_of, time_source))
                context.listing = None
            asked, context.asked = context.asked, None
            labelled, context.labelled = context.labelled, None
            listing = context.listing
            if number in recognized:
                doc, mentions = recognized[number]
                with timer.stage("extract"):  # as a parsed sentence that gave no claim
                    context.announced = None
                    context.joined = ""
                    if mentions:
                        context.recent.append([m.entity for m in mentions])
            elif want:
                doc = next(parsed)
                with timer.stage("extract"):
                    mentions = self._mentions(doc)
                    cues = self._in_scope(doc, self._cue_spans(doc), mentions, context)
                    found = self._sentence_claims(
                        article,
                        unit,
                        doc,
                        doc[:],
                        mentions,
                        cues,
                        context,
                        as_of=as_of,
                        time_source=time_source,
                    )
                    if unit.kind == "question":
                        named = [m.entity for m in mentions] + context.entities()
                        context.asked = lines.asked(self.reference, doc, cues, named, as_of)
                    elif not found and asked is not None:
                        found = lines.answer(
                            article, line, doc, mentions, asked, as_of, time_source
                        )
                    elif not found and labelled is not None:
                        found = lines.holder(article, line, doc, labelled, as_of, time_source)
                    if not found and unit.block_offset == 0:
                        context.labelled = lines.office_label(self.reference, doc, cues)
                    claims.extend(found)
                    if found and parses is not None:
                        parses.claim_words += len(doc)
                if listing is not None and context.listing is not listing and listing.items:
                    claims.append(lines.listed(article, listing, as_of, time_source))
            else:
                context.announced = None  # only the very next sentence may name them
                mentions = self._phrase_mentions(tokens)
                if mentions:
                    context.recent.append([m.entity for m in mentions])
            if not context.topic:  # a title that names nothing: the first group the text names
                context.topic = [
                    m.entity
                    for m in mentions
                    if self.reference.entities[m.entity].kind in GROUP_KINDS
                ][:1]
            if unit.kind in ("heading", "question") and unit.block_offset == 0:
                named = [m.entity for m in mentions]
                if number == 0 and not context.topic:
                    context.topic = named
                if named:  # a new section about something else
                    context.heading = named
                    context.recent.clear()
        if context.listing is not None and context.listing.items:
            claims.append(lines.listed(article, context.listing, as_of, time_source))
        return _dedupe(claims)

    def _recognized(
        self,
        units: list[_Unit],
        shallow: list[Doc],
        named_only: list[bool],
        parses: Parses | None,
    ) -> dict[int, tuple[Doc, list[Mention]]]:
        """The sentences that may only name entities, by index, through the entity
        recognizer alone, with the entities they name."""
        indexes = [index for index, only in enumerate(named_only) if only]
        tokens = [shallow[index] for index in indexes]
        texts = [units[index].text for index in indexes]
        docs = self.timer.each(
            "parse",
            parses.pipe(tokens, texts, recognize_only=True)
            if parses is not None
            else recognize(self.nlp, tokens),
        )
        recognized = {}
        for index, doc in zip(indexes, docs, strict=True):
            with self.timer.stage("prefilter"):
                recognized[index] = (doc, self._mentions(doc))
        return recognized

    def _names_only(self, unit: _Unit, tokens: Doc) -> bool:
        """Whether a candidate sentence can only name entities: it is neither a question
        nor a table cell, has no number, quotation mark, attribute cue or "how many", and
        no reader that needs none of those may read it (`ParseGate`)."""
        if self._gate is None or unit.kind in ("question", "cell"):
            return False
        if _states_a_value(tokens) or self._cues(tokens):
            return False
        return not self._gate.may_need_parse(tokens)

    def _candidate(self, tokens: Doc) -> bool:
        """Whether a sentence can hold a claim: it names a reference entity, or has an
        attribute cue, a number or a quotation."""
        if _states_a_value(tokens):
            return True
        return bool(
            self._word_cues(tokens) or self._entity_lower(tokens) or self._entity_exact(tokens)
        )

    # -- units and tables -------------------------------------------------------------

    def _units(self, text: str) -> list[_Unit]:
        """The article's sentences (by punctuation, within each line), with flattened
        tables split into cells."""
        units: list[_Unit] = []
        header: list[str] = []
        header_block = None  # a line of names, a header only if a row follows it
        for block in split_blocks(text):
            columns = self._header_entities(block.text)
            if columns:
                if header_block is not None:
                    units += self._sentences(header_block)
                header, header_block = columns, block
                continue
            cells = split_row(block.text, len(header)) if header else None
            if header_block is not None and not cells:
                units += self._sentences(header_block)  # "A; B; C": a line of names after all
            header_block = None
            if cells:
                units += [
                    _Unit(
                        text=block.text[start:end],
                        offset=block.start + start,
                        kind="cell",
                        row=block.text,
                        row_offset=block.start,
                        column_entity=entity,
                    )
                    for (start, end), entity in zip(cells, header, strict=True)
                ]
                continue
            header = []
            units += self._sentences(block)
        if header_block is not None:
            units += self._sentences(header_block)
        return units

    def _sentences(self, block: Block) -> list[_Unit]:
        """A block's sentences, by punctuation (a very long block cut in pieces first)."""
        units = []
        for piece_start, piece_end in _pieces(block.text):
            piece = block.text[piece_start:piece_end]
            for start, end in split_sentences(piece):
                units.append(
                    _Unit(
                        text=piece[start:end],
                        offset=block.start + piece_start + start,
                        kind=block.kind,
                        block=block.text,
                        block_offset=piece_start + start,
                    )
                )
        return units

    def _row_tables(
        self,
        article: Article,
        units: list[_Unit],
        shallow: list[Doc],
        as_of: date,
        time_source: str,
        claims: list[Claim],
    ) -> set[int]:
        """Read the tables with one row per entity into `claims`; the indexes of the units
        they take up, which are not read again as sentences."""
        table_lines = []
        for unit, doc in zip(units, shallow, strict=True):
            own_line = unit.kind not in ("cell", "bullet") and unit.block_offset == 0
            shaped = own_line and rows.row_shaped(unit.text)  # cheap, before the matchers
            table_lines.append(
                rows.Line(
                    unit.text,
                    unit.offset,
                    own_line,
                    self._phrase_mentions(doc) if shaped else (),
                    [t.text for t in doc] if shaped else (),  # only a row needs its words
                )
            )
        taken: set[int] = set()
        topic = article.title or (units[0].text if units and units[0].kind == "heading" else "")
        for table in rows.find_tables(table_lines):
            columns = self._table_columns(table_lines, table, topic)
            if not columns.dates and not (columns.members and columns.group):
                continue
            for index in table.rows:
                claims += rows.row_claims(
                    article, table_lines[index], columns, as_of=as_of, time_source=time_source
                )
            taken.update(table.header)
            taken.update(table.rows)
        return taken

    def _table_columns(
        self, table_lines: list[rows.Line], table: rows.Table, title: str
    ) -> rows.Columns:
        """The date columns of a table's header, and whose members its rows are, from the
        header, the heading above it and the article's `topic` (its title)."""
        header = " ".join(table_lines[index].text for index in table.header)
        above = [line.text for line in rows.status_lines(table_lines, table)]
        docs = [self.nlp.make_doc(text) for text in (header, *above, title) if text]
        named = list(dict.fromkeys(m.entity for doc in docs for m in self._phrase_mentions(doc)))
        attributes = self.reference.attributes
        dates: list[tuple[str, str]] = []
        for words, found in _cue_groups(self.nlp, docs[0], self._cues(docs[0])):
            typed = [name for name in found if attributes[name].value_type in ("date", "year")]
            # Where a label signals several attributes ("Left": withdrawn or suspended),
            # the one it is the first cue of leads; the others are readings.
            typed.sort(key=lambda name: _cue_rank(attributes[name].cues, words))
            scoped = sorted(
                (name for name in typed if attributes[name].scope in named),
                key=lambda name: named.index(attributes[name].scope),
            )
            scope = attributes[scoped[0]].scope if scoped else ""
            chosen = [name for name in scoped if attributes[name].scope == scope] or [
                name for name in typed if not attributes[name].scope
            ]
            if chosen and (scoped or len(chosen) == 1):
                dates.append((chosen[0], "|".join(f"@{name}" for name in chosen[1:])))
        members = ""
        for doc in docs:
            found = [
                (end - start, self.nlp.vocab.strings[match_id])
                for match_id, start, end in self._cues(doc)
                if attributes[self.nlp.vocab.strings[match_id]].value_type == "list"
            ]
            if found:
                members = max(found)[1]
                break
        scopes = {attributes[name].scope for name, _ in dates}
        group = scopes.pop() if len(scopes) == 1 else ""
        if not group and members:
            with_facts = self.reference.entities_with(members)
            group = next((name for name in named if name in with_facts), "")
        return rows.Columns(
            dates=tuple(dates),
            members=members if group in self.reference.entities_with(members) else "",
            group=group,
            former=rows.is_former([header, *above]),
        )

    def _header_entities(self, line: str) -> list[str]:
        """The entities of a table header: a short line of two or more entity names, with
        nothing else but separators ("NATO EU", "NATO | EU")."""
        if len(line) > MAX_HEADER_CHARS or line.rstrip().endswith((".", "?", "!", ":", ",", ";")):
            return []  # a sentence, or a line of a list running on ("Sylvania, Freedonia,")
        doc = self.nlp.make_doc(line)
        mentions = self._phrase_mentions(doc)
        covered = {i for m in mentions for i in range(m.start, m.end)}
        if len(mentions) < 2 or any(
            i not in covered and (t.is_alpha or t.like_num) for i, t in enumerate(doc)
        ):
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
        return [Mention(s.start, s.end, s.label_) for s in spacy.util.filter_spans(spans)]

    def _region_mentions(self, doc: Doc) -> list[Mention]:
        spans = [
            Span(doc, start, end, label=match_id) for match_id, start, end in self._regions(doc)
        ]
        return [Mention(s.start, s.end, s.label_) for s in spacy.util.filter_spans(spans)]

    def _mentions(self, doc: Doc) -> list[Mention]:
        """Reference entities named in `doc`: by name or alias, else fuzzily from the NER."""
        mentions = self._phrase_mentions(doc)
        taken = {i for m in mentions for i in range(m.start, m.end)}
        for ent in doc.ents:
            if ent.label_ not in NER_LABELS_FOR_ENTITIES:
                continue
            if any(i in taken for i in range(ent.start, ent.end)):
                continue
            resolved = self.reference.resolve_entity(ent.text)
            if resolved and self.reference.entities[resolved[0]].kind != REGION_KIND:
                mentions.append(Mention(ent.start, ent.end, resolved[0], resolved[1] / 100))
        return sorted(mentions, key=lambda m: m.start)

    def _cue_spans(self, doc: Doc) -> list[Cue]:
        """Attribute cues in `doc`, longest first: where cues overlap, the longer one is read
        first ("founding members" before "members"), the shorter only if it finds nothing."""
        cues = [
            Cue(start, end, self.nlp.vocab.strings[match_id])
            for match_id, start, end in self._cues(doc)
        ]
        return sorted(cues, key=lambda cue: (cue.start - cue.end, cue.start))

    def _in_scope(
        self, doc: Doc, cues: list[Cue], mentions: list[Mention], context: _Context
    ) -> list[Cue]:
        """The cues whose attribute applies here. An attribute scoped to an organisation
        ("joined" for joining the alliance) applies only where that organisation is named
        in the sentence or in context; where several scoped attributes share the words, the
        one whose organisation was named nearest applies (the article's topic decides which
        body "Fenwick joined in 2005" is about)."""
        named = list(dict.fromkeys([m.entity for m in mentions] + context.entities()))
        far = len(named) + 1

        def rank(cue: Cue) -> int:
            scope = self.reference.attributes[cue.attribute].scope
            if not scope:
                return -1
            words = {t.lower_ for t in doc[cue.start : cue.end]}
            if words & self._name_words(scope):
                return 0  # the cue names it: "joined the Pact", "joined NATO"
            if self._acts_on_another(doc, cue, scope, mentions):
                return far  # "joined the talks", "left the meeting": not the body
            return named.index(scope) + 1 if scope in named else far

        ranks = [rank(cue) for cue in cues]
        best: dict[tuple[int, int], int] = {}
        for cue, value in zip(cues, ranks, strict=True):
            if value >= 0:
                span = (cue.start, cue.end)
                best[span] = min(best.get(span, far), value)
        return [
            cue
            for cue, value in zip(cues, ranks, strict=True)
            if value < 0 or (value < far and value == best[(cue.start, cue.end)])
        ]

    def _acts_on_another(self, doc: Doc, cue: Cue, scope: str, mentions: list[Mention]) -> bool:
        """Whether a verb cue's object is something other than its organisation: "joined
        the talks" (not the body), as against "joined the pact", "joined it", "joined"."""
        verb = doc[cue.end - 1]
        if verb.pos_ not in {"VERB", "AUX"}:
            return False
        for child in verb.children:
            if child.dep_ != "dobj" or child.pos_ == "PRON" or child.like_num:
                continue  # "joined it", "left 2002"
            if child.ent_type_ in {"DATE", "CARDINAL"}:
                continue
            if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in child.children):
                continue  # "suspended its membership": the subject's own tie to the body
            named = {m.entity for m in mentions if m.start <= child.i < m.end}
            if named:  # "joined the pact" is the body; "joined the European Union" is not
                return scope not in named
            noun = child.lemma_.lower()
            return not (noun in GROUP_NOUNS or noun in self._name_words(scope))
        return False

    def _name_words(self, name: str) -> frozenset[str]:
        """The longer words of an entity's name and aliases ("pact", "alliance", "nato")."""
        if name not in self._names_words:
            self._names_words[name] = self._words_of_name(name)
        return self._names_words[name]

    def _words_of_name(self, name: str) -> frozenset[str]:
        words = words_of(self.reference.entities.get(name), name)
        return frozenset(word for word in words if len(word) > 3)

    # -- one sentence -----------------------------------------------------------------

    def _sentence_claims(
        self,
        article: Article,
        unit: _Unit,
        doc: Doc,
        sent: Span,
        mentions: list[Mention],
        cues: list[Cue],
        context: _Context,
        *,
        as_of: date,
        time_source: str,
    ) -> list[Claim]:
        """The claims of one sentence (or table cell), in reading order."""
        cell = unit.kind == "cell"
        if cell:
            text, start, shift = unit.row, unit.row_offset, unit.offset - unit.row_offset
        else:
            text, start, shift = sent.text, unit.offset + sent.start_char, -sent.start_char

        def make(kind: str, span: tuple[int, int], **fields: object) -> Claim:
            first, last = doc[span[0]], doc[span[1] - 1]
            return Claim(
                article_id=article.id,
                sentence=text,
                sentence_start=start,
                start=first.idx + shift,
                end=last.idx + len(last) + shift,
                kind=kind,
                as_of=as_of,
                time_source=time_source,
                **fields,  # type: ignore[arg-type]
            )

        earlier = context.entities()
        ordered = tuple(dict.fromkeys([m.entity for m in mentions] + earlier))
        sentence = Sentence(
            doc=doc,
            span=sent,
            mentions=mentions,
            cues=cues,
            subjects=Subjects(ordered, tuple(earlier), fixed=unit.column_entity),
            reference=self.reference,
            make=make,
            regions=self._region_mentions(doc),
            dated=as_of if time_source in DATED_SOURCES else None,
            ends_line=not cell
            and unit.block_offset + len(unit.text) >= len((unit.block or unit.text).rstrip()),
        )
        claims: list[Claim] = []
        joined = ""  # the group the sentence says states joined
        announced, context.announced = context.announced, None
        if unit.kind != "question":  # a question asks; its answer claims
            if announced is not None:
                named = read_named_list(sentence, announced)
                claims.extend(timed(claim, announced.timing) for claim in named)
            read: list[range] = []  # cue spans that gave claims
            typed: set[tuple[int, int, str]] = set()  # and the value types read from them
            for cue in cues:
                value_type = sentence.attribute(cue).value_type
                if any(_covers(span, cue) for span in read):
                    continue  # a longer cue over these words was read already
                if (cue.start, cue.end, value_type) in typed:
                    continue  # these words were read as this type under another attribute
                reader = READERS.get(value_type)
                found = list(reader(sentence, cue)) if reader is not None else []
                if (
                    not found
                    and value_type == "count"
                    and not any(
                        (other.start, other.end) == (cue.start, cue.end)
                        and sentence.attribute(other).value_type == "list"
                        for other in cues
                    )
                ):  # "The other countries are A, B": a noun that is no list cue
                    found = list(read_members_named(sentence, cue))
                    found = found or list(read_order_by_noun(sentence, cue))
                # The same words may signal other attributes of the type ("left" the group,
                # or had its membership suspended): readings the checker also tries.
                others = [
                    f"@{other.attribute}"
                    for other in cues
                    if (other.start, other.end) == (cue.start, cue.end)
                    and other.attribute != cue.attribute
                    and sentence.attribute(other).value_type == value_type
                ]
                if found:
                    claims.extend(_add_readings(claim, others) for claim in found)
                    read.append(range(cue.start, cue.end))
                    typed.add((cue.start, cue.end, value_type))
            if not cell:
                claims.extend(read_membership(sentence))
                claims.extend(read_part_counts(sentence))
                claims.extend(read_unchanged(sentence))
                claims.extend(read_enlargements(sentence))
                claims.extend(read_eligibility(sentence))
                # "Most states have joined the union, except X" / "Except X" on its own.
                joined = joined_group(sentence)
                group = joined or (context.joined if sent[0].lower_ in EXCEPTION_WORDS else "")
                if group:
                    claims.extend(read_exceptions(sentence, group))
                # A checked claim where the facts settle nothing: they are dated and precise.
                if not any(self._settled(claim) for claim in claims):
                    claims.extend(
                        read_checked(
                            sentence,
                            self.reference.checked_claims,
                            self._checked,
                            earlier,
                            self._meaning,
                        )
                    )
                claims.extend(read_quotes(sentence, unit.block or unit.text, -unit.block_offset))
                if not claims and unit.kind != "heading":
                    claims.extend(read_statistics(sentence))
                claims = [self._with_time(claim, doc, sent, shift, as_of) for claim in claims]
                claims = [_framed(claim, doc, shift) for claim in claims]
        claims = [_with_readings(claim, sentence) for claim in claims]
        context.announced = None
        if sentence.list_next is not None and not cell:
            context.announced = self._with_timing(sentence.list_next, sentence, sent, shift, as_of)
        if sentence.open_list is not None and not cell:
            end = unit.offset - unit.block_offset + len(unit.block or unit.text)
            opened = self._with_timing(sentence.open_list, sentence, sent, shift, as_of)
            context.listing = lines.Listing(opened, start=start, end=end)
        context.joined = joined
        names = [unit.column_entity] if cell else [m.entity for m in mentions]
        if names:
            context.recent.append(names)
        return claims

    def _with_timing(
        self, opened: OpenList, sentence: Sentence, sent: Span, shift: int, as_of: date
    ) -> OpenList:
        """A list announced here, with the time its cue's clause gives ("In 1995 the
        members were:")."""
        probe = self._with_time(
            sentence.make("list", opened.span), sentence.doc, sent, shift, as_of
        )
        return replace(opened, timing=timing_of(probe))

    def _settled(self, claim: Claim) -> bool:
        """Whether the reference's facts can judge a claim (it has a subject with facts)."""
        if claim.kind == "office":
            return True  # the checker finds the office by its holder
        if claim.derived in ("eligible", "order", "order_after_founders"):
            # "X cannot join, because ...", "X became the 32nd ally": a checked claim may
            # say the same or give the reason; both are read.
            return False
        return bool(claim.entity and self.reference.facts_for(claim.entity, claim.attribute))

    # -- time -------------------------------------------------------------------------

    def _with_time(self, claim: Claim, doc: Doc, sent: Span, shift: int, as_of: date) -> Claim:
        """The claim judged at the time its sentence gives, if any.

        A date the claim reads as its own value does not set its time; a date another
        claim of the sentence reads does ("founded in 1949 by 12 countries"). A claim in a
        relative clause keeps the article's time ("NATO, which has 32 members, was founded
        in 1949"). A time that cannot be placed, or lies after the article, is unclear.
        """
        if claim.kind not in TIMED_KINDS or claim.derived == "unchanged":
            return claim  # an unchanged list carries its own span
        own = {t.i for t in sent if claim.start - shift <= t.idx < claim.end - shift}
        near = range(max(sent.start, min(own) - 3), max(own) + 1) if own else range(0)
        present = any(doc[i].lower_ in PRESENT_WORDS for i in near) and not any(
            doc[i].lower_ in FORMER_WORDS for i in near
        )  # "the then-current chair" is a past one
        verb = (
            clause_verb(doc[min(own) if claim.kind == "list" else max(own)]) if own else sent.root
        )
        if verb is None and claim.kind == "office":
            verb = sent.root  # "In 2021, the incumbent chair, X, lost the vote": then
        if verb is None:
            return claim
        time = claim_time(doc, sent, verb, today=as_of, skip=own)
        if present and (time is None or time.start is None):
            return claim  # "the current chair (2015 to 2017)": now, whatever the term says
        if time is None:
            time = self._origin_time(claim, verb)
        if time is None:
            time = self._event_time(doc, verb, claim.entity)
        return at_time(claim, time, as_of)

    def _event_time(self, doc: Doc, verb: Token, about: str) -> Time | None:
        """ "Before Fenwick left, the pact had 3 members": the time of another event, the
        date the reference gives for it (the day before it, for "before"). A time the
        reference cannot place, or places more than once, is unclear. An event relative to
        a group ("joined") is read as one with the group the claim is `about`."""
        for clause in verb.children:
            mark = next((c for c in clause.children if c.dep_ == "mark"), None)
            side = EVENT_RELATIVE.get(mark.lower_) if mark is not None else None
            if clause.dep_ != "advcl" or side is None:
                continue
            subject = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subject is None:
                continue
            mentions = self._mentions(doc)
            named = next((m.entity for m in mentions if m.start <= subject.i < m.end), "")
            attributes = {
                name
                for match_id, start, end in self._cues(doc)
                if start <= clause.i < end
                for name in [self.nlp.vocab.strings[match_id]]
                if self.reference.attributes[name].scope in ("", about)
            }
            dated = [
                value
                for attribute in attributes
                if self.reference.attributes[attribute].value_type in ("date", "year")
                for fact in (self.reference.facts_for(named, attribute) if named else ())
                if (value := numbers.parse_date(fact.value)) is not None
            ]
            said = doc[clause.left_edge.i : clause.right_edge.i + 1].text
            if not named or not attributes:
                continue
            if len({(value.start, value.end) for value in dated}) != 1:
                return Time(None, None, said)  # an event the reference cannot date once
            value = dated[0]
            if side == "before":
                day = value.start - timedelta(days=1)
                return Time(day, day, said)
            return Time(value.end, value.end, said)
        return None

    def _origin_time(self, claim: Claim, verb: Token) -> Time | None:
        """ "It originally had 20 members", "At first, the pact had 3 members": the time
        of the subject's founding, from its founding fact in the reference."""
        words = [
            child.subtree
            for child in verb.children
            if child.dep_ in {"advmod", "prep", "npadvmod"} and child.i < verb.i + 8
        ]
        said = next(
            (
                phrase
                for subtree in words
                for phrase in [" ".join(t.lower_ for t in subtree)]
                if phrase in ORIGIN_WORDS
            ),
            "",
        )
        if not said or not claim.entity:
            return None
        founded = [
            numbers.parse_date(fact.value)
            for attribute in self._founding
            for fact in self.reference.facts_for(claim.entity, attribute)
        ]
        dates = [value for value in founded if value is not None]
        if not dates:
            return Time(None, None, said)  # at a time the reference cannot place
        last = max(dates, key=lambda value: value.end)
        return Time(last.start, last.end, said)


class Parses:
    """The parsed blocks of one article, kept (as spaCy DocBin bytes) so that a change of
    the reference, the date or the extractor re-reads the article without parsing it."""

    def __init__(self, nlp: Language, cached: bytes | None = None) -> None:
        self.nlp = nlp
        self.parsed = 0  # sentences parsed now, not found in the cache
        self.recognized = 0  # sentences only the entity recognizer read now
        self._recognized_now: set[str] = set()  # their texts (docs made here, not stored)
        self.sentences = 0  # sentences (and table cells) read, parsed or not
        self.words = 0  # their tokens
        self.parsed_words = 0  # the tokens of the sentences that went to the parser
        self.claim_words = 0  # the tokens of the sentences that gave a claim
        self._docs: dict[str, Doc] = {}
        if cached:
            for doc in DocBin().from_bytes(cached).get_docs(nlp.vocab):
                self._docs[doc.text] = doc
        self._used: dict[str, Doc] = {}

    def pipe(
        self, tokens: list[Doc], texts: list[str] | None = None, *, recognize_only: bool = False
    ) -> Iterator[Doc]:
        """The parse of each tokenized sentence (whose `texts` are given, or read from the
        tokens), in order: from the cache, else parsed now (in one batch). With
        `recognize_only`, the entity recognizer's entities are enough: a full parse from
        the cache will do, and what is missing goes through the recognizer alone."""
        texts = [doc.text for doc in tokens] if texts is None else texts
        missing = {
            text: doc
            for text, doc in zip(texts, tokens, strict=True)
            if text not in self._docs
            or not (recognize_only or self._docs[text].has_annotation("DEP"))
        }
        if recognize_only:
            done = list(recognize(self.nlp, missing.values()))
            self.recognized += len(missing)
            self._recognized_now.update(missing)
        else:  # what the recognizer read here needs the other components only
            read = [text for text in missing if text in self._recognized_now]
            fresh = [text for text in missing if text not in self._recognized_now]
            parsed = dict(zip(read, complete(self.nlp, [self._docs[t] for t in read]), strict=True))
            parsed.update(zip(fresh, parse(self.nlp, [missing[t] for t in fresh]), strict=True))
            done = [parsed[text] for text in missing]
            self._recognized_now.difference_update(read)
            self.parsed += len(missing)
        for text, doc in zip(missing, done, strict=True):
            self._docs[text] = doc
        for text in texts:
            self._used[text] = self._docs[text]
            yield self._docs[text]

    def to_bytes(self) -> bytes:
        """The parses this article used, to store."""
        return DocBin(docs=self._used.values()).to_bytes()


def _states_a_value(tokens: Doc) -> bool:
    """Whether a sentence has a number, a quotation mark or "how many" ("How many members
    does it have?": its answer comes next), from its tokens alone."""
    if any(t.like_num or t.text == '"' for t in tokens):
        return True
    return any(t.lower_ == "how" and t.nbor(1).lower_ == "many" for t in tokens[:-1])


def _framed(claim: Claim, doc: Doc, shift: int) -> Claim:
    """A claim the sentence calls false ("it is wrong to say that ...") is denied by it; one
    it only reports ("officials denied that ...") is marked so, and never flagged."""
    first = next((t for t in doc if t.idx >= claim.start - shift), None)
    if first is not None and claim.kind == "checked":
        # A checked claim matched over the whole sentence: the clause its verb governs
        # ("Officials denied that X ...", "It is a myth that X ..." frame X).
        first = next(
            (
                t
                for t in first.sent
                if t.dep_ in {"ccomp", "acl"} and any(c.dep_ == "mark" for c in t.children)
            ),
            next((c for c in first.sent.root.children if c.dep_ == "ccomp"), first),
        )
    how = framing(first) if first is not None and claim.kind not in ("quote", "statistic") else ""
    if how == "false":
        return replace(claim, negated=not claim.negated)
    if how == "reported":
        return replace(claim, framing="reported")
    if claim.kind in FACT_KINDS and claim.derived != "eligible" and _foreseen(claim, doc, shift):
        return replace(claim, framing="hypothetical")
    return claim


def _foreseen(claim: Claim, doc: Doc, shift: int) -> bool:
    """Whether the claim's value is what a modal verb says will or would be ("NATO will have
    35 members by 2030", "would have 33 members"), not what is: the value's own verb, or the
    verb it is the object or complement of, has the modal. Its subject ("Prime Minister X
    will host ...") and an aside ("As the third-largest economy, it would ...") still state
    what is."""
    span = doc.char_span(claim.start - shift, claim.end - shift, alignment_mode="expand")
    if span is None:
        return False
    node = span.root
    if node.pos_ not in {"VERB", "AUX"}:
        if node.dep_ not in ARGUMENT_DEPS:
            return False
        node = node.head
    return any(c.tag_ == "MD" and c.lower_ in FORESEEING_MODALS for c in node.children)


def _with_readings(claim: Claim, sentence: Sentence) -> Claim:
    """The claim with the other subjects its words may be about ("It has 27 members" after
    two groups were named)."""
    others = sentence.readings.get((claim.attribute, claim.entity), ())
    return _add_readings(claim, list(others)) if claim.entity else claim


def _add_readings(claim: Claim, others: list[str]) -> Claim:
    """The claim with more readings: another subject ("Southern League") or another
    attribute of the same words ("@pact_suspension")."""
    if not others:
        return claim
    known = [item for item in claim.readings.split("|") if item]
    return replace(claim, readings="|".join(dict.fromkeys([*known, *others])))


def cue_variants(cue: str) -> list[str]:
    """A cue and its other forms: "member" also matches "members"; "includes" also
    matches "include" and "included"."""
    cue = cue.strip().lower()
    if not cue:
        return []
    words = cue.split()
    last = words[-1]
    forms = {last}
    if last.isalpha() and len(last) > 3:
        if last.endswith("ies"):
            forms.add(last[:-3] + "y")
        elif last.endswith("s") and not last.endswith("ss"):
            forms.add(last[:-1])
        elif last.endswith("y") and last[-2] not in "aeiou":
            forms.add(last[:-1] + "ies")
        else:
            forms.add(last + "s")
        stem = last[:-1] if last.endswith("es") else last
        if stem.endswith("e"):
            forms.add(stem + "d")  # "include" -> "included", "comprise" -> "comprised"
    return sorted(" ".join([*words[:-1], form]) for form in forms)


def _cue_groups(
    nlp: Language, doc: Doc, matches: list[tuple[int, int, int]]
) -> list[tuple[str, list[str]]]:
    """The words and attributes of each cue position, in reading order, longest cues only."""
    spans: dict[tuple[int, int], list[str]] = {}
    for match_id, start, end in matches:
        spans.setdefault((start, end), []).append(nlp.vocab.strings[match_id])
    kept = [
        span
        for span in spans
        if not any(o != span and o[0] <= span[0] and span[1] <= o[1] for o in spans)
    ]
    return [(doc[start:end].text.lower(), spans[(start, end)]) for start, end in sorted(kept)]


def _cue_rank(cues: tuple[str, ...], words: str) -> int:
    """Where `words` stands among an attribute's cues: its first cue ranks 0."""
    lowered = [cue.lower() for cue in cues]
    return lowered.index(words) if words in lowered else len(lowered)


def _covers(span: range, cue: Cue) -> bool:
    """Whether a longer cue span that was read overlaps `cue`."""
    overlaps = cue.start in span or cue.end - 1 in span
    return overlaps and len(span) > cue.end - cue.start


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and (all(c.isupper() for c in letters) or len(name) <= 3)


def _pieces(text: str) -> Iterator[tuple[int, int]]:
    """`text` cut into pieces of at most MAX_BLOCK_CHARS characters: after the last
    sentence end before the limit, else at the last space, so that a claim is not cut."""
    start = 0
    while len(text) - start > MAX_BLOCK_CHARS:
        limit = start + MAX_BLOCK_CHARS
        ends = [text.rfind(mark, start, limit) for mark in (". ", "! ", "? ")]
        cut = max(ends) + 1 if max(ends) > start else text.rfind(" ", start, limit)
        cut = cut if cut > start else limit
        yield start, cut
        start = cut + 1 if text[cut : cut + 1] == " " else cut
    yield start, len(text)


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per thing said: a list read from two cues ("members include") counts once."""
    seen: set[tuple] = set()
    kept = []
    for claim in claims:
        span = (claim.start, claim.end) if claim.kind != "list" else ()
        key = (claim.sentence_start, *span, claim.kind, claim.attribute, claim.value)
        if key not in seen:
            seen.add(key)
            kept.append(claim)
    return kept
