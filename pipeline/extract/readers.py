"""Read the value a cue introduces, one reader per value type.

Each reader takes a `Sentence` and one of its attribute cues and yields the claims it
reads: the value, its subject (from the parse, the table column or context) and how sure
the reading is. Words listed here are English grammar (hedges, glue between list items,
particles in names); what counts as an entity or an attribute comes from the reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date

from spacy.tokens import Span, Token

from pipeline import lexicon, numbers
from pipeline.extract.sentence import (
    COPULAS,
    GROUP_KINDS,
    GROUP_NOUNS,
    MEASURE_NOUNS,
    POSSESSION_VERBS,
    RELATIVE_PRONOUNS,
    Cue,
    Mention,
    OpenList,
    Sentence,
    clause_of,
    cue_head,
    governing_verb,
    hint,
    is_negated,
    outside_brackets,
    sets_time_of,
    subject_of,
    words_of,
)
from pipeline.models import ANY_STATE, REGION_ATTRIBUTE, Claim

Reader = Callable[[Sentence, Cue], Iterator[Claim]]
ROMAN_NUMERAL = re.compile(r"[IVXLC]+")  # "Article XIV": upper case, as legal texts write it

# How far from its cue a value may stand, in tokens.
NUMBER_GAP = 2
MIN_YEAR = 1000  # a bare figure below this that the NER calls a date is a number
YEAR_WINDOW = 4
DATE_WINDOW = 6
ORDINAL_WINDOW = 3
# Confidence of each kind of reading, before the subject's.
NUMBER_CONFIDENCE = 0.95
EVENT_CONFIDENCE = 0.9
RANK_CONFIDENCE = 0.9
LIST_CONFIDENCE = 0.9
PROVISION_CONFIDENCE = 0.8

HOLDING_VERBS = lexicon.words("holding_verbs")
CHOOSING_VERBS = lexicon.words("choosing_verbs")
HONORIFICS = lexicon.words("honorifics")
# Adjectives that describe a group's size without narrowing it: "its 32 current members".
NEUTRAL_MODIFIERS = lexicon.words("neutral_modifiers")
FORMER_WORDS = lexicon.words("former_words")
COMPLETE_WORDS = lexicon.words("complete_words")
PARTIAL_WORDS = lexicon.words("partial_words")
NAME_PARTICLES = lexicon.words("name_particles")
REFERRING_PRONOUNS = lexicon.words("list_pronouns")
LIST_GLUE = lexicon.words("list_glue")
MEMBERSHIP_WORDS = lexicon.words("membership_words")
NEWEST_WORDS = lexicon.words("newest_words")
CHANGE_VERBS = lexicon.words("change_verbs")
JOINING_WORDS = lexicon.words("joining_words")
REMAINING_WORDS = lexicon.words("remaining_words")
EXCEPTION_WORDS = lexicon.words("exception_words")
UNCHANGED_WORDS = lexicon.words("unchanged_words")
ENLARGING_VERBS = lexicon.words("enlarging_verbs")
PARTITIVE_WORDS = lexicon.words("partitive_words")
UNIVERSAL_WORDS = lexicon.words("universal_words")
POSSIBILITY_MODALS = lexicon.words("possibility_modals")
FOUNDER_WORDS = lexicon.words("founder_words")
ANY_WORDS = lexicon.words("any_words")
ELIGIBILITY_ADJECTIVES = lexicon.words("eligibility_adjectives")
INELIGIBLE_WORDS = lexicon.words("ineligible_words")
ELIGIBILITY_NOUNS = lexicon.words("eligibility_nouns")
CONDITION_WORDS = lexicon.words("condition_words")
REASON_WORDS = lexicon.words("reason_words")
RESULT_VERBS = lexicon.words("result_verbs")
RULE_WORDS = lexicon.words("rule_words")
MEMBERSHIP_NOUNS = lexicon.words("membership_nouns")
ELIGIBILITY_ATTRIBUTE = "eligible_region"  # the reference's membership rule (README)
TIMES_WORDS = {
    word: int(count)
    for word, _, count in (pair.partition(":") for pair in lexicon.words("times_words"))
}
INSIDE_PREPS = lexicon.words("inside_preps")
OUTSIDE_PREPS = lexicon.words("outside_preps")


# -- counts and numbers ---------------------------------------------------------------


def read_number(sentence: Sentence, cue: Cue) -> Iterator[Claim]:
    """ "NATO has 32 members", "the 32-member alliance", "a population of 4.2 million"."""
    doc = sentence.doc
    head = cue_head(doc, cue)
    end = _changed_to(head)
    if end is not None:
        yield from _read_change(sentence, cue, head, end)
        return
    if not _sizes_a_group(sentence, cue, head):
        return
    parts = _a_part(sentence, cue, head)
    total = _parts_total(sentence, head) if parts else None
    if parts and total is None:
        return  # "19 countries and the Southern League": one part of a total
    if sentence.attribute(cue).value_type == "count" and not _counts_a_group(sentence, cue, head):
        return
    found = [total[0]] if total is not None else _numbers_near(sentence, cue, head)
    if len(found) != 1:  # none, or "27 and 32 members respectively": not one reading
        return
    ent = found[0]
    value = total[1] if total is not None else numbers.parse_number(ent.text)
    attribute = sentence.attribute(cue)
    if value is None or (attribute.value_type == "count" and (value != int(value) or value < 0)):
        return
    labels = cue.end < sentence.span.end and doc[cue.end].text == ":"
    # "two observer states: A, B"; "16 of the 53 member countries": the total is the
    # group's own, whatever the verb of the sentence is about.
    subject_hint = hint(sentence, cue, verbs=not (labels or _partitive_total(head)))
    if labels:
        entity, confidence = sentence.pick_subject(cue.attribute, subject_hint)
    elif (
        head.dep_ in {"nsubj", "nsubjpass"}
        and not (subject_hint.anchor or subject_hint.anaphor)
        and not any(child.lower_ == "all" for child in head.children)
        and not (ent.root.dep_ in {"attr", "acomp"} and ent.root.head.lemma_ in COPULAS)
    ):
        entity, confidence = "", 0.5  # "Twenty countries belong to both": counted, not owned
    else:
        entity, confidence = sentence.pick_subject(cue.attribute, subject_hint)
    if total is None and any(
        not sentence.owns_modifier(word, entity) for word in _modifiers(head, cue)
    ):
        return  # "12 Sylvanian members", "aspiring members": a part of the group
    sentence.used.update(range(ent.start, ent.end))
    yield sentence.make(
        "value",
        (min(ent.start, cue.start), max(ent.end, cue.end)),
        entity=entity,
        attribute=cue.attribute,
        value=numbers.format_number(value),
        value_text=ent.text,
        negated=is_negated(head),
        confidence=confidence * NUMBER_CONFIDENCE,
        unsettled=_said_of_every_member(head),
    )


def _said_of_every_member(head: Token) -> str:
    """ "All 27 members use the euro", "every one of its ten members signed": the verb said
    of each member, which the count alone cannot settle; '' when there is none."""
    node = head
    if head.dep_ == "pobj" and head.head.lower_ == "of":
        node = head.head.head  # "every one of the ten members"
    universal = any(c.lower_ in UNIVERSAL_WORDS for c in (*node.children, *head.children))
    verb = node.head
    if not universal or node.dep_ not in {"nsubj", "nsubjpass"}:
        return ""
    if verb.lemma_ in POSSESSION_VERBS or verb.lemma_ in COPULAS:
        return ""  # "all 27 members are ...", "all four member states count"
    said = [
        t for t in verb.subtree if (t.i > node.right_edge.i or t.i == verb.i) and not t.is_punct
    ]
    return " ".join(t.text for t in said)


def _partitive_total(head: Token) -> bool:
    """ "16 of the 53 member countries", "most of the 27 members": a part of a definite
    total, which the cue's number counts."""
    of = head.head
    if head.dep_ != "pobj" or of.lower_ != "of" or of.head.i == of.i:
        return False
    part = of.head
    definite = any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)
    return definite and (part.like_num or part.lower_ in PARTITIVE_WORDS)


def _measured(head: Token) -> Token | None:
    """The number a measure noun gives the cue: "the number of members is 32", "bringing
    the number of member states to eight"; None when the cue is not measured so."""
    if head.dep_ == "pobj" and head.head.lower_ == "of":
        measure = head.head.head  # "the number of members"
    elif head.lemma_.lower() in MEASURE_NOUNS:
        measure = head  # "membership stands at 32"
    else:
        return None
    if measure.lemma_.lower() not in MEASURE_NOUNS:
        return None
    verb = measure.head
    if measure.dep_ in {"nsubj", "nsubjpass"} and verb.lemma_ in COPULAS:
        found = [c for c in verb.children if c.dep_ in {"attr", "acomp"} and c.like_num]
        return found[0] if found else None
    if measure.dep_ in {"nsubj", "nsubjpass"} and verb.lemma_ in POSSESSION_VERBS:
        found = [c for c in verb.children if c.dep_ == "dobj" and c.like_num]  # "totals 32"
        if found:
            return found[0]
    return _to_number(verb, ("to", "at"))  # "rose to 32", "bringing ... to eight", "stands at"


