"""Judge claims against the reference at their own date: supported, outdated, contradicted or
unverified, each with a confidence and an explanation that carries the correction."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from pipeline import numbers
from pipeline.models import Article, Claim, Fact, Finding
from pipeline.reference import Reference
from pipeline.similarity import stem

_NAME_MATCH = 88
_PROVISION_MATCH = 0.5
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "them",
        "this",
        "to",
        "was",
        "were",
        "which",
        "will",
        "with",
        "would",
        "shall",
        "may",
        "any",
        "all",
        "one",
    ]
)


@dataclass(frozen=True, slots=True)
class Judgement:
    """The verdict on one claim and what it rests on."""

    verdict: str
    explanation: str
    reference_value: str = ""
    fact: Fact | None = None
    confidence: float = 1.0


def finding_id(article_id: str, claim: Claim) -> str:
    """An id that stays the same across runs for the same article, sentence and claim."""
    key = "\x1f".join(
        [article_id, claim.sentence, claim.text, claim.kind, claim.attribute, claim.value]
    )
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def check(claims: Iterable[Claim], reference: Reference, *, article: Article) -> Iterator[Finding]:
    """Findings for an article's claims, in the order the claims came."""
    for claim in claims:
        judgement = judge(claim, reference)
        fact = judgement.fact
        yield Finding(
            finding_id=finding_id(article.id, claim),
            article=article.id,
            published=article.published.isoformat() if article.published else "",
            as_of=_as_of_text(claim),
            sentence=claim.sentence,
            start=claim.start,
            end=claim.end,
            claim=claim.text,
            entity=claim.entity,
            attribute=claim.attribute or claim.kind,
            claimed_value=claim.value_text
            if claim.kind in ("checked", "provision")
            else (claim.value or claim.value_text),
            reference_value=judgement.reference_value,
            verdict=judgement.verdict,
            confidence=round(max(0.0, min(1.0, judgement.confidence)), 2),
            fact_id=fact.fact_id if fact else (claim.checked_claim_id or ""),
            source=fact.source if fact else _checked_source(claim, reference),
            explanation=judgement.explanation,
            kind=claim.kind,
            title=article.title,
            url=article.url,
        )


def judge(claim: Claim, reference: Reference) -> Judgement:
    """The verdict on one claim at its date."""
    if claim.kind == "checked":
        return _judge_checked(claim, reference)
    if claim.kind == "quote":
        who = f" attributed to {claim.speaker}" if claim.speaker else " with no named speaker"
        return Judgement(
            "unverified",
            f"Quotation{who}: no reference entry records it; check it against the record.",
            confidence=claim.confidence,
        )
    if claim.kind == "statistic":
        about = f" about {_display(claim.entity, reference)}" if claim.entity else ""
        return Judgement(
            "unverified",
            f"A figure ({claim.value_text}){about} that no reference entry settles; "
            "check it by hand or add it to claims/.",
            confidence=claim.confidence,
        )
    if claim.kind == "office" and not claim.entity:
        return _judge_office_by_value(claim, reference)
    if not claim.entity or not reference.facts_for(claim.entity, claim.attribute):
        return _no_fact(claim, reference)
    if claim.kind == "provision":
        return _judge_provision(claim, reference)
    if claim.kind == "list":
        return _judge_list(claim, reference)
    return _judge_value(claim, reference, reference.facts_for(claim.entity, claim.attribute))


# -- values ---------------------------------------------------------------------------


