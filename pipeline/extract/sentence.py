"""One sentence being read, and what its parse says about subjects, negation and time.

The readers in `readers.py` work on a `Sentence`: the spaCy parse of one sentence (or one
cell of a flattened table) with the reference entities and attribute cues found in it, the
candidate subjects from context, and a factory that turns token spans into `Claim`s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol

from spacy.tokens import Doc, Span, Token

from pipeline import lexicon
from pipeline.models import Attribute, Claim, Entity
from pipeline.reference import Reference

COPULAS = frozenset({"be"})
# Verbs that relate a group to its members or size: "X has 32 members", "X counts 32
# members", "the alliance grew to 32 members".
POSSESSION_VERBS = lexicon.words("possession_verbs")
RELATIVE_PRONOUNS = frozenset({"which", "that", "who", "whose"})
GROUP_NOUNS = lexicon.words("group_nouns")
MEASURE_NOUNS = lexicon.words("measure_nouns")
INSTRUMENT_NOUNS = lexicon.words("instrument_nouns")
GROUP_KINDS = lexicon.words("group_kinds")
# The entity kinds a noun may refer back to: "the bloc" to an organisation, "this
# document" to a treaty.
REFERRING_KINDS = {
    **{noun: lexicon.words("instrument_kinds") for noun in INSTRUMENT_NOUNS},
    **{noun: lexicon.words("group_kinds") for noun in GROUP_NOUNS},
}
ANAPHORIC_DETERMINERS = frozenset({"the", "this", "that", "its", "their"})
NEGATIONS = lexicon.words("negations")
FALSITY_WORDS = lexicon.words("falsity_words")
FALSE_WORDS = lexicon.words("false_words")
DENIAL_VERBS = lexicon.words("denial_verbs")
REPORT_VERBS = lexicon.words("report_verbs")
# Dependency labels to climb from a noun to the verb that governs it.
CLIMB_DEPS = frozenset(
    {"dobj", "attr", "pobj", "prep", "nummod", "compound", "amod", "appos", "npadvmod"}
)
TIME_MARKS = frozenset({"when", "once", "while", "as"})


@dataclass(frozen=True, slots=True)
class Mention:
    """A reference entity named in a doc, by token span; `score` is the name match (0-1)."""

    start: int
    end: int
    entity: str
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class Cue:
    """An attribute signalled in a doc, by token span."""

    start: int
    end: int
    attribute: str


@dataclass(frozen=True, slots=True)
class Subjects:
    """Who a claim may be about: a table column's entity, or candidates nearest first."""

    candidates: tuple[str, ...] = ()  # the sentence's entities, then the context's
    context: tuple[str, ...] = ()  # the context's alone, most recent first
    fixed: str = ""  # a table cell's column entity


@dataclass(frozen=True, slots=True)
class SubjectHint:
    """What the parse says about a cue's subject."""

    anchor: str = ""  # an entity attached to the cue: "X's members", "X has 32 members"
    anaphor: str = ""  # a subject that refers back: "it", or the noun of "the union"
    unclear: bool = False  # attached to a pronoun the parse cannot resolve ("its partners")
    possessor: bool = False  # the anaphor owns the cue ("the bloc's ten members")
    other: bool = False  # the subject is something the reference does not name ("the flag")
    part: tuple[int, int] | None = None  # the cue's part of the sentence, between semicolons


class ClaimFactory(Protocol):
    """Makes a Claim of `kind` over tokens [start, end) of the doc."""

    def __call__(self, kind: str, span: tuple[int, int], **fields: object) -> Claim: ...


@dataclass(frozen=True, slots=True)
class OpenList:
    """A list whose items follow on the next lines ("The founding members were:")."""

    attribute: str
    entity: str
    confidence: float
    complete: bool  # "The six founding members were:", "The members are:"
    counted: int = 0  # the size it gives itself, 0 when none
    span: tuple[int, int] = (0, 0)  # the cue's tokens, whose clause gives the list's time
    timing: tuple[object, ...] = ()  # that time, once the extractor has read it
    bullets: bool = False  # only bullet lines can be its items (an intro with no colon)