def _to_number(verb: Token, prepositions: tuple[str, ...]) -> Token | None:
    """The number a verb's "to"/"at" phrase gives ("rose to 32", "stands at 32")."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in prepositions:
            found = [c for c in child.children if c.dep_ == "pobj" and c.like_num]
            if found:
                return found[0]
    return None


def _changed_to(head: Token) -> Token | None:
    """The end of a change the counted noun starts: "grew from the original five
    countries to ten" claims ten."""
    if head.dep_ != "pobj" or head.head.lower_ != "from":
        return None
    verb = head.head.head
    if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_ not in POSSESSION_VERBS:
        return None
    return _to_number(verb, ("to",))


def _read_change(sentence: Sentence, cue: Cue, head: Token, end: Token) -> Iterator[Claim]:
    """ "X grew from the original five countries to ten": the count the change ends at."""
    value = numbers.parse_number(end.text)
    if value is None or value != int(value) or value < 0 or end.i in sentence.used:
        return
    entity, confidence = sentence.pick_subject(cue.attribute, hint(sentence, cue))
    sentence.used.add(end.i)
    yield sentence.make(
        "value",
        (cue.start, end.i + 1),
        entity=entity,
        attribute=cue.attribute,
        value=numbers.format_number(value),
        value_text=end.text,
        negated=is_negated(head),
        confidence=confidence * NUMBER_CONFIDENCE,
    )


def _a_part(sentence: Sentence, cue: Cue, head: Token) -> bool:
    """The counted noun is one part of a total: "19 countries and the Southern League",
    "45 northern states and two southern ones"; not beside another group ("12 members and
    3 observers")."""
    cue_words = {word for phrase in sentence.attribute(cue).cues for word in phrase.split()}
    siblings = [child for child in head.children if child.dep_ == "conj"]
    if head.dep_ == "conj":
        siblings.append(head.head)
    named = next((c.i for c in head.children if c.dep_ == "appos"), None)
    if named is not None:  # "eight members, namely A, B and C": the items, not other parts
        siblings = [other for other in siblings if other.i < named]
    return any(
        sentence.mention_at(other)
        or other.lemma_ == head.lemma_
        or other.lower_ in {"one", "ones"}
        or other.lower_ in cue_words
        for other in siblings
    )


def _parts_total(sentence: Sentence, head: Token) -> tuple[Span, float] | None:
    """ "45 northern states and two southern ones": the parts of one total, each a number
    of the same noun (or "one(s)"), added up, with the words that give them; None when a
    part is something else ("19 countries and the Southern League")."""
    doc = sentence.doc
    siblings = [head, *(child for child in head.children if child.dep_ == "conj")]
    if head.dep_ == "conj":
        siblings.append(head.head)  # "the Southern League and 19 countries"
    total = 0.0
    for part in siblings:
        if sentence.mention_at(part) or not (
            part.lemma_ == head.lemma_ or part.lower_ in {"one", "ones"}
        ):
            return None
        count = next((c for c in part.children if c.dep_ == "nummod" and c.like_num), None)
        value = numbers.parse_number(count.text) if count is not None else None
        if value is None or value != int(value):
            return None
        total += value
    first = min(t.i for part in siblings for t in part.subtree)
    last = max(part.i for part in siblings)
    return doc[first : last + 1], total


def _counts_a_group(sentence: Sentence, cue: Cue, head: Token) -> bool:
    """A one-word cue ("countries", "members") counts a group only when it is the group's
    own: after a verb or possessor, or inside a noun phrase that names a group ("an
    alliance of 30 countries", "the 32-member alliance"), not some other thing ("a
    continent of 54 countries", "a seven-member court", "the heads of the four countries")."""
    if cue.end - cue.start > 1:
        return True  # "member states": specific enough wherever it stands
    if head.dep_ in {"compound", "amod", "nmod"}:
        carrier = head.head
    elif head.dep_ == "pobj" and head.head.lower_ == "of":
        carrier = head.head.head
        if carrier.pos_ == "VERB" and carrier.dep_ == "acl":
            carrier = carrier.head  # "a union consisting of 54 states"
    else:
        return True
    if carrier.pos_ not in {"NOUN", "PROPN"} or not carrier.is_alpha:
        return True  # not a noun phrase around it (or a stray symbol the parser took for one)
    if sentence.mention_at(carrier):
        return True
    noun = carrier.lemma_.lower()
    return (
        noun in GROUP_NOUNS
        or noun in MEASURE_NOUNS
        or any(
            noun in words_of(sentence.reference.entities.get(name), name)
            for name in sentence.subjects.candidates
        )
    )


def _modifiers(head: Token, cue: Cue) -> list[Token]:
    """The words that would narrow the counted group ("Japanese people", "12 European
    countries", "aspiring members"), unless they name its owner."""
    found = []
    for child in head.children:
        if cue.start <= child.i < cue.end or child.like_num or child.ent_type_ == "CARDINAL":
            continue
        modifier = child.dep_ in {"amod", "compound", "nmod"}
        narrowing = child.pos_ in {"ADJ", "PROPN", "NOUN", "VERB"} or child.ent_type_ == "NORP"
        if modifier and narrowing and child.lower_ not in NEUTRAL_MODIFIERS:
            found.append(child)
    return found


def _sizes_a_group(sentence: Sentence, cue: Cue, head: Token) -> bool:
    """Whether the counted noun gives the size of a group, not a number of things in
    some other relation ("troops to 8 nations", "leaders from 12 countries")."""
    if sentence.subjects.fixed or head.dep_ == "ROOT":
        return True  # a table cell, or a heading-like fragment ("29 member countries")
    doc = sentence.doc
    if cue.end < sentence.span.end and doc[cue.end].text == ":":
        return True  # a count that names the list after it ("four observer states: A, B")
    if _measured(head) is not None:
        return True  # "the number of member states rose to eight"
    if head.dep_ in {"compound", "amod", "nmod"}:
        return True  # "the 32-member alliance"
    if any(child.lower_ == "all" for child in head.children):
        return True  # "all four member states signed": there are four
    owner = hint(sentence, cue, verbs=False)
    if owner.anchor or owner.possessor or owner.anaphor == "it":
        return True  # "NATO's 32 members", "the 32 members of NATO", "the bloc's 32 members"
    preposition = head.head.lower_ if head.dep_ == "pobj" else ""
    on_noun = head.head.head.pos_ not in {"VERB", "AUX"}
    if preposition == "with" or (preposition in {"of", "to"} and on_noun):
        return True  # "an alliance of 30 countries", "home to 190 million people", "with 193"
    if (
        head.dep_ in {"nsubj", "nsubjpass"}
        and head.head.lemma_ in COPULAS
        and any(c.dep_ in {"attr", "acomp"} and c.like_num for c in head.head.children)
    ):
        return True  # "the member states are now 53": the noun is the count's subject
    verb = governing_verb(head)
    if verb is None or verb.lemma_ not in POSSESSION_VERBS:
        return False
    if head.dep_ in {"dobj", "attr", "nsubj", "nsubjpass"}:
        return True
    return head.dep_ == "pobj" and head.head.lower_ in {"to", "at", "of"}  # "grew to 32 members"


def _numbers_near(sentence: Sentence, cue: Cue, head: Token) -> list[Span]:
    """Number spans that quantify the cue: its numeric modifier, a number just before it,
    "of 4.2 million" after it, or "is 4.2 million" when the cue is the subject."""
    doc = sentence.doc
    cue_words = {w for phrase in sentence.attribute(cue).cues for w in phrase.lower().split()}
    found = []
    for ent in sentence.ents("CARDINAL", "QUANTITY", "DATE"):
        if ent.label_ == "DATE" and not (ent.text.isdigit() and int(ent.text) < MIN_YEAR):
            continue  # a date; but "are now 53" is a count the NER took for one
        if any(sentence.mention_at(t) for t in ent):
            continue  # part of a name: "the Pact of Four", "G4"
        modifies = any(t.head.i in range(cue.start, cue.end) for t in ent) and any(
            t.dep_ in {"nummod", "compound", "amod", "quantmod"} for t in ent
        )
        adjacent = 0 <= cue.start - ent.end <= NUMBER_GAP and all(
            doc[i].is_punct or doc[i].lower_ in cue_words for i in range(ent.end, cue.start)
        )
        root = ent.root
        of_cue = (
            root.dep_ == "pobj"
            and root.head.lower_ == "of"
            and root.head.head == head
            and ent.start >= cue.end
        )
        is_cue = (
            root.dep_ in {"attr", "acomp"}
            and head.dep_ in {"nsubj", "nsubjpass"}
            and root.head == head.head
            and root.head.lemma_ in COPULAS
        )
        measured = _measured(head)
        by_measure = measured is not None and root == measured
        if modifies or adjacent or of_cue or is_cue or by_measure:
            found.append(ent)
    return found


# -- years and dates ------------------------------------------------------------------