def _judge_value(claim: Claim, reference: Reference, facts: Sequence[Fact]) -> Judgement:
    attribute = reference.attributes[claim.attribute]
    if attribute.value_type in ("year", "date"):
        return _judge_event(claim, reference, facts)
    start, end = claim.period_start or claim.as_of, claim.as_of
    during = [fact for fact in facts if _holds_between(fact, start, end)]
    matching = [
        fact
        for fact in facts
        if _value_matches(claim, fact, attribute.value_type, attribute.tolerance)
    ]
    name = _display(claim.entity, reference)
    label = _label(claim.attribute, reference)
    when = _when(claim)
    held = [fact for fact in matching if fact in during]
    if held:
        fact = held[0]
        return Judgement(
            "supported",
            f"{name}'s {label} was {_value(fact)} {fact.period()}, which covers {when}.",
            reference_value=fact.value,
            fact=fact,
            confidence=claim.confidence,
        )
    if claim.negated and claim.time_source != "claim":
        # "former Prime Minister X": true if X held the office before
        before = [fact for fact in matching if fact.valid_from is None or fact.valid_from <= end]
        if before:
            fact = before[-1]
            return Judgement(
                "supported",
                f"{claim.value} was {name}'s {label} {fact.period()}; the claim calls them former.",
                reference_value=fact.value,
                fact=fact,
                confidence=claim.confidence * 0.9,
            )
    current = _describe(during)
    earlier = [fact for fact in matching if fact.valid_to and fact.valid_to <= end]
    # A claim about its own past time ("In 2021, X had ...") that gives another time's value
    # is wrong about that time, not out of date.
    if earlier and claim.time_source != "claim":
        fact = earlier[-1]
        return Judgement(
            "outdated",
            f"{name}'s {label} was {_value(fact)} {fact.period()}; "
            f"it was {current or 'different'} on {when}.",
            reference_value="|".join(f.value for f in during) or fact.value,
            fact=during[0] if during else fact,
            confidence=claim.confidence * 0.95,
        )
    if during:
        fact = during[0]
        other = [f for f in matching if f not in during]
        note = f" ({claim.value} was right {other[-1].period()})" if other else ""
        return Judgement(
            "contradicted",
            f"{name}'s {label} was {current} on {when}, not {_claimed(claim)}{note}.",
            reference_value="|".join(f.value for f in during),
            fact=fact,
            confidence=claim.confidence * 0.95,
        )
    return Judgement(
        "unverified",
        f"The reference has no value of {name}'s {label} for {when}; check it by hand.",
        confidence=claim.confidence * 0.5,
    )


def _judge_event(claim: Claim, reference: Reference, facts: Sequence[Fact]) -> Judgement:
    """A year or date is when something happened: true at any time, once it has happened."""
    attribute = reference.attributes[claim.attribute]
    name = _display(claim.entity, reference)
    label = _label(claim.attribute, reference)
    for fact in facts:
        if _value_matches(claim, fact, attribute.value_type, attribute.tolerance):
            return Judgement(
                "supported",
                f"{name}'s {label} is {fact.value}.",
                reference_value=fact.value,
                fact=fact,
                confidence=claim.confidence,
            )
    fact = facts[-1]
    values = " or ".join(f.value for f in facts)
    return Judgement(
        "contradicted",
        f"{name}'s {label} is {values}, not {claim.value_text or claim.value}.",
        reference_value="|".join(f.value for f in facts),
        fact=fact,
        confidence=claim.confidence * 0.95,
    )


def _value_matches(claim: Claim, fact: Fact, value_type: str, tolerance: str) -> bool:
    if value_type in ("count", "number"):
        claimed, actual = numbers.parse_number(claim.value), numbers.parse_number(fact.value)
        if claimed is None or actual is None:
            return False
        hedge = numbers.number_hedge(claim.value_text)
        if hedge == "over":
            return actual >= claimed
        if hedge == "under":
            return actual <= claimed
        if hedge == "about":
            return numbers.within_tolerance(claimed, actual, tolerance or "10%")
        return numbers.within_tolerance(claimed, actual, tolerance)
    if value_type in ("year", "rank"):
        return claim.value.strip() == fact.value.strip()
    if value_type == "date":
        claimed = numbers.parse_date(claim.value) or numbers.parse_date(claim.value_text)
        actual = numbers.parse_date(fact.value)
        return bool(claimed and actual and claimed.start <= actual.start <= claimed.end)
    if value_type == "text":
        return names_match(claim.value, fact.value)
    return False


def names_match(claimed: str, actual: str) -> bool:
    """Whether a name as written refers to the reference's name ("Kishida" ~ "Fumio Kishida")."""
    a, b = _fold(claimed), _fold(actual)
    if not a or not b:
        return False
    if a == b:
        return True
    claimed_words, actual_words = a.split(), b.split()
    if len(claimed_words) == 1:
        return claimed_words[0] == actual_words[-1]
    return fuzz.token_sort_ratio(a, b) >= _NAME_MATCH or (
        claimed_words[-1] == actual_words[-1] and claimed_words[0][0] == actual_words[0][0]
    )