@dataclass(slots=True)
class Sentence:
    """One sentence (or table cell) being read, with what was found in it."""

    doc: Doc
    span: Span
    mentions: list[Mention]
    cues: list[Cue]
    subjects: Subjects
    reference: Reference
    make: ClaimFactory
    used: set[int] = field(default_factory=set)  # tokens already read as values
    # Other subjects a claim may be about, by (attribute, chosen subject): the readings the
    # checker must also try before it flags or supports the claim.
    readings: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    open_list: OpenList | None = None  # a list cue that ends the line: its items follow
    list_next: OpenList | None = None  # a list the next sentence may name ("They were ...")
    ends_line: bool = False  # the sentence is the last (or only) one on its line
    regions: list[Mention] = field(default_factory=list)  # world regions named ("the Northlands")
    # The article's own date, from which "last year" is counted; None when it has none.
    dated: date | None = None

    def attribute(self, cue: Cue) -> Attribute:
        """The reference attribute a cue signals."""
        return self.reference.attributes[cue.attribute]

    def ents(self, *labels: str) -> Iterator[Span]:
        """The sentence's named entities with these labels, not yet read as values."""
        for ent in self.span.ents:
            if ent.label_ in labels and not any(i in self.used for i in range(ent.start, ent.end)):
                yield ent

    def region_at(self, token: Token) -> str:
        """The region named at `token`, or ''."""
        for mention in self.regions:
            if mention.start <= token.i < mention.end:
                return mention.entity
        return ""

    def mention_at(self, token: Token) -> str:
        """The entity named at `token`, or ''."""
        for mention in self.mentions:
            if mention.start <= token.i < mention.end:
                return mention.entity
        return ""

    def pick_subject(
        self, attribute: str, hint: SubjectHint, *, exclude: Iterable[str] = ()
    ) -> tuple[str, float]:
        """The claim's subject and a confidence that falls with distance.

        A table cell's column entity is its subject. An entity the parse attaches to the cue
        is the subject even without facts. A subject that refers back is looked for in
        context first, preferring an entity whose name holds its noun ("the union").
        Otherwise: the first candidate, nearest first, that has facts for `attribute`.
        """
        if self.subjects.fixed:
            return self.subjects.fixed, 1.0
        if hint.unclear or hint.other:
            return "", 0.5
        skip = set(exclude)
        if hint.anchor and hint.anchor not in skip:
            return hint.anchor, 1.0
        candidates = list(self.subjects.candidates)
        if hint.part is not None:
            start, end = hint.part
            elsewhere = {m.entity for m in self.mentions if not start <= m.start < end}
            inside = {m.entity for m in self.mentions if start <= m.start < end}
            away = elsewhere - inside - set(self.subjects.context)
            candidates = [name for name in candidates if name not in away]
        if hint.anaphor:
            named = [
                name
                for name in self.subjects.context
                if hint.anaphor in words_of(self.reference.entities.get(name), name)
            ]
            candidates = list(dict.fromkeys([*named, *self.subjects.context, *candidates]))
            kinds = REFERRING_KINDS.get(hint.anaphor)
            if hint.possessor and not named and kinds is None:
                # "the bloc's members" is a group named before; "the navy's members" is
                # some other group, not the one in context.
                return "", 0.5
            if not named and kinds is not None:
                # "the bloc": an organisation; "this document": a treaty named before.
                candidates = [name for name in candidates if self._kind(name) in kinds]
            elif named:
                candidates = named  # "the union": only a union named before
        with_facts = self.reference.entities_with(attribute)
        plausible = [name for name in candidates if name in with_facts and name not in skip]
        if not plausible:
            return "", 0.5
        chosen = plausible[0]
        self.readings[(attribute, chosen)] = tuple(plausible[1:])
        return chosen, 1.0 if candidates.index(chosen) == 0 else 0.85

    def _kind(self, name: str) -> str:
        entity = self.reference.entities.get(name)
        return entity.kind if entity is not None else ""

    def owns_modifier(self, word: Token, entity: str) -> bool:
        """Whether a modifier of a counted noun names its owner rather than a part of it:
        a mention of the owner ("21 Northern Pact members"), or a word of the owner's name
        ("4 Northern states" of the Northern Pact, "Southern states" of the Southern
        League)."""
        if not entity:
            return False
        named = self.mention_at(word)
        if named:
            return named == entity
        text = word.lower_
        for other in words_of(self.reference.entities.get(entity), entity):
            if text == other or (len(text) >= 5 and len(other) >= 5 and text[:5] == other[:5]):
                return True
        return False