def read_event(sentence: Sentence, cue: Cue) -> Iterator[Claim]:
    """ "founded in 1949", "joined NATO on 4 April 2023": when something happened;
    "Fenwick (2005), Sylvania (2007) and Freedonia (2009)": when each of several did."""
    value_type = sentence.attribute(cue).value_type
    pairs = list(_dated_names(sentence, cue))
    if len(pairs) >= 2:
        for mention, ent, date_value in pairs:
            sentence.used.update(range(ent.start, ent.end))
            yield sentence.make(
                "value",
                (mention.start, ent.end),
                entity=mention.entity,
                attribute=cue.attribute,
                value=_event_value(date_value, value_type),
                value_text=ent.text,
                confidence=EVENT_CONFIDENCE * 0.9,
            )
        return
    window = YEAR_WINDOW if value_type == "year" else DATE_WINDOW
    for ent in _event_dates(sentence, cue, window):
        found = _date_in(ent) or _relative_date(sentence, ent)
        if found is None:
            continue
        date_value, ent = found
        value = _event_value(date_value, value_type)
        entity, confidence = sentence.pick_subject(cue.attribute, hint(sentence, cue))
        with_facts = sentence.reference.entities_with(cue.attribute)
        if entity and entity not in with_facts:  # "Ruritania signed the treaty": the treaty's
            entity = _argument_with_facts(sentence, cue, with_facts) or entity
        sentence.used.update(range(ent.start, ent.end))
        yield sentence.make(
            "value",
            (min(cue.start, ent.start), max(cue.end, ent.end)),
            entity=entity,
            attribute=cue.attribute,
            value=value,
            value_text=ent.text,
            negated=is_negated(cue_head(sentence.doc, cue)),
            confidence=confidence * EVENT_CONFIDENCE,
        )
        yield from _joint(sentence, cue, entity, value, ent, confidence)
        yield from _continued(sentence, cue, ent, with_facts)
        return


def _joint(
    sentence: Sentence, cue: Cue, entity: str, value: str, ent: Span, confidence: float
) -> Iterator[Claim]:
    """ "Freedonia and Sylvania joined in 2005": the same date for every subject named
    together with the first (each is checked on its own)."""
    verb = cue_head(sentence.doc, cue)
    subject = subject_of(verb) if verb.pos_ in {"VERB", "AUX"} else None
    if subject is None or sentence.mention_at(subject) != entity:
        return
    for other in subject.conjuncts:
        named = sentence.mention_at(other)
        kind = sentence.reference.entities[named].kind if named else ""
        if not named or named == entity or kind in GROUP_KINDS:
            continue
        mention = next(m for m in sentence.mentions if m.start <= other.i < m.end)
        yield sentence.make(
            "value",
            (mention.start, mention.end),
            entity=named,
            attribute=cue.attribute,
            value=value,
            value_text=ent.text,
            negated=is_negated(verb),
            confidence=confidence * EVENT_CONFIDENCE * 0.9,
        )


def _continued(
    sentence: Sentence, cue: Cue, first: Span, with_facts: frozenset[str]
) -> Iterator[Claim]:
    """The same event for others later in the sentence: "X joined in 2005, followed by Y in
    2007 and Z in 2009"."""
    doc = sentence.doc
    value_type = sentence.attribute(cue).value_type
    for ent in sentence.ents("DATE"):
        if ent.start <= first.end or ent.start - 2 < sentence.span.start:
            continue
        if doc[ent.start - 1].lower_ not in {"in", "on"}:
            continue
        named = sentence.mention_at(doc[ent.start - 2])
        found = _date_in(ent)
        if not named or named not in with_facts or found is None:
            continue
        start = next(m.start for m in sentence.mentions if m.start <= ent.start - 2 < m.end)
        sentence.used.update(range(found[1].start, found[1].end))
        yield sentence.make(
            "value",
            (start, found[1].end),
            entity=named,
            attribute=cue.attribute,
            value=_event_value(found[0], value_type),
            value_text=found[1].text,
            confidence=EVENT_CONFIDENCE * 0.8,
        )


def _event_value(date_value: numbers.DateValue, value_type: str) -> str:
    """A date as precise as it was written: "1999", "1999-06" or "1999-06-25"."""
    if value_type == "year" or date_value.precision == "year":
        return str(date_value.start.year)
    if date_value.precision == "month":
        return date_value.start.isoformat()[:7]  # "June 1999" -> "1999-06"
    return date_value.start.isoformat()


def _dated_names(sentence: Sentence, cue: Cue) -> Iterator[tuple[Mention, Span, numbers.DateValue]]:
    """Names each followed by its own date in brackets, after an event cue: "joined later:
    Fenwick (2005), Sylvania (2007) and Freedonia (2009)"."""
    doc = sentence.doc
    dates = {ent.start: ent for ent in sentence.ents("DATE")}
    for mention in sentence.mentions:
        if mention.start < cue.end or mention.end + 1 >= sentence.span.end:
            continue
        if doc[mention.end].text != "(":
            continue
        ent = dates.get(mention.end + 1)
        found = _date_in(ent) if ent is not None else None
        if found is not None and found[1].end < sentence.span.end and doc[found[1].end].text == ")":
            yield mention, found[1], found[0]


def _argument_with_facts(sentence: Sentence, cue: Cue, with_facts: frozenset[str]) -> str:
    """An entity among the cue verb's other arguments that the event is about: the treaty
    a country signed, the body that admitted a country."""
    head = cue_head(sentence.doc, cue)
    verb = head if head.pos_ in {"VERB", "AUX"} else governing_verb(head)
    if verb is None:
        return ""
    for child in verb.children:
        if child.dep_ in {"dobj", "nsubjpass"}:  # what was signed, who was admitted
            for token in child.subtree:
                named = sentence.mention_at(token)
                if named in with_facts:
                    return named
    return ""


def _event_dates(sentence: Sentence, cue: Cue, window: int) -> list[Span]:
    """The dates that may say when a cue's event happened: those just after it ("founded in
    1949"), then those the parse attaches to its verb elsewhere in the clause ("On 30
    January 2005 the pact admitted Fenwick")."""
    dates = list(sentence.ents("DATE"))
    near = [ent for ent in dates if 0 <= ent.start - cue.end <= window]
    verb = cue_head(sentence.doc, cue)
    verb = verb if verb.pos_ in {"VERB", "AUX"} else governing_verb(verb)
    if verb is None:
        return near
    doc = sentence.doc

    def on_verb(ent: Span) -> bool:
        lead = doc[ent.start - 1] if ent.start > sentence.span.start else None
        led = lead is not None and lead.dep_ == "prep" and lead.head == verb  # "On 1 May ..."
        return led or sets_time_of(ent.root, verb)

    attached = [ent for ent in dates if ent not in near and ent.end <= cue.start and on_verb(ent)]
    return near + attached


def _relative_date(sentence: Sentence, ent: Span) -> tuple[numbers.DateValue, Span] | None:
    """ "joined last year": the year (or month) the words name from the article's own date;
    None in an article with no date of its own, where "last year" could be any year."""
    if sentence.dated is None:
        return None
    value = numbers.parse_relative_date(ent.text, today=sentence.dated)
    return (value, ent) if value is not None else None


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


# -- ranks ----------------------------------------------------------------------------


def read_rank(sentence: Sentence, cue: Cue) -> Iterator[Claim]:
    """ "the world's third-largest economy", "the 29th member of NATO", "the largest economy"."""
    doc = sentence.doc
    for child in cue_head(doc, cue).children:
        named_place = child.ent_type_ in {"GPE", "LOC", "NORP"} or sentence.mention_at(child)
        if child.dep_ in {"poss", "compound", "amod"} and named_place:
            return  # "the region's largest country": a regional ranking, not the world's
    first = doc[cue.start]
    superlative = numbers.parse_ordinal(first.text) == 1 and not first.like_num
    rank, start = None, cue.start
    for k in range(1, ORDINAL_WINDOW + 1):
        i = cue.start - k
        if i < sentence.span.start:
            break
        token = doc[i]
        if not (
            token.is_punct or token.ent_type_ == "ORDINAL" or numbers.parse_ordinal(token.text)
        ):
            break  # "the first Nordic country": a qualifier narrows the ranking
        text = doc[i : cue.start].text + (first.text if superlative else "")
        parsed = numbers.parse_ordinal(text.replace(" ", ""))
        if parsed is not None and not token.is_punct:
            rank, start = parsed, i
    if rank is None and superlative:
        lead = doc[max(sentence.span.start, cue.start - 3) : cue.start].text.lower()
        if "one of" not in lead:
            rank = 1
    if rank is None:
        return
    entity, confidence = sentence.pick_subject(
        cue.attribute, hint(sentence, cue, possessives=False)
    )
    sentence.used.update(range(start, cue.end))
    yield sentence.make(
        "value",
        (start, cue.end),
        entity=entity,
        attribute=cue.attribute,
        value=str(rank),
        value_text=doc[start : cue.end].text,
        negated=is_negated(cue_head(doc, cue)),
        confidence=confidence * RANK_CONFIDENCE,
    )


# -- office holders -------------------------------------------------------------------


def read_text(sentence: Sentence, cue: Cue) -> Iterator[Claim]:
    """A text value: a legal provision for a multivalued attribute ("Article 9 of ..."),
    otherwise the person who holds a title ("Prime Minister Fumio Kishida")."""
    if sentence.attribute(cue).multivalued:
        yield from read_provision(sentence, cue)
    else:
        yield from read_office(sentence, cue)