def _fold(name: str) -> str:
    return re.sub(r"[^\w\s]", "", name.lower()).strip()


def _judge_office_by_value(claim: Claim, reference: Reference) -> Judgement:
    """An office holder named without the country or body: find the office by its holder."""
    candidates = [
        (fact, score)
        for fact, score in reference.facts_by_value(claim.attribute, claim.value)
        if names_match(claim.value, fact.value)
    ]
    if not candidates:
        return Judgement(
            "unverified",
            f"{claim.value} is not a {_label(claim.attribute, reference)} in the reference; "
            "check the title by hand.",
            confidence=claim.confidence * 0.5,
        )
    entity = max(candidates, key=lambda pair: pair[1])[0].entity
    return _judge_value(
        _with_entity(claim, entity), reference, reference.facts_for(entity, claim.attribute)
    )


def _with_entity(claim: Claim, entity: str) -> Claim:
    from dataclasses import replace

    return replace(claim, entity=entity)


# -- lists ----------------------------------------------------------------------------


def _judge_list(claim: Claim, reference: Reference) -> Judgement:
    facts = reference.facts_for(claim.entity, claim.attribute)
    start, end = claim.period_start or claim.as_of, claim.as_of
    during = [fact for fact in facts if _holds_between(fact, start, end)]
    claimed = [item for item in claim.value.split("|") if item]
    name = _display(claim.entity, reference)
    label = _label(claim.attribute, reference)
    when = _when(claim)

    def fits(fact: Fact) -> bool:
        items = set(fact.items)
        return set(claimed) <= items and (not claim.complete or set(claimed) == items)

    if not during:
        return Judgement(
            "unverified",
            f"The reference has no list of {name}'s {label} for {when}.",
            confidence=claim.confidence * 0.5,
        )
    fact = during[-1]
    if any(fits(f) for f in during):
        return Judgement(
            "supported",
            f"{name}'s {label} {fact.period()}: {_join(fact.items, reference)}.",
            reference_value=fact.value,
            fact=fact,
            confidence=claim.confidence,
        )
    extra = [item for item in claimed if item not in fact.items]
    missing = [item for item in fact.items if item not in claimed] if claim.complete else []
    problems = []
    if extra:
        problems.append(f"{_join(extra, reference)} {'is' if len(extra) == 1 else 'are'} not")
    if missing:
        problems.append(f"it leaves out {_join(missing, reference)}")
    earlier = [f for f in facts if f.valid_to and f.valid_to <= end and fits(f)]
    verdict = "outdated" if earlier else "contradicted"
    was = f" (the list was right {earlier[-1].period()})" if earlier else ""
    what = (
        f"{problems[0]} among {name}'s {label} on {when}"
        if extra
        else f"the list is incomplete: {problems[0]}"
    )
    if extra and missing:
        what += f", and {problems[1]}"
    return Judgement(
        verdict,
        f"{what[0].upper()}{what[1:]}{was}. {name}'s {label}: {_join(fact.items, reference)}.",
        reference_value=fact.value,
        fact=fact,
        confidence=claim.confidence * (0.9 if extra else 0.8),
    )


# -- legal provisions -----------------------------------------------------------------


def _judge_provision(claim: Claim, reference: Reference) -> Judgement:
    prefix = f"{claim.value.lower()}:"
    facts = [
        fact
        for fact in reference.facts_for(claim.entity, claim.attribute)
        if fact.value.lower().startswith(prefix)
    ]
    name = _display(claim.entity, reference)
    if not facts:
        return Judgement(
            "unverified",
            f"The reference does not record {claim.value} of {name}; check it by hand.",
            confidence=claim.confidence * 0.5,
        )
    fact = facts[-1]
    text = fact.value.split(":", 1)[1].strip()
    score = provision_similarity(claim.text, text, ignore=(name, claim.value))
    if score >= _PROVISION_MATCH:
        return Judgement(
            "supported",
            f"{claim.value} of {name}: {text}",
            reference_value=fact.value,
            fact=fact,
            confidence=claim.confidence * min(1.0, 0.5 + score),
        )
    return Judgement(
        "unverified",
        f"The sentence does not restate {claim.value} of {name}, which says: {text} "
        "Check what the sentence attributes to it.",
        reference_value=fact.value,
        fact=fact,
        confidence=claim.confidence * 0.5,
    )


