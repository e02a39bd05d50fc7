"""Claims the reference's facts do not settle: sentences that restate a previously checked
claim, quotations, and other statistics."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from pipeline import lexicon, numbers
from pipeline.extract.sentence import Mention, Sentence, clauses, is_negated, trim
from pipeline.meaning import ClaimIndex
from pipeline.models import CheckedClaim, Claim
from pipeline.reference import Reference
from pipeline.similarity import (
    DEFAULT_THRESHOLD,
    Match,
    Signature,
    best_match,
    coverage,
    denies,
    meaning_threshold,
    related,
    undecided,
)

CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"})
NAME_LABELS = frozenset({"GPE", "ORG", "NORP", "PERSON", "LOC", "FAC", "EVENT", "LAW"})
VALUE_LABELS = frozenset({"CARDINAL", "QUANTITY", "PERCENT", "MONEY"})
SPEECH_VERBS = lexicon.words("speech_verbs")
QUOTE_CONFIDENCE = 0.5
STATISTIC_CONFIDENCE = 0.4
MIN_QUOTE_WORDS = 5
# A figure in words below this is ordinary prose ("the two countries"), not a statistic.
MAX_ENUMERATOR = 30  # "1." to "30." in running text number items, not quantities
MIN_WORDED_STATISTIC = 10

_DECADE = re.compile(r"'?\d{2,4}s")  # "1990s", "'90s"
SCOPE_MARKS = lexicon.words("scope_words") | {"only"}
NEGATIVE_SUBJECTS = lexicon.words("negative_subjects")
NEGATIONS = lexicon.words("negations")
PREVENTING_VERBS = lexicon.words("preventing_verbs")
KEEPING_OUT = {tuple(pair.split(":")) for pair in lexicon.words("keeping_out")}
_QUOTE = re.compile(r'"([^"\n]{12,})"')
_NAME = r"[A-Z][\w.'-]*(?:\s+(?:[A-Z][\w.'-]*|von|van|der|de|da|bin|al))*"
_DASH_SPEAKER = re.compile(rf"^\s*[-]\s*(?P<who>{_NAME})")
_VERB_FIRST = re.compile(
    rf"^\s*,?\s*(?:said|says|added|wrote|told \w+|according to)\s+(?P<who>{_NAME})"
)
_NAME_FIRST = re.compile(rf"^\s*,?\s*(?P<who>{_NAME})\s+(?:said|says|added|wrote|told)\b")


# -- previously checked claims --------------------------------------------------------


def signature(
    tokens: Sequence[Token],
    mentions: Iterable[Mention],
    entities: Iterable[str],
    root: Token | None = None,
    *,
    nested: Iterable[str] = (),
) -> Signature:
    """What a clause says, reduced for matching: content-word lemmas (entity names aside:
    they count as entities), the figures it states, its modality and its negation."""
    mentions = list(mentions)
    named = {i for m in mentions for i in range(m.start, m.end)}
    lemmas = [
        token.lemma_
        for token in tokens
        if token.is_alpha
        and not token.is_stop
        and token.pos_ in CONTENT_POS
        and token.i not in named
    ]
    root = root if root is not None else _clause_root(tokens)
    modals = [c.lemma_ for c in root.children if c.tag_ == "MD"] if root is not None else []
    # "No member has ever left", "Nothing stops X": a denial on the subject, not the verb.
    denied_subject = root is not None and any(
        child.dep_ in {"nsubj", "nsubjpass"}
        and (
            child.lower_ in NEGATIVE_SUBJECTS
            or any(d.dep_ == "det" and d.lower_ == "no" for d in child.children)
        )
        for child in root.children
    )
    # "X is barred from joining", "what keeps X out": what "X cannot join" says.
    prevented = any(_prevents(token) for token in tokens)
    if prevented:
        modals.append("can")
    negated = root is not None and (is_negated(root) != denied_subject)
    return Signature.build(
        lemmas,
        entities=entities,
        negated=negated != prevented,
        modals=modals,
        named={*(m.entity for m in mentions), *nested},
        figures=_figures(tokens),
        scope=[t.lower_ for t in tokens if t.lower_ in SCOPE_MARKS],
        contrasted=_set_aside(tokens, mentions),
    )


def _set_aside(tokens: Sequence[Token], mentions: Sequence[Mention]) -> set[str]:
    """The content words and entities a clause sets aside with a negated noun phrase: "X,
    not the Treaty of Rome", "geography, not its constitution"."""
    found: set[str] = set()
    for token in tokens:
        if token.dep_ != "neg" or token.head.pos_ not in {"NOUN", "PROPN", "ADP"}:
            continue
        head = token.head
        if token.i < head.i:  # "not the treaty but ...": the noun it precedes
            targets = [head]
        else:  # "X, not the treaty", "on X, not on a plain": what follows it
            targets = [c for c in head.children if c.dep_ == "appos" and c.i > token.i]
            if not targets and token.i + 1 < len(token.doc):
                phrase = token.doc[token.i + 1]
                while phrase.head != phrase and phrase.head.left_edge.i == token.i + 1:
                    phrase = phrase.head
                targets = [phrase]
        for target in targets:
            words = list(target.subtree)
            found.update(
                w.lemma_.lower()
                for w in words
                if w.is_alpha and not w.is_stop and w.pos_ in CONTENT_POS
            )
            first, last = words[0].i, words[-1].i
            found.update(m.entity for m in mentions if first <= m.start <= last)
    return found