def read_office(sentence: Sentence, cue: Cue) -> Iterator[Claim]:
    """The holder of a title, and the country or body whose title it is when the sentence
    names it ("Brazil's president", "Japanese Prime Minister"); otherwise the checker finds
    the office by its holder."""
    doc = sentence.doc
    person = _office_holder(sentence, cue)
    if person is None or any(i in sentence.used for i in range(person.start, person.end)):
        return
    with_facts = sentence.reference.entities_with(cue.attribute)
    anchor = hint(sentence, cue, verbs=False).anchor
    before = [m for m in sentence.mentions if m.end <= cue.start and cue.start - m.end <= 2]
    entity = anchor if anchor in with_facts else ""
    entity = entity or next((m.entity for m in reversed(before) if m.entity in with_facts), "")
    span = (min(cue.start, person.start), max(cue.end, person.end))
    lead = range(max(sentence.span.start, cue.start - 2), cue.start)
    former = any(doc[i].lower_ in FORMER_WORDS for i in lead) or any(
        t.lemma_ in COPULAS and t.tag_ == "VBD" for t in doc[span[0] : span[1]]
    )  # "Harper, who was prime minister, ...": a past-tense title is about the past
    sentence.used.update(range(person.start, person.end))
    person = _without_honorifics(person)
    head = cue_head(doc, cue)
    ranked = [  # "Japan's 102nd prime minister", "the longest-serving chair"
        "".join(t.text_with_ws for t in c.subtree).strip()
        for c in head.children
        if c.dep_ in {"amod", "nummod", "compound"}
        and c.i < cue.start
        and numbers.parse_ordinal("".join(t.text_with_ws for t in c.subtree).strip()) is not None
    ]
    yield sentence.make(
        "office",
        span,
        entity=entity,
        attribute=cue.attribute,
        value=person.text,
        value_text=person.text,
        former=former,
        negated=is_negated(cue_head(doc, cue)),
        confidence=0.95 if entity else 0.85,
        unsettled=" ".join(ranked),
    )


def _office_holder(sentence: Sentence, cue: Cue) -> Span | None:
    """The person a title names, in the shapes news uses:
    1. "Prime Minister Fumio Kishida", "the prime minister, Fumio Kishida,";
    2. "Brazil's president was Dilma Rousseff";
    3. "Dilma Rousseff was Brazil's president", "Harper, who was prime minister, ...";
    4. "Fumio Kishida, Japan's prime minister, said ...";
    5. "headed by Fumio Kishida, Prime Minister (...)", where the parse lost the apposition.
    """
    doc, sent = sentence.doc, sentence.span
    after = cue.end
    while after < sent.end and doc[after].text in {",", "-"}:
        after += 1
    if after - cue.end <= 1 and after < sent.end:
        name = _name_at(sentence, after)
        if name is not None:
            return name
    if after < sent.end and doc[after].lower_ == "of":
        # "the president of the Assembly Jean Dupont (...)": the name after the owner
        owner = next((m for m in sentence.mentions if m.start > after), None)
        if owner is not None and all(t.lower_ == "the" for t in doc[after + 1 : owner.start]):
            name = _name_at(sentence, owner.end)
            if name is not None:
                return name
    head = cue_head(doc, cue)
    after = _past_aside(sentence, after)
    if after < sent.end and doc[after].lemma_ in COPULAS and head.dep_ in {"nsubj", "nsubjpass"}:
        name = _name_at(sentence, after + 1)
        if name is not None:
            return name
    for child in head.children:  # "the Prime Minister of Ruritania, Rudolf Rassendyll,"
        bracketed = sentence.doc[child.left_edge.i - 1].text == "(" if child.left_edge.i else False
        if child.dep_ == "appos" and child.i > head.i and not bracketed:  # not "(Sylvania)"
            name = _name_around(sentence, child)
            if name is not None:
                return name
    holder = head
    if head.dep_ == "pobj" and head.head.lower_ == "as" and head.head.head.pos_ in {"VERB", "AUX"}:
        holder = head.head  # "X serves as the bloc's chair", "X was elected as president"
    if holder.dep_ in {"attr", "acomp", "prep", "oprd"} and holder.head.lemma_ in HOLDING_VERBS:
        verb = holder.head
        # "X serves as chair", "X was elected chair": the subject; "they elected X as
        # chair": the object.
        wanted = ("dobj",) if verb.lemma_ in CHOOSING_VERBS else ("nsubj", "nsubjpass")
        for child in sorted(verb.children, key=lambda c: c.dep_ != "dobj"):
            if child.dep_ in wanted or (child.dep_ == "nsubjpass" and "dobj" in wanted):
                if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                    child = verb.head
                return _name_around(sentence, child)
    if head.dep_ == "appos":
        return _name_around(sentence, head.head)
    # "headed by X, Secretary General (...)": a name just before the title and a comma,
    # where the parse did not make the title an apposition.
    if cue.start - 2 >= sent.start and doc[cue.start - 1].text == ",":
        return _name_around(sentence, doc[cue.start - 2])
    return None


def _past_aside(sentence: Sentence, index: int) -> int:
    """The token after a bracketed aside that starts at `index` ("(since 2005)"), else
    `index`."""
    doc, end = sentence.doc, sentence.span.end
    if index < end and doc[index].text == "(":
        close = next((t.i for t in doc[index:end] if t.text == ")"), None)
        if close is not None:
            return close + 1
    return index


def _without_honorifics(name: Span) -> Span:
    """A name without the titles and letters around it ("the Rt Hon X QC" -> "X")."""
    start, end = name.start, name.end
    while start < end - 1 and name.doc[start].lower_.rstrip(".") in HONORIFICS:
        start += 1
    while end - 1 > start and name.doc[end - 1].lower_.rstrip(".") in HONORIFICS:
        end -= 1
    return name.doc[start:end]


def _is_name_word(token: Token) -> bool:
    return token.pos_ == "PROPN" and token.is_title


def _name_at(sentence: Sentence, start: int) -> Span | None:
    """A person's name starting at token `start`: a PERSON entity, else a run of
    capitalised proper nouns, with particles inside ("Ursula von der Leyen")."""
    for ent in sentence.span.ents:
        if ent.label_ == "PERSON" and ent.start == start:
            return _with_particles(sentence, ent)
    doc, end = sentence.doc, start
    while end < sentence.span.end and _is_name_word(doc[end]):
        end += 1
    return _with_particles(sentence, doc[start:end]) if end > start else None


def _with_particles(sentence: Sentence, name: Span) -> Span:
    """A name extended over particles and the capitalised words after them."""
    doc, end = sentence.doc, name.end
    while end < sentence.span.end and doc[end].lower_ in NAME_PARTICLES:
        probe = end
        while probe < sentence.span.end and doc[probe].lower_ in NAME_PARTICLES:
            probe += 1
        if probe < sentence.span.end and _is_name_word(doc[probe]):
            end = probe
            while end < sentence.span.end and _is_name_word(doc[end]):
                end += 1
        else:
            break
    return doc[name.start : end]


def _name_around(sentence: Sentence, token: Token) -> Span | None:
    """The name whose head is `token`: a PERSON entity holding it, or its run of names."""
    for ent in sentence.span.ents:
        if ent.label_ == "PERSON" and ent.start <= token.i < ent.end:
            return ent
    if not _is_name_word(token):
        return None
    doc, start = sentence.doc, token.i
    while start > sentence.span.start and (
        _is_name_word(doc[start - 1]) or doc[start - 1].lower_ in NAME_PARTICLES
    ):
        start -= 1
    while doc[start].lower_ in NAME_PARTICLES:
        start += 1
    return doc[start : token.i + 1]


# -- legal provisions -----------------------------------------------------------------


def read_provision(sentence: Sentence, cue: Cue) -> Iterator[Claim]:
    """ "Article 9 of Japan's constitution renounces war": the article's number, its
    instrument, and the clause that says what it does."""
    doc = sentence.doc
    if cue.end >= sentence.span.end:
        return
    number = doc[cue.end]
    if not (number.like_num or ROMAN_NUMERAL.fullmatch(number.text)):  # "Article 9", "II"
        return
    entity, confidence = sentence.pick_subject(cue.attribute, hint(sentence, cue, verbs=False))
    if not entity:
        return
    start, end = clause_of(doc[cue.start], sentence.span)
    label = doc[cue.start : cue.end].text.title()
    yield sentence.make(
        "provision",
        (start, end),
        entity=entity,
        attribute=cue.attribute,
        value=f"{label} {number.text}",
        value_text=doc[start:end].text,
        negated=is_negated(doc[cue.start]),
        confidence=confidence * PROVISION_CONFIDENCE,
    )


# -- lists ----------------------------------------------------------------------------