def words_of(entity: Entity | None, name: str) -> set[str]:
    names = [name, *(entity.aliases if entity else ())]
    return {word.lower() for each in names for word in each.split()}


# -- grammar --------------------------------------------------------------------------


def cue_head(doc: Doc, cue: Cue) -> Token:
    """The syntactic head of a cue phrase ("member" in "member of NATO")."""
    return Span(doc, cue.start, cue.end).root


def governing_verb(token: Token) -> Token | None:
    """The verb a noun phrase hangs from ("members" in "X has 32 members" -> "has")."""
    verb = token
    while verb.pos_ not in {"VERB", "AUX"} and verb.dep_ in CLIMB_DEPS and verb.head != verb:
        verb = verb.head
    return verb if verb.pos_ in {"VERB", "AUX"} else None


def subject_of(verb: Token) -> Token | None:
    """The subject of a verb; for a relative clause, the noun it modifies."""
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return verb.head
            return child
    return None


def hint(
    sentence: Sentence, cue: Cue, *, verbs: bool = True, possessives: bool = True
) -> SubjectHint:
    """What the parse says about a cue's subject (see `_hint`), and the part of the sentence
    between semicolons that the cue stands in: names in other parts are other statements'."""
    found = _hint(sentence, cue, verbs=verbs, possessives=possessives)
    doc, span = sentence.doc, sentence.span
    start = max((t.i + 1 for t in doc[span.start : cue.start] if t.text == ";"), default=span.start)
    end = min((t.i for t in doc[cue.end : span.end] if t.text == ";"), default=span.end)
    return replace(found, part=(start, end))