def nested_names(doc: Doc, mentions: Iterable[Mention], reference: Reference) -> list[str]:
    """Reference entities named inside another entity's name: "Japan" in "Japan's
    constitution", which a claim about Japan is also about."""
    found = []
    for mention in mentions:
        for ent in doc.ents:
            inside = mention.start <= ent.start and ent.end <= mention.end
            if not inside or (ent.start, ent.end) == (mention.start, mention.end):
                continue
            if ent.label_ not in NAME_LABELS:
                continue
            resolved = reference.resolve_entity(ent.text)
            if resolved is not None and resolved[0] != mention.entity:
                found.append(resolved[0])
    return found


def _prevents(token: Token) -> bool:
    """Whether a verb says its object cannot do something ("bars", "keeps ... out")."""
    if token.pos_ != "VERB":
        return False
    lemma = token.lemma_.lower()
    if lemma in PREVENTING_VERBS:
        return True
    return any(
        c.dep_ in {"prt", "prep", "advmod"} and (lemma, c.lower_) in KEEPING_OUT
        for c in token.children
    )


def _clause_root(tokens: Sequence[Token]) -> Token | None:
    inside = {t.i for t in tokens}
    for token in tokens:
        if token.head.i not in inside or token.head == token:
            return token
    return None


def _figures(tokens: Sequence[Token]) -> list[str]:
    """The numbers, ordinals, years, decades and months a clause states, normalized ("32nd"
    -> "32", "the 1990s" -> "1990s", "January" -> "month-1")."""
    found = []
    for token in tokens:
        if _DECADE.fullmatch(token.text):
            found.append(token.text.lower().lstrip("'"))
            continue
        month = numbers.month_number(token.text)
        if month is not None and token.ent_type_ == "DATE":
            found.append(f"month-{month}")
            continue
        if not (token.like_num or token.ent_type_ in {"ORDINAL", "CARDINAL"}):
            continue
        value = numbers.parse_ordinal(token.text)
        if value is None:
            number = numbers.parse_number(token.text)
            value = int(number) if number is not None and number == int(number) else number
        if value is not None:
            found.append(str(value))
    return found