def read_list(sentence: Sentence, cue: Cue) -> Iterator[Claim]:
    """ "the Quad, which includes Australia, India and the United States",
    "the six founding members were ...": named items after the cue."""
    doc = sentence.doc
    verb_cue = doc[cue.end - 1].pos_ in {"VERB", "AUX"}
    if verb_cue and _noun_list_cue_before(sentence, cue):
        return  # "These partners include ...": the noun says which list it is
    if not _lists_its_host(sentence, cue) or _hypothetical(cue_head(doc, cue)):
        return  # "some countries could join, including ...": not the group's list
    owner = hint(sentence, cue, verbs=False).anchor
    chain: list[Mention] = []
    last = cue.end
    for mention in (m for m in sentence.mentions if m.start >= cue.end):
        gap = outside_brackets(doc[last : mention.start])
        if not all(t.is_punct or t.lower_ in LIST_GLUE for t in gap):
            break
        last = mention.end
        if not chain and mention.entity == owner:
            continue  # "the four members of the Quad are ...": the owner, not an item
        root = Span(doc, mention.start, mention.end).root
        if root.dep_ in {"poss", "compound", "amod"} and not sentence.mention_at(root.head):
            break  # "including Japan's politics": the name qualifies another noun
        chain.append(mention)
    # One named item is a list claim only after a finite verb: "The pact includes Sylvania".
    finite = verb_cue and doc[cue.end - 1].tag_ in {"VBZ", "VBP", "VBD"}
    if not chain and sentence.open_list is None and _opens_a_list(sentence, cue):
        # "The members are:" with the items on the lines below: the extractor reads them.
        entity, confidence = sentence.pick_subject(cue.attribute, hint(sentence, cue))
        whole = not _narrowed_list(sentence, cue, entity)
        sentence.open_list = OpenList(
            cue.attribute,
            entity,
            confidence * LIST_CONFIDENCE,
            whole
            and (_claims_complete(sentence, cue, 0) or _count_before(sentence, cue) is not None),
            _count_before(sentence, cue) or 0,
            span=(cue.start, cue.end),
        )
        return
    if not chain and sentence.open_list is None and _counts_the_lines_below(sentence, cue):
        # "There are 13 countries on the members list" with the items as bullets below.
        entity, confidence = sentence.pick_subject(cue.attribute, hint(sentence, cue))
        count = _line_count(sentence)
        sentence.open_list = OpenList(
            cue.attribute,
            entity,
            confidence * LIST_CONFIDENCE,
            not _narrowed_list(sentence, cue, entity),
            count or 0,
            span=(cue.start, cue.end),
            bullets=True,
        )
        return
    if not chain and sentence.open_list is None and _names_them_next(sentence, cue):
        # "The founders were three states." The next sentence may name them ("They were
        # A, B and C"): the extractor carries the list over.
        entity, confidence = sentence.pick_subject(cue.attribute, hint(sentence, cue))
        count = _count_after(sentence, cue)
        whole = not _narrowed_list(sentence, cue, entity)
        sentence.list_next = OpenList(
            cue.attribute,
            entity,
            confidence * LIST_CONFIDENCE,
            whole and count is not None,
            count or 0,
            span=(cue.start, cue.end),
        )
    newest = _read_newest(sentence, cue)
    if newest is not None:
        yield newest
        return
    if not chain and owner:
        yield from _member_as_subject(sentence, cue, owner)
        return
    if len(chain) < (1 if finite else 2):
        return
    entity, confidence = sentence.pick_subject(
        cue.attribute, hint(sentence, cue), exclude=[m.entity for m in chain]
    )
    partial = any(t.lower_ in PARTIAL_WORDS for t in doc[cue.end : chain[0].start])
    partial = partial or _narrowed_list(sentence, cue, entity)
    complete = not partial and _claims_complete(sentence, cue, len(chain))
    sentence.used.update(range(cue.start, chain[-1].end))
    yield sentence.make(
        "list",
        (cue.start, chain[-1].end),
        entity=entity,
        attribute=cue.attribute,
        value="|".join(m.entity for m in chain),
        value_text=doc[chain[0].start : chain[-1].end].text,
        complete=complete,
        counted=len(chain) if complete and _count_before(sentence, cue) == len(chain) else 0,
        former=_in_the_past(cue_head(doc, cue)),
        negated=is_negated(cue_head(doc, cue)),
        confidence=confidence * LIST_CONFIDENCE,
    )


def _narrowed_list(sentence: Sentence, cue: Cue, entity: str) -> bool:
    """ "the two southern members are ...", "the first three members: ...": a part of the
    group, each of them a member, but not the whole list."""
    head = cue_head(sentence.doc, cue)
    return any(not sentence.owns_modifier(word, entity) for word in _modifiers(head, cue))


def _names_them_next(sentence: Sentence, cue: Cue) -> bool:
    """A list noun that is the subject of "were"/"are" and names no items: "The founding
    members were three states."."""
    head = cue_head(sentence.doc, cue)
    return (
        head.pos_ in {"NOUN", "PROPN"}
        and head.dep_ in {"nsubj", "nsubjpass"}
        and head.head.lemma_ in COPULAS
    )


def _count_after(sentence: Sentence, cue: Cue) -> int | None:
    """The count in "The founders were three states", or None."""
    verb = cue_head(sentence.doc, cue).head
    for child in verb.children:
        if child.dep_ == "attr":
            for token in child.children:
                if token.dep_ == "nummod" and token.like_num:
                    value = numbers.parse_number(token.text)
                    if value is not None and value == int(value):
                        return int(value)
    return None


def read_named_list(sentence: Sentence, opened: OpenList) -> Iterator[Claim]:
    """ "They were A, B and C" after "The founders were three states.": the items of the
    list the sentence before announced."""
    doc, span = sentence.doc, sentence.span
    words = [t for t in span if not t.is_space]
    if len(words) < 3 or words[0].lower_ not in REFERRING_PRONOUNS:
        return
    if words[1].lemma_ not in COPULAS:
        return
    chain: list[Mention] = []
    last = words[1].i + 1
    for mention in (m for m in sentence.mentions if m.start >= last):
        if not all(t.is_punct or t.lower_ in LIST_GLUE for t in doc[last : mention.start]):
            break
        chain.append(mention)
        last = mention.end
    if len(chain) < 2:
        return
    complete = opened.complete and (not opened.counted or opened.counted == len(chain))
    yield sentence.make(
        "list",
        (chain[0].start, chain[-1].end),
        entity=opened.entity,
        attribute=opened.attribute,
        value="|".join(m.entity for m in chain),
        value_text=doc[chain[0].start : chain[-1].end].text,
        complete=complete,
        counted=len(chain) if complete and opened.counted else 0,
        confidence=opened.confidence * 0.9,
    )


def _opens_a_list(sentence: Sentence, cue: Cue) -> bool:
    """The cue ends its line with a colon: "The founding members were:"."""
    rest = [t for t in sentence.doc[cue.end : sentence.span.end] if not t.is_space]
    return (
        bool(rest)
        and rest[-1].text == ":"
        and all(  # "The founding members of X were:"
            t.is_punct or t.lemma_ in COPULAS or t.lower_ in LIST_GLUE or sentence.mention_at(t)
            for t in rest
        )
    )


def _counts_the_lines_below(sentence: Sentence, cue: Cue) -> bool:
    """A line with no end punctuation that counts the group and names its list ("There Are
    13 Countries On The Members List"): bullets on the next lines may be the items."""
    doc = sentence.doc
    words = [t for t in doc[sentence.span.start : sentence.span.end] if not t.is_space]
    if not sentence.ends_line or not words or words[-1].is_punct:
        return False
    return _line_count(sentence) is not None and not _hypothetical(cue_head(doc, cue))


def _line_count(sentence: Sentence) -> int | None:
    """The one whole number that counts a noun in the sentence ("13 countries"), or None
    when there is none or several."""
    counts = {
        numbers.parse_number(token.text)
        for token in sentence.span
        if token.like_num and token.dep_ == "nummod" and token.ent_type_ != "DATE"
    }
    counts.discard(None)
    if len(counts) != 1:
        return None
    value = counts.pop()
    return int(value) if value == int(value) and value > 0 else None


def _lists_its_host(sentence: Sentence, cue: Cue) -> bool:
    """A verb or preposition cue ("including", "comprises") lists the members of what it
    hangs from: an entity, a pronoun, a group noun or a members noun ("the members
    include"), not some other noun ("some countries could join, including ...", "founded
    by six countries including ...")."""
    doc = sentence.doc
    token = doc[cue.end - 1]
    if token.pos_ not in {"VERB", "AUX", "ADP"}:
        return True  # a noun cue: "the members are ..."
    head = cue_head(doc, cue)
    host = subject_of(head) if head.dep_ in {"ROOT", "relcl", "conj", "ccomp"} else head.head
    if host is None or host.i == head.i:
        return True
    if sentence.mention_at(host) or host.pos_ == "PRON" or host.lower_ in RELATIVE_PRONOUNS:
        return True
    if host.pos_ not in {"NOUN", "PROPN"}:
        return True
    noun = host.lemma_.lower()
    phrase = " ".join(t.lower_ for t in host.subtree if t.dep_ == "compound" or t == host)
    cues = {c.lower() for c in sentence.attribute(cue).cues}
    return (
        noun in GROUP_NOUNS
        or phrase in cues
        or host.lower_ in cues
        or any(
            noun in words_of(sentence.reference.entities.get(name), name)
            for name in sentence.subjects.candidates
        )
    )