def _hint(
    sentence: Sentence, cue: Cue, *, verbs: bool = True, possessives: bool = True
) -> SubjectHint:
    """What the parse says about a cue's subject.

    1. Its possessor or "of" object: "X's members", "members of X"; a possessive pronoun
       ("its partners") is the one entity named before it, or unclear with several; with
       `possessives`, a possessive noun ("the bloc's members") refers back.
    2. With `verbs`, the subject of the verb that governs it: "X has 32 members",
       "X, which includes ..."; a pronoun or a definite noun phrase that names no entity
       ("it", "the union") refers back.
    """
    doc = sentence.doc
    head = cue_head(doc, cue)
    inside = range(cue.start, cue.end)

    def named(token: Token) -> str:
        if token.i not in inside and sentence.mention_at(token):
            return sentence.mention_at(token)
        for child in token.children:
            if child.dep_ == "poss" and sentence.mention_at(child):
                return sentence.mention_at(child)
        return ""

    for child in head.children:
        if child.dep_ in {"poss", "compound"} and child.i < cue.start and named(child):
            return SubjectHint(anchor=named(child))
        if (
            possessives
            and child.dep_ == "poss"
            and child.pos_ == "NOUN"
            and any(d.dep_ == "det" and d.lower_ in ANAPHORIC_DETERMINERS for d in child.children)
        ):
            return SubjectHint(anaphor=child.lemma_.lower(), possessor=True)
        if child.dep_ == "poss" and child.pos_ == "PRON":
            before = {m.entity for m in sentence.mentions if m.end <= child.i}
            if len(before) == 1:
                return SubjectHint(anchor=before.pop())
            return SubjectHint(unclear=True) if before else SubjectHint(anaphor="it")
        if child.dep_ == "prep" and child.lower_ == "of":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj" and named(grandchild):
                    return SubjectHint(anchor=named(grandchild))
    if not verbs:
        return SubjectHint()
    verb = governing_verb(head)
    subject = subject_of(verb) if verb is not None else None
    if subject is None and verb is not None and verb.dep_ == "acl":
        # "the League, established on 3 March 2008, ...": the noun the participle describes,
        # or what that noun stands beside ("X, an organisation founded in 1963").
        subject = verb.head
        if not named(subject) and subject.dep_ == "appos":
            subject = subject.head
    elif subject is None and verb is not None and verb.dep_ == "advcl" and verb.tag_ == "VBN":
        if verb.i < verb.head.i:  # "Founded in 1990, the pact ...": the main clause's subject
            subject = subject_of(verb.head)
        else:  # "... replaced the League, established in 2008": the name just before it
            before = [m for m in sentence.mentions if m.end <= verb.i and verb.i - m.end <= 3]
            if before:
                return SubjectHint(anchor=before[-1].entity)
    if verb is not None and subject is not None:
        # "It was founded in 1948 as the OEEC": the founding was the OEEC's.
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ == "as":
                renamed = [named(t) for t in child.children if t.dep_ == "pobj" and named(t)]
                if renamed and renamed[0] != named(subject):
                    return SubjectHint(anchor=renamed[0])
    if subject is None and verb is not None and verb.i > sentence.span.start:
        before = sentence.mention_at(doc[verb.i - 1])
        if before and verb.dep_ not in {"acl", "advcl", "relcl"}:
            return SubjectHint(anchor=before)  # the parse lost it: "... Hungary has 7 members"
    if subject is None:
        return SubjectHint()
    if named(subject):
        return SubjectHint(anchor=named(subject))
    if subject.pos_ == "PRON" and subject.lower_ in {"it", "they"}:
        return SubjectHint(anaphor=subject.lower_)
    if subject.i in inside or subject.lemma_.lower() in MEASURE_NOUNS:
        return SubjectHint()  # "The members are ...", "The number of members is 32"
    if subject.pos_ in {"NOUN", "PROPN"}:
        noun = subject.lemma_.lower()
        definite = any(
            child.dep_ in {"det", "poss"} and child.lower_ in ANAPHORIC_DETERMINERS
            for child in subject.children
        )
        named_in_context = any(
            noun in words_of(sentence.reference.entities.get(name), name)
            for name in sentence.subjects.context
        )
        if definite and (noun in REFERRING_KINDS or named_in_context):
            return SubjectHint(anaphor=noun)
        # Some other thing ("the flag", "an earlier group"): not an entity in context.
        return SubjectHint(other=True)
    return SubjectHint()


def is_negated(token: Token) -> bool:
    """Whether the clause `token` belongs to is denied ("does not have", "was never")."""
    verb = governing_verb(token) or token
    return any(
        child.dep_ == "neg"
        or (child.dep_ == "advmod" and child.lower_ in NEGATIONS)
        or _no_longer(child)
        for child in verb.children
    )


def _no_longer(token: Token) -> bool:
    """ "X is no longer a member": "longer" with "no" (or "not any longer")."""
    return token.lower_ == "longer" and any(c.lower_ in ("no", "any") for c in token.children)


def framing(token: Token) -> str:
    """How the sentence frames the clause `token` is in: "false" where it calls the clause
    false ("critics falsely claimed that ...", "it is wrong to say that ...", "a myth
    that ..."), "reported" where it only reports it ("officials denied that ...", "some
    claim that ..."), or "" where it makes it."""
    node = token
    while node.head != node:
        governor = node.head
        if node.dep_ in {"ccomp", "acl", "xcomp", "advcl"}:
            words = {c.lower_ for c in governor.children if c.dep_ in {"advmod", "acomp", "attr"}}
            if words & FALSITY_WORDS or words & FALSE_WORDS or governor.lower_ in FALSE_WORDS:
                return "false"
            if governor.lemma_.lower() in DENIAL_VERBS | REPORT_VERBS and node.dep_ == "ccomp":
                return "reported"
        node = governor
    return ""