def provision_similarity(sentence: str, text: str, *, ignore: Iterable[str] = ()) -> float:
    """The share of the sentence's content words that the provision's text contains."""
    ignored = {stem(word) for phrase in ignore for word in _words(phrase)}
    ignored |= {stem("article"), stem("constitution"), stem("treaty")}
    wanted = {stem(word) for word in _words(sentence)} - ignored
    have = {stem(word) for word in _words(text)}
    if not wanted:
        return 0.0
    return len(wanted & have) / len(wanted)


def _words(text: str) -> list[str]:
    return [
        word
        for word in re.findall(r"[a-z]+", text.lower())
        if len(word) > 2 and word not in _STOPWORDS
    ]


# -- previously checked claims --------------------------------------------------------


def _judge_checked(claim: Claim, reference: Reference) -> Judgement:
    checked = next(c for c in reference.checked_claims if c.claim_id == claim.checked_claim_id)
    true = (checked.verdict == "true") != claim.negated
    verdict = "supported" if true else "contradicted"
    if claim.negated:
        explanation = (
            f"The sentence denies a claim checked before as {checked.verdict}: "
            f'"{checked.claim}". {checked.explanation}'
        )
    else:
        explanation = (
            f'Matches a claim checked before as {checked.verdict}: "{checked.claim}". '
            f"{checked.explanation}"
        )
    return Judgement(
        verdict,
        explanation,
        reference_value=f"{checked.verdict}: {checked.claim}",
        confidence=claim.similarity,
    )


def _checked_source(claim: Claim, reference: Reference) -> str:
    if claim.kind != "checked":
        return ""
    for checked in reference.checked_claims:
        if checked.claim_id == claim.checked_claim_id:
            return checked.source
    return ""


# -- wording --------------------------------------------------------------------------


def _no_fact(claim: Claim, reference: Reference) -> Judgement:
    label = _label(claim.attribute, reference)
    if claim.entity:
        what = f"{_display(claim.entity, reference)}'s {label}"
    else:
        what = f"the {label} stated here (its subject is unclear)"
    return Judgement(
        "unverified",
        f"The reference has no fact on {what}; check it by hand or add it to claims/.",
        confidence=claim.confidence * 0.5,
    )


def _holds_between(fact: Fact, start: date, end: date) -> bool:
    if fact.valid_from and fact.valid_from > end:
        return False
    return not (fact.valid_to and fact.valid_to <= start)


def _label(attribute: str, reference: Reference) -> str:
    known = reference.attributes.get(attribute)
    if known and known.label:
        return known.label
    return attribute.replace("_", " ")


def _value(fact: Fact) -> str:
    return fact.value


def _describe(facts: Sequence[Fact]) -> str:
    return " then ".join(f.value for f in facts)


def _display(entity: str, reference: Reference) -> str:
    """A familiar name: a long canonical name ("North Atlantic Treaty Organization") gives way
    to its first alias ("NATO"), which curators list first as the common short form."""
    known = reference.entities.get(entity)
    if known and len(entity.split()) >= 3 and known.aliases:
        return known.aliases[0]
    return entity


def _join(items: Iterable[str], reference: Reference) -> str:
    names = [_display(item, reference) for item in items]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _when(claim: Claim) -> str:
    if claim.time_source == "claim":
        return f"{claim.as_of.isoformat()} (the time the claim gives: '{claim.time_text}')"
    if claim.time_source == "article":
        return f"{claim.as_of.isoformat()}, the article's date"
    return f"{claim.as_of.isoformat()}, the run's date (the article has no date)"


def _claimed(claim: Claim) -> str:
    """The claimed value, with its wording when that differs ("3 (third-largest economy)")."""
    if claim.value and claim.value_text and claim.value_text.lower() != claim.value.lower():
        return f"{claim.value} ({claim.value_text})"
    return claim.value or claim.value_text


def _as_of_text(claim: Claim) -> str:
    if claim.period_start and claim.period_start != claim.as_of:
        return f"{claim.period_start.isoformat()}/{claim.as_of.isoformat()}"
    return claim.as_of.isoformat()