def _in_the_past(token: Token) -> bool:
    """The clause is in the past tense: "the observers were A and B"."""
    verb = token.head if token.dep_ in {"nsubj", "nsubjpass"} else governing_verb(token)
    verb = verb or token
    return verb.tag_ == "VBD" or any(c.tag_ == "VBD" for c in verb.children if c.dep_ == "aux")


def _hypothetical(token: Token) -> bool:
    """The clause says what could be, not what is: "could join", "may include"."""
    verbs = [t for t in (token, *token.ancestors) if t.pos_ in {"VERB", "AUX"}]
    return any(
        child.tag_ == "MD" and child.lower_ != "will" for verb in verbs for child in verb.children
    )


def read_members_named(sentence: Sentence, cue: Cue) -> Iterator[Claim]:
    """ "The other countries are A, B and C": a noun that counts members ("countries"),
    the subject of "are" with named states after it, lists some of a group's members."""
    doc = sentence.doc
    head = cue_head(doc, cue)
    verb = head.head
    if head.dep_ != "nsubj" or head.pos_ != "NOUN" or verb.lemma_ not in COPULAS:
        return
    named = next((c for c in verb.children if c.dep_ == "attr"), None)
    if named is None or not sentence.mention_at(named):
        return
    if any(
        c.dep_ in {"amod", "compound", "nmod"}
        and c.lower_ not in REMAINING_WORDS
        and not sentence.mention_at(c)
        for c in head.children
    ):
        return  # "the richest countries are ...": not said to be members
    attribute = _members_attribute(sentence)
    if attribute:
        for claim in read_list(sentence, Cue(cue.start, cue.end, attribute)):
            yield replace(claim, complete=False, counted=0)  # "the countries" may be some


def read_order_by_noun(sentence: Sentence, cue: Cue) -> Iterator[Claim]:
    """ "Fenwick was the first country to join after the founders": a noun that counts
    members ("country") with a place in the order of joining, read as the members' list."""
    attribute = _members_attribute(sentence)
    if attribute:
        found = _read_newest(sentence, Cue(cue.start, cue.end, attribute))
        if found is not None and found.derived != "newest":
            yield found


def _read_newest(sentence: Sentence, cue: Cue) -> Claim | None:
    """ "Sylvania, the newest member, joined in 2005", "the latest member is Sylvania",
    "Sylvania became the most recent member": the state that joined last; "Fenwick became
    the fourth member": its place in the order of joining."""
    doc = sentence.doc
    node = cue_head(doc, cue)
    newest = any(c.dep_ == "amod" and c.lower_ in NEWEST_WORDS for c in node.children)
    order = next(
        (
            place
            for c in node.children
            if c.dep_ in {"amod", "nummod"} and (place := numbers.parse_position(c.text))
        ),
        0,
    )
    if not newest and not order:
        return None
    if any(
        c.dep_ in {"acl", "relcl"} and c.lemma_.lower() not in JOINING_WORDS for c in node.children
    ):
        return None  # "the first member to leave": first at something else
    if _hypothetical(node):
        return None
    # "the first state to join after the founders": a place counted after them
    after = any(
        prep.lower_ == "after" and any(t.lower_ in FOUNDER_WORDS for t in prep.subtree)
        for c in node.children
        if c.dep_ in {"acl", "relcl"}
        for prep in c.children
        if prep.dep_ == "prep"
    )
    named: Token | None = None
    verb = node.head
    if node.dep_ == "appos":  # "Sylvania, the newest member"
        named = node.head
    elif node.dep_ == "attr" and verb.lemma_ in COPULAS | {"become"}:
        named = subject_of(verb)
    elif node.dep_ == "nsubj" and verb.lemma_ in COPULAS:
        named = next((c for c in verb.children if c.dep_ == "attr"), None)
    item = sentence.mention_at(named) if named is not None else ""
    kind = sentence.reference.entities[item].kind if item else ""
    if not item or kind in GROUP_KINDS:
        return None
    entity, confidence = sentence.pick_subject(cue.attribute, hint(sentence, cue), exclude=[item])
    if not entity:
        return None
    start = min(named.left_edge.i, node.left_edge.i)
    end = max(named.i, node.right_edge.i) + 1
    if node.dep_ == "appos":  # "Sylvania, the newest member joined in 2005, and ..."
        end = next(
            (t.i for t in doc[node.i : node.right_edge.i + 1] if t.text in ",;"),
            node.right_edge.i + 1,
        )
    return sentence.make(
        "list",
        (start, end),
        entity=entity,
        attribute=cue.attribute,
        value=item,
        value_text=doc[start:end].text,
        derived="newest" if newest else ("order_after_founders" if after else "order"),
        order=0 if newest else order,
        negated=is_negated(verb) if node.dep_ != "appos" else False,
        confidence=confidence * LIST_CONFIDENCE,
    )


def _member_as_subject(sentence: Sentence, cue: Cue, owner: str) -> Iterator[Claim]:
    """ "Germany was one of the founding members of the Council", "France is a member of
    NATO": the subject is the one listed item."""
    doc = sentence.doc
    node = cue_head(doc, cue)
    if (
        node.dep_ == "pobj"
        and node.head.lower_ == "of"
        and node.head.head.lower_ in {"one", "among"}
    ):
        node = node.head.head
    verb = node.head
    if node.dep_ not in {"attr", "acomp"} or verb.lemma_ not in {"be", "become", "remain"}:
        return
    if verb.tag_ not in {"VBZ", "VBP", "VBD"} or any(c.tag_ == "MD" for c in verb.children):
        return  # "Japan becoming a member", "Japan can become a member": not an assertion
    subject = subject_of(verb)
    item = sentence.mention_at(subject) if subject is not None else ""
    if not item or item == owner:
        return
    start = min(subject.left_edge.i, cue.start)
    yield sentence.make(
        "list",
        (start, cue.end),
        entity=owner,
        attribute=cue.attribute,
        value=item,
        value_text=subject.text,
        negated=is_negated(verb),
        confidence=LIST_CONFIDENCE,
    )


def read_membership(sentence: Sentence) -> Iterator[Claim]:
    """ "Freedonia is not in the pact", "Sylvania remains outside the pact", "the only state
    not in the pact is Sylvania": a named state inside or outside a named group, with no
    list cue."""
    for prep in sentence.span:
        if prep.dep_ != "prep" or prep.lower_ not in INSIDE_PREPS | OUTSIDE_PREPS:
            continue
        group_word = next((c for c in prep.children if c.dep_ == "pobj"), None)
        group = sentence.mention_at(group_word) if group_word is not None else ""
        attribute = _membership_attribute(sentence, group, listed=False)
        if not attribute:
            continue
        head = prep.head
        denied = prep.lower_ in OUTSIDE_PREPS or any(c.dep_ == "neg" for c in prep.children)
        if head.lemma_ in COPULAS | {"remain", "stay"}:  # "X is (not) in the pact"
            verb, named = head, subject_of(head)
            denied = denied or is_negated(head)
        elif head.pos_ == "NOUN" and head.dep_ == "nsubj" and head.head.lemma_ in COPULAS:
            # "the only state not in the pact is X"
            verb = head.head
            named = next((c for c in verb.children if c.dep_ == "attr"), None)
            denied = denied != is_negated(verb)
        else:
            continue
        if verb.tag_ not in {"VBZ", "VBP", "VBD"} or any(c.tag_ == "MD" for c in verb.children):
            continue
        item = sentence.mention_at(named) if named is not None else ""
        kind = sentence.reference.entities[item].kind if item else ""
        if not item or item == group or kind in GROUP_KINDS:
            continue  # the item must be a state, not another group
        start = min(named.left_edge.i, head.left_edge.i, prep.i)
        end = max(named.i, group_word.i) + 1
        yield sentence.make(
            "list",
            (start, end),
            entity=group,
            attribute=attribute,
            value=item,
            value_text=named.text,
            negated=denied,
            former=verb.tag_ == "VBD",
            confidence=LIST_CONFIDENCE * 0.9,
        )


def read_part_counts(sentence: Sentence) -> Iterator[Claim]:
    """ "seven are in Northlands", "twelve members: six in Northlands and six in
    Southlands": how many of a group's members lie in a world region."""
    doc = sentence.doc
    if not sentence.regions:
        return
    found: list[Claim] = []
    for number in sentence.span:
        if not number.like_num or number.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT"):
            continue
        value = numbers.parse_number(number.text)
        if value is None or value != int(value) or not 0 <= value < 1000:
            continue
        heads = [number]
        if number.dep_ == "nsubj" and number.head.lemma_ in COPULAS:
            heads.append(number.head)  # "seven are in Northlands"
        prep = next(
            (c for head in heads for c in head.children if c.dep_ == "prep" and c.lower_ == "in"),
            None,
        )
        place = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
        region = sentence.region_at(place) if place is not None else ""
        end = place.right_edge.i + 1 if region and place is not None else 0
        if not region:  # "3 Northlandic states and one Southlandic one"
            place = _regional_noun(sentence, number)
            region = sentence.region_at(place) if place is not None else ""
            end = number.head.i + 1
        if not region or _hypothetical(number.head) or not _of_members(sentence, number):
            continue
        attribute = _members_attribute(sentence)
        if not attribute:
            continue
        cue = Cue(number.i, number.i + 1, attribute)
        entity, confidence = sentence.pick_subject(attribute, hint(sentence, cue))
        if not entity:
            continue
        found.append(
            sentence.make(
                "value",
                (number.i, end),
                entity=entity,
                attribute=attribute,
                value=str(int(value)),
                value_text=doc[number.i : end].text,
                part=region,
                negated=is_negated(number.head),
                confidence=confidence * NUMBER_CONFIDENCE * 0.9,
            )
        )
    # "two in the Northlands, one in the Southlands": each member is counted in one of the regions
    # named together, which the checker reads as the definition of each.
    regions = list(dict.fromkeys(claim.part for claim in found))
    for claim in found:
        others = [region for region in regions if region != claim.part]
        yield replace(claim, part="|".join([claim.part, *others]))