def match_checked(
    sentence: Sentence,
    checked: Sequence[Signature],
    context: Iterable[str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    meaning: ClaimIndex | None = None,
) -> tuple[Match, tuple[int, int]] | None:
    """The checked claim that the sentence, or one of its coordinated clauses, states best,
    with the clause's token range: by shared words, or, with `meaning`, by the embeddings of
    clause and claim where the claim's entities and some of its words are in the clause;
    then whether it says the opposite, by explicit checks (`similarity.denies`)."""
    earlier = list(context)
    best: tuple[Match, tuple[int, int]] | None = None
    for tokens, root in clauses(sentence.span):
        first, last = tokens[0].i, tokens[-1].i
        inside = [m for m in sentence.mentions if first <= m.start <= last]
        nested = nested_names(sentence.doc, inside, sentence.reference)
        entities = [*(m.entity for m in inside), *nested, *earlier]
        clause = signature(tokens, inside, entities, root, nested=nested)
        found = best_match(clause, checked, threshold=threshold)
        if found is not None:  # shared words, but a wider scope may still deny it
            found = replace(found, negated=denies(clause, checked[found.index]))
        if found is None and meaning is not None:
            found = _by_meaning(proposition(tokens), clause, checked, meaning)
        if found is not None and undecided(clause, checked[found.index]):
            continue
        if found is not None and (best is None or found.score > best[0].score):
            best = (found, trim(sentence.doc[first : last + 1]))
    return best


def proposition(tokens: Sequence[Token]) -> str:
    """A clause's words without its negation, for finding what it is about: whether it
    states or denies that is decided by `similarity.denies`, not by the embedding."""
    return "".join(
        token.text_with_ws
        for token in tokens
        if not (token.dep_ == "neg" or token.lower_ in NEGATIONS)
    ).strip()


def _by_meaning(
    text: str, clause: Signature, checked: Sequence[Signature], meaning: ClaimIndex
) -> Match | None:
    """The checked claim closest in meaning to a clause, among those it may be about."""
    candidates = [index for index, claim in enumerate(checked) if related(clause, claim)]
    if not candidates:
        return None
    scores = meaning.similarities(text)
    index = max(candidates, key=lambda i: scores[i])
    score = float(scores[index])
    if score < meaning_threshold(coverage(clause, checked[index])):
        return None
    return Match(index=index, score=round(score, 3), negated=denies(clause, checked[index]))


def read_checked(
    sentence: Sentence,
    checked_claims: Sequence[CheckedClaim],
    checked: Sequence[Signature],
    context: Iterable[str],
    meaning: ClaimIndex | None = None,
) -> Iterator[Claim]:
    """A claim for the previously checked proposition the sentence restates or denies."""
    found = match_checked(sentence, checked, context, meaning=meaning)
    if found is None:
        return
    match, span = found
    claim = checked_claims[match.index]
    yield sentence.make(
        "checked",
        span,
        value=claim.claim,
        value_text=sentence.doc[span[0] : span[1]].text,
        negated=match.negated,
        confidence=match.score,
        checked_claim_id=claim.claim_id,
        similarity=match.score,
        entity=next((m.entity for m in sentence.mentions), ""),
    )


# -- quotations and statistics --------------------------------------------------------


def read_quotes(sentence: Sentence, text: str, offset: int) -> Iterator[Claim]:
    """Quotations of five words or more that start in this sentence; who said them, and
    whether they did, is for an editor to check. `text` is the block the sentence is in,
    starting at doc character `offset`."""
    doc, sent = sentence.doc, sentence.span
    for match in _QUOTE.finditer(text):
        if len(match.group(1).split()) < MIN_QUOTE_WORDS:
            continue
        start_char = offset + match.start()
        if not sent.start_char <= start_char < sent.end_char:
            continue
        end_char = min(offset + match.end(), sent.end_char)
        span = doc.char_span(start_char, end_char, alignment_mode="expand")
        if span is None:
            continue
        yield sentence.make(
            "quote",
            (span.start, span.end),
            value_text=span.text,
            speaker=_speaker(text[match.end() :], sent),
            confidence=QUOTE_CONFIDENCE,
        )


def _speaker(after: str, sent: Span) -> str:
    """Who a quotation is attributed to: "... ," said X / X said / - X, else the named
    subject of a speech verb in the sentence, else no one."""
    for pattern in (_DASH_SPEAKER, _VERB_FIRST, _NAME_FIRST):
        match = pattern.match(after)
        if match:
            return match.group("who").strip().rstrip(".,;:")
    for token in sent:
        if token.lemma_ in SPEECH_VERBS and token.pos_ == "VERB":
            for child in token.children:
                if child.dep_ == "nsubj" and child.ent_type_ == "PERSON":
                    ent = next(e for e in sent.ents if e.start <= child.i < e.end)
                    return ent.text
    return ""


def read_statistics(sentence: Sentence) -> Iterator[Claim]:
    """Figures stated about named things that no reference entry settles."""
    sent = sentence.span
    if not sentence.mentions and not any(ent.label_ in NAME_LABELS for ent in sent.ents):
        return
    for ent in sentence.ents(*VALUE_LABELS):
        value = numbers.parse_number(ent.text)
        if value is None:  # "40,000 tonnes": the figure without its unit
            figures = [t.text for t in ent if t.like_num]
            value = numbers.parse_number(" ".join(figures)) if figures else None
        if value is None:
            continue
        worded = not any(c.isdigit() for c in ent.text)
        if worded and value < MIN_WORDED_STATISTIC:
            continue  # "one major challenge", "the two countries"
        if not worded and ent.text.isdigit() and numbers.parse_year(ent.text):
            continue  # a year the NER took for a number
        if _enumerator(sentence, ent):
            continue  # "as follows: 1. to promote ...; 2. to defend ...": an item's number
        yield sentence.make(
            "statistic",
            (ent.start, ent.end),
            entity=sentence.mentions[0].entity if sentence.mentions else "",
            value=numbers.format_number(value),
            value_text=ent.text,
            confidence=STATISTIC_CONFIDENCE,
        )


def _enumerator(sentence: Sentence, ent: Span) -> bool:
    """A small whole number that numbers an item of a list run into the text: "1." or
    "2)" after the start, a colon, a semicolon or "follows", before the item's words."""
    doc = sentence.doc
    if len(ent) != 1 or not ent.text.isdigit() or int(ent.text) > MAX_ENUMERATOR:
        return False
    after = doc[ent.end] if ent.end < len(doc) else None
    before = doc[ent.start - 1] if ent.start > sentence.span.start else None
    marked = after is not None and after.text in {".", ")"}
    opens = before is None or before.text in {":", ";", ".", "follows", "("}
    return marked and opens