def clause_verb(token: Token) -> Token | None:
    """The verb whose time a claim at `token` shares: the sentence's main verb, or the verb
    of the relative clause it sits in ("X, who was chancellor from 1998 to 2005, ...");
    None inside an aside about a name ("Sylvania, the region's largest country, applied in
    2022")."""
    node = token
    while node.head != node:
        if node.dep_ in {"relcl", "acl"}:
            return node
        if node.dep_ == "appos" and node.head.pos_ == "PROPN":
            return None  # an aside about a name
        node = node.head  # "had 20 countries - 18 European ones": the clause's own time
    return node


def sets_time_of(token: Token, verb: Token) -> bool:
    """A date sets the time of `verb` when it modifies it ("In 2019, X had ..."), or a
    "when" clause of it ("When X joined in 2009, the alliance grew ...")."""
    root = verb
    verb = token
    deps = {"pobj", "prep", "npadvmod", "advmod", "nummod", "compound", "appos", "attr", "acomp"}
    while verb.dep_ in deps and verb.head != verb and verb != root:
        verb = verb.head
    if verb == root:
        return True
    return (
        verb.dep_ == "advcl"
        and verb.head == root
        and any(
            child.dep_ in {"mark", "advmod"} and child.lower_ in TIME_MARKS
            for child in verb.children
        )
    )


_SIDE_DEPS = frozenset(
    {
        "advcl",
        "conj",
        "cc",
        "punct",
        "mark",
        "advmod",
        "parataxis",
        "intj",
        "appos",
        "npadvmod",
        "dep",
    }
)


def clause_of(token: Token, sent: Span) -> tuple[int, int]:
    """The clause that says something about `token` as its subject, without side clauses;
    the whole sentence when `token` is not a subject."""
    if token.dep_ == "ROOT" and token.pos_ in {"NOUN", "PROPN"}:
        # The parser missed the verb ("Article 370 ... grants X, a point ..."): read up to
        # the first comma or semicolon.
        end = next((t.i for t in sent if t.i > token.i and t.text in {",", ";"}), sent.end)
        return token.i, end
    if token.dep_ not in {"nsubj", "nsubjpass"}:
        return trim(sent)
    verb = token.head
    indices = [verb.i]
    for child in verb.children:
        # Side clauses, and phrases before the subject ("Unlike X, Article 9 ..."), aside.
        if child.dep_ not in _SIDE_DEPS and child.left_edge.i >= token.left_edge.i:
            indices += [t.i for t in child.subtree]
    return min(indices), max(indices) + 1


def clauses(sent: Span) -> list[tuple[list[Token], Token]]:
    """The sentence, and when it joins clauses ("X was expelled and took no part", "while
    X cannot join, it keeps close ties"), its main clause and each of the others; a
    relative clause comes with the noun it describes ("Argentina, which joined in 2024").
    Each comes with its main verb."""
    whole = list(sent)
    others = [
        child
        for child in sent.root.children
        if child.dep_ in {"conj", "advcl"} and child.pos_ in {"VERB", "AUX"}
    ]
    relatives = [t for t in sent if t.dep_ == "relcl" and t.head.pos_ in {"PROPN", "NOUN"}]
    found = [(whole, sent.root)]
    if others:
        split = {t.i for c in others for t in c.subtree}
        found.append(([t for t in whole if t.i not in split], sent.root))
        found += [(sorted(c.subtree, key=lambda t: t.i), c) for c in others]
    for verb in relatives:
        found.append((sorted([verb.head, *verb.subtree], key=lambda t: t.i), verb))
    return found


def outside_brackets(tokens: Iterable[Token]) -> list[Token]:
    """The tokens not inside brackets: "Mali (since 1975)," -> "Mali ,"."""
    kept, depth = [], 0
    for token in tokens:
        if token.text in "([":
            depth += 1
        elif token.text in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            kept.append(token)
    return kept


def trim(span: Span) -> tuple[int, int]:
    """A span's token range without trailing punctuation and spaces."""
    start, end = span.start, span.end
    doc = span.doc
    while end - 1 > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while start < end - 1 and doc[start].is_space:
        start += 1
    return start, end