def read_eligibility(sentence: Sentence) -> Iterator[Claim]:
    """ "Japan could join the alliance", "X is eligible to join", "the union may invite any
    state to join", "any country can join", "X's eligibility to join depends on ...", "...,
    making it ineligible for membership": who may join a group, against its membership rule
    (the regions its members must lie in), with the reason or condition the sentence gives."""
    for token in sentence.span:
        found = _who_may_join(sentence, token)
        if found is None:
            continue
        subject, group, anchors, negated = found
        reference = sentence.reference
        if group not in reference.entities_with(ELIGIBILITY_ATTRIBUTE):
            continue
        named = sentence.mention_at(subject)
        if subject.pos_ == "PRON":
            named = _sole_state(sentence)
        if any(c.lower_ in ANY_WORDS for c in subject.children):
            if any(sentence.region_at(c) for c in subject.children):
                continue  # "any European state": the rule's own words, or near them
            value = ANY_STATE
        elif named and reference.entities[named].kind not in GROUP_KINDS:
            value = named
        else:
            continue
        reason = _reason(sentence, anchors, subject)
        stated, unsettled = "", ""
        if reason is not None:
            words = sentence.doc[reason[0] : reason[1]]
            if not any(sentence.region_at(t) for t in words):  # a region: the rule's own
                if any(t.lemma_.lower() in RULE_WORDS for t in words):
                    unsettled = words.text  # "because of the treaty": which part of it?
                else:
                    stated = words.text
        ends = [t.i for t in (subject, *anchors)]
        start, end = min(*ends, subject.left_edge.i), max(ends) + 1
        yield sentence.make(
            "list",
            (start, end),
            entity=group,
            attribute=ELIGIBILITY_ATTRIBUTE,
            value=value,
            value_text=sentence.doc[start:end].text,
            derived="eligible",
            negated=negated,
            reason=stated,
            unsettled=unsettled,
            confidence=LIST_CONFIDENCE * 0.9,
        )


def _who_may_join(sentence: Sentence, token: Token) -> tuple[Token, str, list[Token], bool] | None:
    """Whether `token` says who may join a group: (the would-be member, the group, the
    words that say it, whether they deny it), or None."""
    if token.lemma_.lower() in JOINING_WORDS and token.pos_ == "VERB":
        return _may_join_verb(sentence, token)
    if token.lemma_.lower() in ELIGIBILITY_ADJECTIVES and token.pos_ == "ADJ":
        return _eligible_for_membership(sentence, token)
    return None


def _may_join_verb(sentence: Sentence, join: Token) -> tuple[Token, str, list[Token], bool] | None:
    group_word = next((c for c in join.children if c.dep_ == "dobj"), None)
    group = sentence.mention_at(group_word) if group_word is not None else ""
    head = join.head
    if join.dep_ == "xcomp" and head.pos_ == "ADJ":  # "X is eligible to join G"
        subject, modal = subject_of(head.head), head
    elif join.dep_ == "xcomp" and head.pos_ == "VERB":  # "G may invite any state to join"
        subject = next((c for c in head.children if c.dep_ == "dobj"), None)
        modal = next((c for c in head.children if c.lower_ in POSSIBILITY_MODALS), None)
        group = group or sentence.mention_at(subject_of(head) or head)
    elif join.dep_ == "acl" and head.lemma_.lower() in ELIGIBILITY_NOUNS:
        # "X's eligibility to join G depends on ...", "the eligibility of X to join G is
        # dependent on ...": eligible on a condition.
        subject = _owner(head)
        modal = _condition_word(head)
        if subject is not None and modal is not None:
            return subject, group, [head, join, modal], False
    else:  # "X could join G"
        subject = subject_of(join)
        modal = next((c for c in join.children if c.lower_ in POSSIBILITY_MODALS), None)
    if not group or modal is None or subject is None:
        return None
    if subject.dep_ in {"nsubj", "nsubjpass"} and modal.i < subject.i:
        return None  # "Can X join the union?": a question, asserting nothing
    denied = is_negated(join) or is_negated(head) or head.lemma_.lower() in INELIGIBLE_WORDS
    anchors = [join, modal] if group_word is None else [join, group_word, modal]
    return subject, group, anchors, denied


def _eligible_for_membership(
    sentence: Sentence, word: Token
) -> tuple[Token, str, list[Token], bool] | None:
    """ "X is ineligible for membership of G", "..., making it ineligible for G
    membership": the group named in the membership noun, else the one context gives."""
    if any(c.dep_ == "xcomp" for c in word.children):
        return None  # "eligible to join G": read from the joining verb
    membership = next(
        (
            pobj
            for prep in word.children
            if prep.dep_ == "prep" and prep.lower_ == "for"
            for pobj in prep.children
            if pobj.dep_ == "pobj" and pobj.lemma_.lower() in MEMBERSHIP_NOUNS
        ),
        None,
    )
    if membership is None:
        return None
    group = next(
        (sentence.mention_at(t) for t in membership.subtree if sentence.mention_at(t)), ""
    ) or next(
        (
            name
            for name in sentence.subjects.candidates
            if name in sentence.reference.entities_with(ELIGIBILITY_ATTRIBUTE)
        ),
        "",
    )
    subject = next((c for c in word.children if c.dep_ == "nsubj"), None)
    if subject is None and word.dep_ in {"acomp", "oprd", "attr"}:
        subject = subject_of(word.head)
    if subject is None:
        return None
    denied = (word.lemma_.lower() in INELIGIBLE_WORDS) != is_negated(word)
    return subject, group, [word, membership], denied


def _owner(noun: Token) -> Token | None:
    """Whose the noun is: "X's eligibility", "the eligibility of X"."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ == "of":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _condition_word(noun: Token) -> Token | None:
    """The word that makes a subject depend on something: "X depends on", "X is dependent
    on", "X hinges on"."""
    verb = noun.head
    if noun.dep_ != "nsubj":
        return None
    if verb.lemma_.lower() in CONDITION_WORDS:
        return verb
    return next(
        (c for c in verb.children if c.dep_ == "acomp" and c.lemma_.lower() in CONDITION_WORDS),
        None,
    )


def _sole_state(sentence: Sentence) -> str:
    """The one state the sentence names, which "it" can only refer to, else '': a state is
    an entity the reference places in a region, named alone or inside another name
    ("Japan's constitution")."""
    reference = sentence.reference
    placed = reference.entities_with(REGION_ATTRIBUTE)
    states = {m.entity for m in sentence.mentions if m.entity in placed}
    for ent in sentence.span.ents:
        if ent.label_ == "GPE":
            found = reference.resolve_entity(ent.text)
            if found is not None and found[0] in placed:
                states.add(found[0])
    return next(iter(states)) if len(states) == 1 else ""


def _reason(sentence: Sentence, anchors: Sequence[Token], subject: Token) -> tuple[int, int] | None:
    """The cause or condition a sentence gives for who may join, as a token range:
    "because ...", "due to ...", "if ...", "depends on ...", or the clause that a result
    ("..., making it ineligible") follows from."""
    doc = sentence.doc
    skip = {t.i for t in subject.subtree}
    seen: set[int] = set()
    for anchor in anchors:
        for node in (anchor, anchor.head):
            for token in node.subtree:
                if token.i in skip or token.i in seen:
                    continue
                seen.add(token.i)
                word = token.lower_
                if token.dep_ == "prep" and word in REASON_WORDS:  # "because of", "due to"
                    return token.i, token.right_edge.i + 1
                if token.dep_ == "prep" and word == "on" and token.head.lemma_ in CONDITION_WORDS:
                    return token.i, token.right_edge.i + 1  # "depends on its constitution"
                if token.dep_ == "mark" and (word in REASON_WORDS or word in CONDITION_WORDS):
                    clause = token.head  # "because it is ...", "if it amended ..."
                    return clause.left_edge.i, clause.right_edge.i + 1
    node = anchors[0]
    while node.head != node:  # "X does not meet them, making it ineligible"
        if node.dep_ == "advcl" and node.lemma_.lower() in RESULT_VERBS:
            cause = node.head
            start = cause.left_edge.i
            end = node.left_edge.i
            while end > start and doc[end - 1].is_punct:
                end -= 1
            return (start, end) if end > start else None
        node = node.head
    return None


def read_enlargements(sentence: Sentence) -> Iterator[Claim]:
    """ "The pact has enlarged four times", "the union expanded twice": how many times new
    members joined after the founding."""
    doc = sentence.doc
    for verb in sentence.span:
        if verb.lemma_.lower() not in ENLARGING_VERBS or _hypothetical(verb) or is_negated(verb):
            continue
        count, counter = None, None
        for child in verb.children:
            if child.lower_ in TIMES_WORDS:
                count, counter = TIMES_WORDS[child.lower_], child  # "twice"
            elif child.lemma_ == "time" and child.dep_ == "npadvmod":
                number = next((c for c in child.children if c.dep_ == "nummod"), None)
                value = numbers.parse_number(number.text) if number is not None else None
                if value is not None and value == int(value):
                    count, counter = int(value), child  # "four times"
        if count is None or counter is None:
            continue
        subject = subject_of(verb)
        anchor = sentence.mention_at(subject) if subject is not None else ""
        attribute = _members_attribute(sentence, [anchor] if anchor else None)
        if not attribute:
            continue
        entity, confidence = sentence.pick_subject(
            attribute, hint(sentence, Cue(verb.i, verb.i + 1, attribute))
        )
        if not entity:
            continue
        start = min(verb.i, subject.left_edge.i) if subject is not None else verb.i
        yield sentence.make(
            "list",
            (start, counter.right_edge.i + 1),
            entity=entity,
            attribute=attribute,
            value=str(count),
            value_text=doc[start : counter.right_edge.i + 1].text,
            derived="enlargements",
            confidence=confidence * NUMBER_CONFIDENCE * 0.9,
        )


def read_unchanged(sentence: Sentence) -> Iterator[Claim]:
    """ "Membership in the pact has not changed since 1990", "its members have remained the
    same since 2005": the list held from then until the article's time."""
    doc = sentence.doc
    for verb in sentence.span:
        denied_change = verb.lemma_ in CHANGE_VERBS and is_negated(verb)
        stayed = verb.lemma_ in {"remain", "stay"} and any(
            c.dep_ in {"attr", "acomp", "oprd"} and c.lower_ in UNCHANGED_WORDS
            for c in verb.children
        )
        if not (denied_change or stayed) or _hypothetical(verb):
            continue
        subject = subject_of(verb)
        cue = next(
            (
                cue
                for cue in sentence.cues
                if subject is not None
                and cue.start <= subject.i < cue.end
                and sentence.attribute(cue).value_type in ("list", "count")
            ),
            None,
        )
        year = _since_year(verb)
        if cue is None or year is None:
            continue
        attribute = _members_attribute(sentence)
        if not attribute:
            continue
        entity, confidence = sentence.pick_subject(
            attribute, hint(sentence, Cue(cue.start, cue.end, attribute))
        )
        if not entity:
            continue
        start = subject.left_edge.i
        end = max(t.i for t in verb.subtree) + 1
        if doc[end - 1].is_punct:
            end -= 1
        yield sentence.make(
            "list",
            (start, end),
            entity=entity,
            attribute=attribute,
            value="",
            value_text=doc[start:end].text,
            derived="unchanged",
            period_start=date(year, 12, 31),
            time_text=f"since {year}",
            confidence=confidence * LIST_CONFIDENCE * 0.9,
        )


def joined_group(sentence: Sentence) -> str:
    """The group a sentence says states joined ("most states have joined the union"), by
    the scope of its joining cue; '' when it says nothing of joining, or denies it."""
    doc = sentence.doc
    for cue in sentence.cues:
        attribute = sentence.attribute(cue)
        words = doc[cue.start : cue.end].text.lower()
        if attribute.scope and words in JOINING_WORDS:
            verb = cue_head(doc, cue)
            if not is_negated(verb) and not _hypothetical(verb):
                return attribute.scope
    return ""


def read_exceptions(sentence: Sentence, group: str) -> Iterator[Claim]:
    """ "Most states have joined the union, except Sylvania", or "Except Sylvania" after
    such a sentence: each state named after "except" is not a member."""
    doc = sentence.doc
    attribute = _membership_attribute(sentence, group, listed=False)
    where = next((t.i for t in sentence.span if t.lower_ in EXCEPTION_WORDS), None)
    if not attribute or where is None:
        return
    for mention in sentence.mentions:
        kind = sentence.reference.entities[mention.entity].kind
        if mention.start <= where or mention.entity == group or kind in GROUP_KINDS:
            continue
        yield sentence.make(
            "list",
            (mention.start, mention.end),
            entity=group,
            attribute=attribute,
            value=mention.entity,
            value_text=doc[mention.start : mention.end].text,
            negated=True,
            confidence=LIST_CONFIDENCE * 0.8,
        )


def _since_year(verb: Token) -> int | None:
    """The year of a "since" phrase or clause under `verb`: "since 1990", "since it was
    founded in 1990"."""
    for child in verb.children:
        since = child.lower_ == "since" and child.dep_ == "prep"
        clause = child.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ == "since" for c in child.children
        )
        if not (since or clause):
            continue
        for token in child.subtree:
            if token.like_num and len(token.text) == 4 and token.text.isdigit():
                year = int(token.text)
                if 1000 <= year <= 2999:
                    return year
    return None


def _regional_noun(sentence: Sentence, number: Token) -> Token | None:
    """The region word that modifies the noun a number counts, where that noun counts
    members ("3 Northlandic states", "one Southlandic one" beside them), or None."""
    noun = number.head
    if number.dep_ != "nummod":
        return None
    counted = noun
    if noun.lower_ in {"one", "ones"} and noun.dep_ == "conj":
        counted = noun.head  # "... states and one Southlandic one"
    if not any(
        cue.start <= counted.i < cue.end and sentence.attribute(cue).value_type in ("count", "list")
        for cue in sentence.cues
    ):
        return None
    return next(
        (c for c in noun.children if c.dep_ in {"amod", "compound"} and sentence.region_at(c)),
        None,
    )


def _of_members(sentence: Sentence, number: Token) -> bool:
    """ "Five of these countries": what a number counts is members (a cue of a count or a
    list), or it is left unsaid ("three are in the Northlands"); not "two of the summits"."""
    for prep in number.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            counted = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if counted is not None and counted.pos_ in {"NOUN", "PROPN"}:
                return any(
                    cue.start <= counted.i < cue.end
                    and sentence.attribute(cue).value_type in ("count", "list")
                    for cue in sentence.cues
                )
    return True


def _members_attribute(sentence: Sentence, groups: list[str] | None = None) -> str:
    """The members' list attribute of the first of `groups` (by default, the sentence's
    candidate subjects) whose members the reference lists, or ''."""
    for group in sentence.subjects.candidates if groups is None else groups:
        found = _membership_attribute(sentence, group)
        if found:
            return found
    return ""


def _membership_attribute(sentence: Sentence, group: str, *, listed: bool = True) -> str:
    """The list attribute of a group's members, by its cue ("members"), or ''. With
    `listed`, only where the reference lists the group's members; otherwise for any group
    (the checker may settle one state's membership by the dates it joined)."""
    if not group:
        return ""
    reference = sentence.reference
    if not listed and reference.entities[group].kind not in GROUP_KINDS:
        return ""
    for name, attribute in reference.attributes.items():
        if (
            attribute.value_type == "list"
            and MEMBERSHIP_WORDS & {cue.lower() for cue in attribute.cues}
            and (not listed or group in reference.entities_with(name))
        ):
            return name
    return ""


def _noun_list_cue_before(sentence: Sentence, cue: Cue) -> bool:
    for other in sentence.cues:
        if other.end > cue.start or other.attribute == cue.attribute:
            continue
        attribute = sentence.attribute(other)
        if attribute.value_type == "list" and sentence.doc[other.end - 1].pos_ in {"NOUN", "PROPN"}:
            return True
    return False


def _count_before(sentence: Sentence, cue: Cue) -> int | None:
    """The number just before a list cue ("the six founding members"), or None."""
    doc = sentence.doc
    for token in doc[max(sentence.span.start, cue.start - 3) : cue.start]:
        if token.like_num:
            value = numbers.parse_number(token.text)
            if value is not None and value == int(value):
                return int(value)
    return None


def _claims_complete(sentence: Sentence, cue: Cue, items: int) -> bool:
    """A list claim is complete when it counts its members or says "the members are"; a
    count that the items read do not reach means the list was not read whole ("6 members:
    A, B, C, D, a misspelled name and F")."""
    doc = sentence.doc
    lead = doc[max(sentence.span.start, cue.start - 3) : cue.start]
    count = _count_before(sentence, cue)
    if count is not None and count != items:
        return False
    if any(t.like_num or t.ent_type_ == "CARDINAL" or t.lower_ in COMPLETE_WORDS for t in lead):
        return True
    after = doc[cue.end] if cue.end < sentence.span.end else None
    return bool(after is not None and after.lemma_ in COPULAS and doc[cue.end - 1].pos_ == "NOUN")


READERS: dict[str, Reader] = {
    "count": read_number,
    "number": read_number,
    "year": read_event,
    "date": read_event,
    "rank": read_rank,
    "text": read_text,
    "list": read_list,
    "provision": read_provision,
}
