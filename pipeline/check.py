"""Judge claims against the reference at their own date: supported, outdated, contradicted or
unverified, each with a confidence and an explanation that carries the correction.

Facts hold over [valid_from, valid_to): `valid_to` is the first day a value no longer held.
A claim is judged over its own time [period_start, as_of] (both days included), which is a
single day unless the sentence gave a period ("in 2019").
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise

from pipeline import lexicon, numbers, values
from pipeline.models import (
    ANY_STATE,
    REGION_ATTRIBUTE,
    REGION_PARTLY_ATTRIBUTE,
    Article,
    CheckedClaim,
    Claim,
    Fact,
    Finding,
)
from pipeline.reference import Reference
from pipeline.similarity import stem
from pipeline.values import fold_name, names_match

PROVISION_MATCH = 0.5  # share of a sentence's words a provision's text must contain
PROVISION_MARGIN = 0.25  # how much better another article must fit to say it is meant
PROVISION_SHOWN = 240  # characters of a provision's text quoted in an explanation
_STOPWORDS = frozenset(
    "a an and are as at be by does did do for from has have in is it its not of on or "
    "that the their them this to was were which will with would shall may any all one".split()
)
TIMED_KINDS = frozenset({"value", "list", "office", "provision"})
JOINING_WORDS = lexicon.words("joining_words")
FOUNDING_CUES = lexicon.words(
    "founding_cues"
)  # the cues of a founding date  # the cues of a group's accession dates


@dataclass(frozen=True, slots=True)
class Judgement:
    """The verdict on one claim and what it rests on."""

    verdict: str
    explanation: str
    reference_value: str = ""
    fact: Fact | None = None
    confidence: float = 1.0
    entity: str = ""  # the subject, when judging found it (an office found by its holder)


def finding_id(article_id: str, claim: Claim, occurrence: int = 0) -> str:
    """An id that stays the same across runs, reference updates and model upgrades for the
    same article and claim: the article, the sentence, the claim's words and kind, and which
    repeat of them it is (not the normalized values, which depend on the reference)."""
    parts = [article_id, claim.sentence, claim.text, claim.kind]
    if occurrence:
        parts.append(str(occurrence))
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def check(claims: Iterable[Claim], reference: Reference, *, article: Article) -> Iterator[Finding]:
    """Findings for an article's claims, in the order the claims came."""
    seen: Counter[str] = Counter()
    for claim in claims:
        judgement = judge(claim, reference)
        fact = judgement.fact
        key = finding_id(article.id, claim)
        occurrence, seen[key] = seen[key], seen[key] + 1
        checked = (
            reference.checked_claim(claim.checked_claim_id) if claim.checked_claim_id else None
        )
        yield Finding(
            finding_id=finding_id(article.id, claim, occurrence),
            article=article.id,
            published=article.published.isoformat() if article.published else "",
            as_of=_as_of_text(claim),
            sentence=claim.sentence,
            start=claim.start,
            end=claim.end,
            claim=claim.text,
            entity=judgement.entity or claim.entity,
            attribute=claim.attribute or claim.kind,
            claimed_value=_claimed_value(claim, reference, judgement.entity or claim.entity),
            reference_value=judgement.reference_value,
            verdict=judgement.verdict,
            confidence=round(max(0.0, min(1.0, judgement.confidence)), 2),
            fact_id=fact.fact_id if fact else claim.checked_claim_id,
            source=fact.source if fact else (checked.source if checked else ""),
            explanation=judgement.explanation,
            kind=claim.kind,
            title=article.title,
            url=article.url,
        )


def _claimed_value(claim: Claim, reference: Reference, entity: str) -> str:
    """The value a finding shows: the words for a checked claim or a provision, a counted
    list with its count ("6: A|B|C|D|E|F"), an office holder with the reference's spelling
    where it differs ("Bill Tessel" for "William K. Tessel"), otherwise the normalized value."""
    if claim.kind == "office" and entity:
        written = next(
            (
                fact.value
                for fact in reference.facts_for(entity, claim.attribute)
                if names_match(claim.value, fact.value)
                and fold_name(claim.value) != fold_name(fact.value)
            ),
            "",
        )
        if written:
            return f"{claim.value} ({written})"
    if claim.kind in ("checked", "provision") or claim.derived:
        return claim.value_text
    if claim.kind == "list" and claim.counted:
        return f"{claim.counted}: {claim.value}"
    if claim.part:
        return f"{claim.value} in {claim.part.split('|')[0]}"
    return claim.value or claim.value_text


def _withheld(claim: Claim, judged: Judgement, explanation: str) -> Judgement:
    """A verdict the sentence's words do not let us give: unverified, with what the
    reference says kept as evidence."""
    return Judgement(
        "unverified",
        explanation,
        reference_value=judged.reference_value,
        fact=judged.fact,
        confidence=claim.confidence * 0.5,
    )


def judge(claim: Claim, reference: Reference) -> Judgement:
    """The verdict on one claim at its date, over every plausible reading: a claim whose
    words may be about several subjects is flagged only when no reading agrees with the
    reference, and supported only when every reading that the reference settles does."""
    first = _judge_reading(claim, reference)
    if first.verdict != "unverified" and claim.framing == "hypothetical":
        return _withheld(
            claim,
            first,
            "The sentence says what will or would be, not what is; at its date the "
            f"reference says: {first.explanation}",
        )
    if first.verdict != "unverified" and claim.framing == "reported":
        return _withheld(
            claim,
            first,
            "The sentence reports this claim (or its denial) without making it; the claim "
            f"itself is {first.verdict}: {first.explanation}",
        )
    if first.verdict == "supported" and claim.unsettled:
        return _withheld(
            claim,
            first,
            f"The reference supports part of it ({first.explanation}) but cannot settle "
            f"'{claim.unsettled}'; check that by hand.",
        )
    if not claim.readings or first.verdict == "unverified":
        return first
    flagged_first = first.verdict in ("contradicted", "outdated")
    others = []
    for reading in claim.readings.split("|"):
        if reading.startswith("@"):  # the same words as another attribute
            other_claim = replace(claim, attribute=reading[1:], readings="")
        else:  # the same words about another subject
            other_claim = replace(claim, entity=reading, readings="")
        other = _judge_reading(other_claim, reference)
        if other.verdict != "unverified" or (reading.startswith("@") and not flagged_first):
            # The same words as another attribute ("left": withdrew, or was suspended) that
            # the reference cannot settle leave a support unsafe: that reading may be meant.
            others.append((reading, other))
    flagged = flagged_first
    disagree = [
        (reading, other) for reading, other in others if (other.verdict == "supported") == flagged
    ]
    if not disagree:
        return first

    def about(reading: str) -> str:
        if reading.startswith("@"):
            attribute = reference.attributes.get(reading[1:])
            return f"as the {attribute.label if attribute and attribute.label else reading[1:]}"
        return f"about {display_name(reading, reference)}"

    said = "; ".join(
        f"{about(reading)}, {judgement.verdict} ({judgement.explanation})"
        for reading, judgement in [(claim.entity, first), *disagree]
    )
    return Judgement(
        "unverified",
        f"The words may be read several ways and the readings disagree: {said}",
        reference_value=first.reference_value,
        fact=first.fact,
        confidence=claim.confidence * 0.5,
    )


def _judge_reading(claim: Claim, reference: Reference) -> Judgement:
    """The verdict on one reading of a claim at its date."""
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
        about = f" about {display_name(claim.entity, reference)}" if claim.entity else ""
        return Judgement(
            "unverified",
            f"A figure ({claim.value_text}){about} that no reference entry settles; "
            "check it by hand or add it to claims/.",
            confidence=claim.confidence,
        )
    if claim.kind in TIMED_KINDS and claim.time_source == "unclear":
        return Judgement(
            "unverified",
            f"The claim is about a time the checker cannot place ('{claim.time_text}'); "
            "check it by hand.",
            confidence=claim.confidence * 0.5,
        )
    if claim.kind == "office" and not claim.entity:
        return _judge_office_by_holder(claim, reference)
    facts = reference.facts_for(claim.entity, claim.attribute) if claim.entity else ()
    if not facts and claim.kind == "list" and "|" not in claim.value and not claim.derived:
        return _judge_membership_by_events(claim, reference)
    if not facts:
        return _no_fact(claim, reference)
    if claim.part:
        return _judge_part_count(claim, reference, facts)
    if claim.kind == "provision":
        return _judge_provision(claim, reference, facts)
    if claim.derived:
        judged = DERIVED[claim.derived](claim, reference, facts)
        if claim.negated and judged.verdict != "unverified" and claim.derived not in SELF_DENYING:
            verdict = "contradicted" if judged.verdict == "supported" else "supported"
            return replace(
                judged,
                verdict=verdict,
                explanation=f"The sentence denies it. {judged.explanation}",
            )
        return judged
    if claim.kind == "list":
        return _judge_list(claim, reference, facts)
    return _judge_value(claim, reference, facts)


# -- values ---------------------------------------------------------------------------


def _judge_value(claim: Claim, reference: Reference, facts: Sequence[Fact]) -> Judgement:
    """A count, number, rank or office holder at the claim's time."""
    attribute = reference.attributes[claim.attribute]
    if values.TYPES[attribute.value_type].event:
        return _judge_event(claim, reference, facts)
    if not _parses(claim, attribute.value_type):
        return Judgement(
            "unverified",
            f"The claimed value '{claim.value_text}' is not one the checker can compare.",
            confidence=claim.confidence * 0.5,
        )
    start, end = claim.period_start or claim.as_of, claim.as_of
    during = [fact for fact in facts if _holds_between(fact, start, end)]
    matching = [
        fact for fact in facts if _matches(claim, fact, attribute.value_type, attribute.tolerance)
    ]
    partly = list(matching)
    if claim.throughout:  # "X, who was prime minister from 1998 to 2005": the whole span
        matching = [fact for fact in matching if _spans_years(fact, start, end)]
    name, label, when = (
        display_name(claim.entity, reference),
        _label(claim, reference),
        _when(claim),
    )
    held = [fact for fact in matching if fact in during]
    current = " then ".join(_shown(f, reference) for f in during)
    if claim.negated:
        return _judge_denial(
            claim, held, during, name=name, label=label, when=when, current=current
        )
    if claim.former and claim.time_source != "claim":  # with its own time, "was" is just then
        return _judge_former(claim, matching, name=name, label=label, end=end, when=when)
    if held:
        fact = held[0]
        return Judgement(
            "supported",
            f"{name}'s {label} was {_shown(fact, reference)} {fact.period()}, {_covering(claim)}.",
            reference_value=fact.value,
            fact=fact,
            confidence=claim.confidence,
        )
    earlier = [fact for fact in matching if fact.valid_to and fact.valid_to <= end]
    # A claim about its own past time ("In 2021, X had ...") that gives another time's value
    # is wrong about that time, not out of date.
    if earlier and claim.time_source != "claim":
        fact = earlier[-1]
        return Judgement(
            "outdated",
            f"{name}'s {label} was {_shown(fact, reference)} {fact.period()}; "
            f"it was {current or 'different'} on {when}.",
            reference_value="|".join(f.value for f in during) or fact.value,
            fact=during[0] if during else fact,
            confidence=claim.confidence * 0.95,
        )
    if claim.throughout and partly and not matching:
        fact = partly[-1]
        return Judgement(
            "contradicted",
            f"{claim.value} was {name}'s {label} {fact.period()}, not throughout {when}.",
            reference_value="|".join(f.value for f in during),
            fact=fact,
            confidence=claim.confidence * 0.9,
        )
    if during:
        other = [f for f in matching if f not in during]
        note = f" ({_claimed(claim)} was right {other[-1].period()})" if other else ""
        return Judgement(
            "contradicted",
            f"{name}'s {label} was {current} on {when}, not {_claimed(claim)}{note}.",
            reference_value="|".join(f.value for f in during),
            fact=during[0],
            confidence=claim.confidence * 0.95,
        )
    return Judgement(
        "unverified",
        f"The reference has no value of {name}'s {label} for {when}; check it by hand.",
        confidence=claim.confidence * 0.5,
    )


def _judge_denial(
    claim: Claim,
    held: list[Fact],
    during: list[Fact],
    *,
    name: str,
    label: str,
    when: str,
    current: str,
) -> Judgement:
    """ "NATO does not have 30 members": true unless the value held then."""
    if held:
        return Judgement(
            "contradicted",
            f"The sentence denies it, but {name}'s {label} was {claim.value} on {when}.",
            reference_value=held[0].value,
            fact=held[0],
            confidence=claim.confidence * 0.8,
        )
    if during:
        return Judgement(
            "supported",
            f"The sentence denies it, and rightly: {name}'s {label} was {current} on {when}.",
            reference_value="|".join(f.value for f in during),
            fact=during[0],
            confidence=claim.confidence * 0.8,
        )
    return Judgement(
        "unverified",
        f"The reference has no value of {name}'s {label} for {when}; check it by hand.",
        confidence=claim.confidence * 0.5,
    )


def _judge_former(
    claim: Claim, matching: list[Fact], *, name: str, label: str, end: date, when: str
) -> Judgement:
    """ "Former Prime Minister X", "X was prime minister": true once X has left office."""
    left = [f for f in matching if f.valid_to and f.valid_to <= end]
    if left:
        fact = left[-1]
        return Judgement(
            "supported",
            f"{claim.value} was {name}'s {label} {fact.period()}, before {when}.",
            reference_value=fact.value,
            fact=fact,
            confidence=claim.confidence * 0.9,
        )
    if matching and any(f.valid_from is None or f.valid_from <= end for f in matching):
        fact = matching[-1]
        return Judgement(
            "contradicted",
            f"{claim.value} was still {name}'s {label} on {when} ({fact.period()}): "
            "not a former holder.",
            reference_value=fact.value,
            fact=fact,
            confidence=claim.confidence * 0.85,
        )
    return Judgement(
        "contradicted" if claim.entity else "unverified",
        f"{claim.value} was never {name}'s {label} before {when}, by the reference.",
        confidence=claim.confidence * 0.7,
    )


def _judge_event(claim: Claim, reference: Reference, facts: Sequence[Fact]) -> Judgement:
    """A year or date is when something happened: true at any time once it has happened."""
    attribute = reference.attributes[claim.attribute]
    name, label = display_name(claim.entity, reference), _label(claim, reference)
    matching = [f for f in facts if _matches(claim, f, attribute.value_type, attribute.tolerance)]
    known = " or ".join(f.value for f in facts)
    finer = attribute.value_type == "date" and any(
        values.date_agreement(claim, f) == "finer" for f in facts
    )
    if claim.negated and finer and not matching:
        return Judgement(
            "unverified",
            f"The sentence denies it; {name}'s {label} is known only as {known}.",
            reference_value="|".join(f.value for f in facts),
            confidence=claim.confidence * 0.5,
        )
    if claim.negated:
        verdict = "contradicted" if matching else "supported"
        return Judgement(
            verdict,
            f"The sentence denies it; {name}'s {label} is {known}.",
            reference_value="|".join(f.value for f in facts),
            fact=(matching or list(facts))[0],
            confidence=claim.confidence * 0.8,
        )
    if matching:
        return Judgement(
            "supported",
            f"{name}'s {label} is {matching[0].value}.",
            reference_value=matching[0].value,
            fact=matching[0],
            confidence=claim.confidence,
        )
    if attribute.value_type == "date":
        finer = [f for f in facts if values.date_agreement(claim, f) == "finer"]
        if finer or not any(values.date_agreement(claim, f) == "apart" for f in facts):
            fact = (finer or list(facts))[0]
            return Judgement(
                "unverified",
                f"{name}'s {label} is {fact.value}; the reference does not give it as "
                f"precisely as '{claim.value_text or claim.value}'.",
                reference_value=fact.value,
                fact=fact,
                confidence=claim.confidence * 0.5,
            )
    return Judgement(
        "contradicted",
        f"{name}'s {label} is {known}, not {claim.value_text or claim.value}.",
        reference_value="|".join(f.value for f in facts),
        fact=facts[-1],
        confidence=claim.confidence * 0.95,
    )


def _parses(claim: Claim, value_type: str) -> bool:
    return values.TYPES[value_type].readable(claim)


def _matches(claim: Claim, fact: Fact, value_type: str, tolerance: str) -> bool:
    """Whether the claimed value is the fact's value, by type."""
    return values.TYPES[value_type].same(claim, fact, tolerance)


def _judge_office_by_holder(claim: Claim, reference: Reference) -> Judgement:
    """An office holder named without the country or body: find the office by its holder."""
    candidates = [
        (fact, score)
        for fact, score in reference.facts_by_value(claim.attribute, claim.value)
        if names_match(claim.value, fact.value)
    ]
    if not candidates:  # a short form or a middle name the fuzzy index misses
        candidates = [
            (fact, 0.0)
            for fact in reference.facts
            if fact.attribute == claim.attribute and names_match(claim.value, fact.value)
        ]
    if not candidates:
        return Judgement(
            "unverified",
            f"{claim.value} is not a {_label(claim, reference)} in the reference; "
            "check the title by hand.",
            confidence=claim.confidence * 0.5,
        )
    entity = max(candidates, key=lambda pair: pair[1])[0].entity
    judged = _judge_value(
        replace(claim, entity=entity), reference, reference.facts_for(entity, claim.attribute)
    )
    return replace(judged, entity=entity)


# -- lists ----------------------------------------------------------------------------


def _judge_list(claim: Claim, reference: Reference, facts: Sequence[Fact]) -> Judgement:
    """Listed items against the reference list then: an item not in it contradicts; items
    left out do not, unless the claim says the list is complete."""
    start, end = claim.period_start or claim.as_of, claim.as_of
    during = [fact for fact in facts if _holds_between(fact, start, end)]
    claimed = [item for item in claim.value.split("|") if item]
    name, label, when = (
        display_name(claim.entity, reference),
        _label(claim, reference),
        _when(claim),
    )

    def fits(fact: Fact) -> bool:
        items = set(fact.items)
        return set(claimed) <= items and (not claim.complete or set(claimed) == items)

    if not during:
        # A whole list that the reference says stopped holding is out of date, even where
        # the reference does not know what replaced it.
        ended = [f for f in facts if f.valid_to and f.valid_to <= end and fits(f)]
        past = claim.former  # "the observers were A and B": said of the past
        if (
            claim.complete
            and not claim.negated
            and ended
            and claim.time_source != "claim"
            and not past
        ):
            fact = ended[-1]
            return Judgement(
                "outdated",
                f"The list was right {fact.period()}; by the reference it changed on "
                f"{fact.valid_to}, before {when}.",
                reference_value=fact.value,
                fact=fact,
                confidence=claim.confidence * 0.8,
            )
        return Judgement(
            "unverified",
            f"The reference has no list of {name}'s {label} for {when}.",
            confidence=claim.confidence * 0.5,
        )
    if claim.negated and len(claimed) == 1:  # "Japan is not a member of NATO"
        inside = claimed[0] in during[-1].items
        item = display_name(claimed[0], reference)
        outside = [
            f for f in facts if f.valid_to and f.valid_to <= end and claimed[0] not in f.items
        ]
        if inside and outside and claim.time_source != "claim":
            # True once, before the item joined: "Freedonia is not a member" after it joined.
            fact = outside[-1]
            return Judgement(
                "outdated",
                f"The sentence denies it; {item} was not among {name}'s {label} "
                f"{fact.period()}, but is on {when}.",
                reference_value=during[-1].value,
                fact=during[-1],
                confidence=claim.confidence * 0.85,
            )
        return Judgement(
            "contradicted" if inside else "supported",
            f"The sentence denies it; {item} {'is' if inside else 'is not'} among {name}'s "
            f"{label} on {when}.",
            reference_value=during[-1].value,
            fact=during[-1],
            confidence=claim.confidence * 0.85,
        )
    if claim.negated:
        return Judgement(
            "unverified",
            f"The sentence denies a list of {name}'s {label}; check it by hand.",
            reference_value=during[-1].value,
            fact=during[-1],
            confidence=claim.confidence * 0.5,
        )
    fitting = [f for f in during if fits(f)]
    if fitting and claim.counted and not claim.complete:
        # The whole list, with names the checker could not read: its size still tells.
        return _judge_list_size(claim, reference, facts, fitting, name=name, label=label)
    if fitting:
        fact = fitting[0]
        return Judgement(
            "supported",
            f"{name}'s {label} {fact.period()}: {_join(fact.items, reference)}.",
            reference_value=fact.value,
            fact=fact,
            confidence=claim.confidence,
        )
    fact = during[-1]
    extra = [item for item in claimed if item not in fact.items]
    missing = [item for item in fact.items if item not in claimed] if claim.complete else []
    earlier = [f for f in facts if f.valid_to and f.valid_to <= end and fits(f)]
    verdict = "outdated" if earlier and claim.time_source != "claim" else "contradicted"
    if extra:
        verb = "is" if len(extra) == 1 else "are"
        what = f"{_join(extra, reference)} {verb} not among {name}'s {label} on {when}"
        if missing:
            what += f", and the list leaves out {_join(missing, reference)}"
    else:
        what = f"The list is incomplete: it leaves out {_join(missing, reference)}"
    was = f" (the list was right {earlier[-1].period()})" if earlier else ""
    return Judgement(
        verdict,
        f"{what}{was}. {name}'s {label}: {_join(fact.items, reference)}.",
        reference_value=fact.value,
        fact=fact,
        confidence=claim.confidence * (0.9 if extra else 0.8),
    )


def _judge_membership_by_events(claim: Claim, reference: Reference) -> Judgement:
    """One state in (or not in) a group whose member lists the reference lacks: by the
    dates the state joined the group (a scoped attribute with a joining cue). Any other
    event of the state with the group (left, suspended) leaves it unsettled."""
    group, item, end = claim.entity, claim.value, claim.as_of
    scoped = [a for a in reference.attributes.values() if a.scope == group and group]
    joining = [a.name for a in scoped if JOINING_WORDS & {cue.lower() for cue in a.cues}]
    joins = [
        (f, spell)
        for name in joining
        for f in reference.facts_for(item, name)
        if (spell := numbers.parse_date(f.value)) is not None
    ]
    others = [f for a in scoped if a.name not in joining for f in reference.facts_for(item, a.name)]
    if len(joins) != 1 or others:
        return _no_fact(claim, reference)  # unknown, or joined more than once: by hand
    joined, spell = joins[0]
    if spell.start <= end < spell.end:
        return _no_fact(claim, reference)  # joined in the very year or month of the claim
    name, when, shown = display_name(group, reference), _when(claim), display_name(item, reference)
    inside = spell.end <= end
    said = f"{shown} joined {name} on {joined.value}"
    if not claim.negated:
        verdict = "supported" if inside else "contradicted"
    elif not inside:
        verdict = "supported"
    else:
        verdict = "outdated" if claim.time_source != "claim" else "contradicted"
    denial = "The sentence denies it; " if claim.negated else ""
    return Judgement(
        verdict,
        f"{denial}{said}, {'before' if inside else 'after'} {when}.",
        reference_value=joined.value,
        fact=joined,
        confidence=claim.confidence * 0.8,
    )


# -- the newest member --------------------------------------------------------------------


def _judge_newest(claim: Claim, reference: Reference, facts: Sequence[Fact]) -> Judgement:
    """ "Sylvania is the newest member": among those that joined last, by the lists over
    time (a list that only loses members keeps the newest of the one before)."""
    ordered = sorted(facts, key=lambda f: f.valid_from or date.min)
    newest: list[tuple[Fact, set[str]]] = []
    for index, fact in enumerate(ordered):
        added = set(fact.items) - set(ordered[index - 1].items) if index else set()
        newest.append((fact, added or (newest[-1][1] if newest else set())))
    start, end = claim.period_start or claim.as_of, claim.as_of
    during = [(f, added) for f, added in newest if _holds_between(f, start, end)]
    name, when = display_name(claim.entity, reference), _when(claim)
    item = display_name(claim.value, reference)
    if not during or not during[-1][1] or claim.negated:
        return Judgement(
            "unverified",
            f"The reference has no list of {name}'s members for {when} to tell its newest "
            "(none has joined since the founding lists it knows).",
            confidence=claim.confidence * 0.5,
        )
    fact, last = during[-1]
    shown = _join(sorted(last), reference)
    if all(claim.value in added for _, added in during):
        return Judgement(
            "supported",
            f"{item} was among the last to join {name} before {when} (from {fact.valid_from}).",
            reference_value="|".join(sorted(last)),
            fact=fact,
            confidence=claim.confidence,
        )
    earlier = [
        f for f, added in newest if f.valid_to and f.valid_to <= end and claim.value in added
    ]
    if earlier and claim.time_source != "claim":
        # The whole stretch it was newest, over lists that changed in other ways meanwhile.
        run = [f for f, added in newest if claim.value in added and f.valid_to]
        since = run[0].valid_from
        for previous, following in pairwise(run):
            if previous.valid_to != following.valid_from:
                since = following.valid_from
            if following is earlier[-1]:
                break
        return Judgement(
            "outdated",
            f"{item} was {name}'s newest member from {since} to {earlier[-1].valid_to}; "
            f"on {when} the "
            f"newest {'is' if len(last) == 1 else 'are'} {shown}, since {fact.valid_from}.",
            reference_value="|".join(sorted(last)),
            fact=fact,
            confidence=claim.confidence * 0.9,
        )
    return Judgement(
        "contradicted",
        f"{item} was not {name}'s newest member on {when}: {shown} joined last, on "
        f"{fact.valid_from}.",
        reference_value="|".join(sorted(last)),
        fact=fact,
        confidence=claim.confidence * 0.9,
    )


def _judge_unchanged(claim: Claim, reference: Reference, facts: Sequence[Fact]) -> Judgement:
    """ "Its membership has not changed since 1990": no list of members began between then
    and the claim's date."""
    since, end = claim.period_start or claim.as_of, claim.as_of
    name, when = display_name(claim.entity, reference), _when(claim)
    then = [fact for fact in facts if fact.holds_on(since)]
    if not then or since >= end:
        return Judgement(
            "unverified",
            f"The reference has no list of {name}'s members at the end of {since.year}.",
            confidence=claim.confidence * 0.5,
        )
    changes = sorted(
        (f for f in facts if f.valid_from and since < f.valid_from <= end),
        key=lambda f: f.valid_from or date.min,
    )
    if not changes:
        return Judgement(
            "supported",
            f"{name}'s members were the same from {then[-1].valid_from or since} to {when}: "
            f"{_join(then[-1].items, reference)}.",
            reference_value=then[-1].value,
            fact=then[-1],
            confidence=claim.confidence,
        )
    change = changes[0]
    before = set(then[-1].items)
    joined, left = set(change.items) - before, before - set(change.items)
    what = "; ".join(
        part
        for part in (
            f"{_join(sorted(joined), reference)} joined" if joined else "",
            f"{_join(sorted(left), reference)} left" if left else "",
        )
        if part
    )
    return Judgement(
        "outdated" if claim.time_source != "claim" else "contradicted",
        f"{name}'s members changed on {change.valid_from}, before {when}: "
        f"{what or 'the list changed'}.",
        reference_value=changes[-1].value,
        fact=change,
        confidence=claim.confidence * 0.9,
    )


def _from_the_founding(
    claim: Claim, reference: Reference, facts: Sequence[Fact]
) -> list[Fact] | None:
    """The group's member lists in time order, when the first begins at its founding (as
    the reference dates it): only then do they tell who joined when. None otherwise."""
    ordered = sorted(
        (f for f in facts if f.valid_from is not None), key=lambda f: f.valid_from or date.min
    )
    if not ordered:
        return None
    first = ordered[0].valid_from
    for name, attribute in reference.attributes.items():
        if attribute.scope or attribute.value_type not in ("date", "year"):
            continue
        if not FOUNDING_CUES & {cue.lower() for cue in attribute.cues}:
            continue
        for fact in reference.facts_for(claim.entity, name):
            founded = numbers.parse_date(fact.value)
            if founded is not None and founded.start <= first <= founded.end:  # type: ignore[operator]
                return ordered
    return None


def _judge_order(claim: Claim, reference: Reference, facts: Sequence[Fact]) -> Judgement:
    """ "Fenwick became the fourth member": its place among all that ever joined, by the
    day each first appears in the lists; states that joined on one day share their places."""
    name, item = display_name(claim.entity, reference), display_name(claim.value, reference)
    ordered = _from_the_founding(claim, reference, facts)
    first_seen: dict[str, date] = {}
    for fact in ordered or ():
        for member in fact.items:
            first_seen.setdefault(member, fact.valid_from)  # type: ignore[arg-type]
    joined = first_seen.get(claim.value)
    if ordered is None or joined is None or joined > claim.as_of:
        return Judgement(
            "unverified",
            f"The reference cannot place {item} in the order of joining {name}: it lacks "
            "the member lists from the founding on, or the state in them.",
            confidence=claim.confidence * 0.5,
        )
    before = sum(1 for day in first_seen.values() if day < joined)
    same_day = sum(1 for day in first_seen.values() if day == joined)
    low, high = before + 1, before + same_day
    if claim.derived == "order_after_founders":  # its place after the founders
        founders = len(ordered[0].items)  # type: ignore[index]
        if joined == ordered[0].valid_from:  # type: ignore[index]
            return Judgement(
                "contradicted",
                f"{item} was one of {name}'s founders, not among those that joined after.",
                reference_value=ordered[0].value,  # type: ignore[index]
                fact=ordered[0],  # type: ignore[index]
                confidence=claim.confidence * 0.9,
            )
        low, high = low - founders, high - founders
    places = f"{low}" if low == high else f"{low} to {high} (joined the same day as others)"
    counted = "after the founders" if claim.derived == "order_after_founders" else "of joining"
    said = f"{item} joined {name} on {joined}, in place {places} in the order {counted}"
    if low == high == claim.order:
        return Judgement(
            "supported",
            f"{said}.",
            reference_value=str(low),
            fact=ordered[0],
            confidence=claim.confidence,
        )
    if low <= claim.order <= high:
        return Judgement(
            "unverified",
            f"{said}; the order within a day is not recorded.",
            reference_value=str(low),
            confidence=claim.confidence * 0.5,
        )
    return Judgement(
        "contradicted",
        f"{said}, not {claim.order}.",
        reference_value=str(low) if low == high else f"{low}-{high}",
        fact=ordered[0],
        confidence=claim.confidence * 0.9,
    )


def _judge_enlargements(claim: Claim, reference: Reference, facts: Sequence[Fact]) -> Judgement:
    """ "The pact has enlarged four times": the days new members joined after the founding.
    A day on which only former members came back counts in one reading and not the other."""
    name = display_name(claim.entity, reference)
    ordered = _from_the_founding(claim, reference, facts)
    claimed = int(claim.value)
    if ordered is None:
        return Judgement(
            "unverified",
            f"The reference cannot count {name}'s enlargements: its member lists do not "
            "start at the founding.",
            confidence=claim.confidence * 0.5,
        )

    def rounds(until: date) -> tuple[int, int, list[date]]:
        seen = set(ordered[0].items)
        low = high = 0
        days = []
        for before, fact in pairwise(ordered):
            if fact.valid_from is None or fact.valid_from > until:
                break
            added = set(fact.items) - set(before.items)
            if added:
                high += 1
                days.append(fact.valid_from)
                low += bool(added - seen)
            seen |= set(fact.items)
        return low, high, days

    low, high, days = rounds(claim.as_of)
    when = _when(claim)
    shown = f"{low}" if low == high else f"{low} to {high} (counting returns or not)"
    said = f"{name} took in members {shown} times after its founding, by {when}"
    listed = f" ({', '.join(str(day) for day in days)})" if days else ""
    if low == high == claimed:
        return Judgement(
            "supported",
            f"{said}{listed}.",
            reference_value=str(low),
            fact=ordered[-1],
            confidence=claim.confidence,
        )
    if low <= claimed <= high:
        return Judgement(
            "unverified",
            f"{said}{listed}.",
            reference_value=str(low),
            confidence=claim.confidence * 0.5,
        )
    earlier = [
        fact.valid_to
        for fact in ordered
        if fact.valid_to
        and fact.valid_to <= claim.as_of
        and rounds(fact.valid_to - timedelta(days=1))[:2] == (claimed, claimed)
    ]
    if earlier and claim.time_source != "claim":
        return Judgement(
            "outdated",
            f"{name} had enlarged {claimed} times until {earlier[-1]}; {said}{listed}.",
            reference_value=str(low),
            fact=ordered[-1],
            confidence=claim.confidence * 0.9,
        )
    return Judgement(
        "contradicted",
        f"{said}{listed}, not {claimed}.",
        reference_value=str(low),
        fact=ordered[-1],
        confidence=claim.confidence * 0.9,
    )


def _judge_eligible(claim: Claim, reference: Reference, facts: Sequence[Fact]) -> Judgement:
    """ "Japan could join the alliance", "X cannot join because of its constitution": whether
    the state lies in a region the group's membership rule requires; "any state may join"
    against a rule that limits them. The rule is a condition a member must meet, not all it
    must meet: a state outside the regions cannot join, whatever else it does, but one inside
    them may still be refused, and a reason other than the region is the wrong reason."""
    rules = [fact for fact in facts if fact.holds_on(claim.as_of)]
    name = display_name(claim.entity, reference)
    if not rules:
        return _no_fact(claim, reference)
    rule = rules[-1]
    regions = set(rule.items)
    required = _join(sorted(regions), reference)
    cite = f" ({rule.note})" if rule.note else ""
    said = f"{name} admits only states in {required}{cite}"
    if claim.value == ANY_STATE:
        return Judgement(
            "supported" if claim.negated else "contradicted",
            f"{said}.",
            reference_value=rule.value,
            fact=rule,
            confidence=claim.confidence * 0.9,
        )
    state = display_name(claim.value, reference)
    firm = _regions_of(claim.value, REGION_ATTRIBUTE, reference, claim.as_of)
    partly = _regions_of(claim.value, REGION_PARTLY_ATTRIBUTE, reference, claim.as_of) or set()
    if firm is None or (not firm & regions and partly & regions):
        return Judgement(
            "unverified",
            f"{said}; whether {state} is one depends on where it is placed. Check it by hand.",
            reference_value=rule.value,
            fact=rule,
            confidence=claim.confidence * 0.5,
        )
    where = f"{state} lies in {', '.join(sorted(firm))}"
    if firm & regions:
        if claim.negated or claim.reason:
            given = f" ('{claim.reason}')" if claim.reason else ""
            return Judgement(
                "unverified",
                f"{where}, as {said}; what else decides its membership{given} the reference "
                "does not record. Check it by hand.",
                reference_value=rule.value,
                fact=rule,
                confidence=claim.confidence * 0.5,
            )
        return Judgement(
            "supported",
            f"{where}; {said}.",
            reference_value=rule.value,
            fact=rule,
            confidence=claim.confidence * 0.8,
        )
    if claim.negated and claim.reason:
        return Judgement(
            "contradicted",
            f"{state} cannot join, but not because of what the sentence says "
            f"('{claim.reason}'): {where}, and {said}.",
            reference_value=rule.value,
            fact=rule,
            confidence=claim.confidence * 0.75,
        )
    so = f", so {state} cannot join" if claim.negated else ""
    condition = (
        f"; the condition the sentence gives ('{claim.reason}') does not change where it lies"
        if claim.reason
        else ""
    )
    return Judgement(
        "supported" if claim.negated else "contradicted",
        f"{where}; {said}{so}{condition}.",
        reference_value=rule.value,
        fact=rule,
        confidence=claim.confidence * 0.9,
    )


# Derived claims whose judge reads the sentence's denial itself: "X cannot join" is not the
# opposite of "X can join" under a rule that states only one condition for joining.
SELF_DENYING = frozenset({"eligible"})
DERIVED = {
    "eligible": _judge_eligible,
    "newest": _judge_newest,
    "order": _judge_order,
    "order_after_founders": _judge_order,
    "unchanged": _judge_unchanged,
    "enlargements": _judge_enlargements,
}


# -- counts of the members in a region -------------------------------------------------


def _judge_part_count(claim: Claim, reference: Reference, facts: Sequence[Fact]) -> Judgement:
    """ "Three of the members are in the Northlands": the members listed then, counted by the
    regions the reference says each lies in. A member that lies in the region only partly
    or by some definitions (`region_partly`) makes two readings; the claim is settled only
    where both agree."""
    start, end = claim.period_start or claim.as_of, claim.as_of
    during = [fact for fact in facts if _holds_between(fact, start, end)]
    name, when = display_name(claim.entity, reference), _when(claim)
    region, *alongside = claim.part.split("|")
    claimed = int(claim.value)

    def counted(fact: Fact) -> tuple[int, int, list[str]] | None:
        """The fewest and most members in the region by the list `fact`, and those in it."""
        low, high, inside = 0, 0, []
        for member in fact.items:
            firm = _regions_of(member, REGION_ATTRIBUTE, reference, end)
            if firm is None:
                return None  # the reference does not say where this member lies
            partly = _regions_of(member, REGION_PARTLY_ATTRIBUTE, reference, end) or set()
            if region in firm:
                low, high = low + 1, high + 1
                inside.append(member)
            elif region in partly and not firm & set(alongside):
                # Partly in the region, unless counted in another region named alongside.
                high += 1
                inside.append(f"{member} (by some definitions)")
        return low, high, inside

    spans = [counted(fact) for fact in during]
    if not during or any(span is None for span in spans) or claim.negated:
        return Judgement(
            "unverified",
            f"The reference cannot count {name}'s members in {region} on {when}: it lacks the "
            "member list then or the region of a member.",
            confidence=claim.confidence * 0.5,
        )
    low, high, inside = spans[-1]  # type: ignore[misc]
    shown = f"{low}" if low == high else f"{low} ({high} by some definitions of {region})"
    said = f"{name}'s members in {region} on {when}: {shown}, {', '.join(inside) or 'none'}"
    if all(span is not None and span[0] == span[1] == claimed for span in spans):
        return Judgement(
            "supported",
            f"{said}.",
            reference_value=str(low),
            fact=during[-1],
            confidence=claim.confidence,
        )
    if any(span is not None and span[0] <= claimed <= span[1] for span in spans):
        return Judgement(
            "unverified",
            f"{said}; the count depends on which members one places in {region}.",
            reference_value=str(low),
            fact=during[-1],
            confidence=claim.confidence * 0.5,
        )
    earlier = [
        fact
        for fact in facts
        if fact.valid_to
        and fact.valid_to <= end
        and (span := counted(fact))
        and span[0] == span[1] == claimed
    ]
    if earlier and claim.time_source != "claim":
        return Judgement(
            "outdated",
            f"{name}'s members in {region} were {claimed} {earlier[-1].period()}; {said}.",
            reference_value=str(low),
            fact=during[-1],
            confidence=claim.confidence * 0.9,
        )
    return Judgement(
        "contradicted",
        f"{said}, not {claimed}.",
        reference_value=str(low),
        fact=during[-1],
        confidence=claim.confidence * 0.9,
    )


def _regions_of(entity: str, attribute: str, reference: Reference, day: date) -> set[str] | None:
    """The regions `entity` lies in by `attribute` on `day`, or None when none are recorded."""
    facts = [fact for fact in reference.facts_for(entity, attribute) if fact.holds_on(day)]
    if not facts:
        return None
    return {item for fact in facts for item in fact.items}


def _judge_list_size(
    claim: Claim,
    reference: Reference,
    facts: Sequence[Fact],
    fitting: Sequence[Fact],
    *,
    name: str,
    label: str,
) -> Judgement:
    """A whole list of `claim.counted` names, some unread, whose read names are all in the
    list then: right in size or not. A list of another size is out of date where an earlier
    list had that size and every read name; otherwise it is wrong."""
    fact, when = fitting[-1], _when(claim)
    claimed = set(claim.value.split("|"))
    if len(fact.items) == claim.counted:
        return Judgement(
            "unverified",
            f"The list has {claim.counted} names, as {name}'s {label} had on {when}, but the "
            "checker could not read every name; check them by hand.",
            reference_value=fact.value,
            fact=fact,
            confidence=claim.confidence * 0.5,
        )
    earlier = [
        f
        for f in facts
        if f.valid_to
        and f.valid_to <= claim.as_of
        and len(f.items) == claim.counted
        and claimed <= set(f.items)
    ]
    verdict = "outdated" if earlier and claim.time_source != "claim" else "contradicted"
    was = f" (a list of that size was right {earlier[-1].period()})" if earlier else ""
    return Judgement(
        verdict,
        f"The list names {claim.counted}, but {name}'s {label} were {len(fact.items)} on "
        f"{when}{was}: {_join(fact.items, reference)}.",
        reference_value=fact.value,
        fact=fact,
        confidence=claim.confidence * 0.8,
    )


# -- legal provisions -----------------------------------------------------------------


def _judge_provision(claim: Claim, reference: Reference, facts: Sequence[Fact]) -> Judgement:
    """A sentence about a legal article against the article's text at the claim's date:
    supported when it restates the text in force, outdated when it restates a text no
    longer in force, otherwise left for an editor (it may say what the text implies)."""
    prefix = f"{claim.value.lower()}:"
    versions = [fact for fact in facts if fact.value.lower().startswith(prefix)]
    name = display_name(claim.entity, reference, article=True)
    if not versions:
        return Judgement(
            "unverified",
            f"The reference does not record {claim.value} of {name}; check it by hand.",
            confidence=claim.confidence * 0.5,
        )
    start, end = claim.period_start or claim.as_of, claim.as_of
    in_force = [fact for fact in versions if _holds_between(fact, start, end)]
    scored = sorted(
        (
            (provision_similarity(claim.text, _provision_text(f), ignore=(name, claim.value)), f)
            for f in versions
        ),
        key=lambda pair: (pair[0], pair[1] in in_force),
    )
    score, best = scored[-1]
    current = in_force[-1] if in_force else None
    if claim.negated:
        shown = _shown_provision(current or best)
        return Judgement(
            "unverified",
            f"The sentence says what {claim.value} of {name} does not do; it says: {shown}",
            reference_value=(current or best).value,
            fact=current or best,
            confidence=claim.confidence * 0.5,
        )
    if score >= PROVISION_MATCH and best in in_force:
        return Judgement(
            "supported",
            f"{claim.value} of {name}: {_shown_provision(best)}",
            reference_value=best.value,
            fact=best,
            confidence=claim.confidence * min(1.0, 0.5 + score),
        )
    if score >= PROVISION_MATCH and best.valid_to and best.valid_to <= end:
        now = f"it now says: {_shown_provision(current)}" if current else "it is no longer in force"
        return Judgement(
            "outdated",
            f"{claim.value} of {name} said that {best.period()}; on {_when(claim)}, {now}.",
            reference_value=current.value if current else "",
            fact=current or best,
            confidence=claim.confidence * min(1.0, 0.4 + score),
        )
    fact = current or best
    elsewhere = _provision_elsewhere(claim, facts, versions, name, score)
    if elsewhere is not None:
        other = elsewhere.value.split(":", 1)[0]
        return Judgement(
            "contradicted",
            f"What the sentence places in {claim.value} of {name} is in {other}: "
            f"{_shown_provision(elsewhere)} ({claim.value} says: {_shown_provision(fact)})",
            reference_value=elsewhere.value,
            fact=elsewhere,
            confidence=claim.confidence * 0.7,
        )
    return Judgement(
        "unverified",
        f"The sentence does not restate {claim.value} of {name}, which says: "
        f"{_shown_provision(fact)}. Check what the sentence attributes to it.",
        reference_value=fact.value,
        fact=fact,
        confidence=claim.confidence * 0.5,
    )


def _provision_elsewhere(
    claim: Claim, facts: Sequence[Fact], versions: Sequence[Fact], name: str, score: float
) -> Fact | None:
    """Another article of the same text, in force then, that the sentence restates while it
    restates the one it names much less ("the principles are in Article II" when Article III
    states them); None when there is none, or the claimed one is close enough to be meant."""
    if score >= PROVISION_MATCH:
        return None
    start, end = claim.period_start or claim.as_of, claim.as_of
    others = [
        (provision_similarity(claim.text, _provision_text(f), ignore=(name, claim.value)), f)
        for f in facts
        if f not in versions and _holds_between(f, start, end)
    ]
    matching = [
        (other, f)
        for other, f in others
        if other >= PROVISION_MATCH and other - score >= PROVISION_MARGIN
    ]
    return max(matching, key=lambda pair: pair[0])[1] if len(matching) == 1 else None


def _provision_text(fact: Fact) -> str:
    return fact.value.split(":", 1)[1].strip() if ":" in fact.value else fact.value


def _shown_provision(fact: Fact) -> str:
    text = _provision_text(fact)
    if len(text) <= PROVISION_SHOWN:
        return text
    return text[:PROVISION_SHOWN].rsplit(" ", 1)[0] + " ..."


def provision_similarity(sentence: str, text: str, *, ignore: Iterable[str] = ()) -> float:
    """The share of the sentence's content words that the provision's text contains."""
    ignored = {stem(word) for phrase in ignore for word in _words(phrase)}
    wanted = {stem(word) for word in _words(sentence)} - ignored
    have = {stem(word) for word in _words(text)}
    if not wanted:
        return 0.0
    return len(wanted & have) / len(wanted)


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2 and w not in _STOPWORDS]


# -- previously checked claims --------------------------------------------------------


def _judge_checked(claim: Claim, reference: Reference) -> Judgement:
    checked: CheckedClaim | None = reference.checked_claim(claim.checked_claim_id)
    if checked is None:
        return Judgement(
            "unverified",
            f"Checked claim {claim.checked_claim_id!r} is no longer in the reference.",
            confidence=0.0,
        )
    true = (checked.verdict == "true") != claim.negated
    denies = "denies" if claim.negated else "matches"
    return Judgement(
        "supported" if true else "contradicted",
        f'The sentence {denies} a claim checked before as {checked.verdict}: "{checked.claim}" '
        f"{checked.explanation}",
        reference_value=f"{checked.verdict}: {checked.claim}",
        confidence=claim.similarity * (0.85 if claim.negated else 1.0),
    )


# -- wording --------------------------------------------------------------------------


def _no_fact(claim: Claim, reference: Reference) -> Judgement:
    label = _label(claim, reference)
    if claim.entity:
        what = f"{display_name(claim.entity, reference)}'s {label}"
    else:
        what = f"the {label} stated here (its subject is unclear)"
    return Judgement(
        "unverified",
        f"The reference has no fact on {what}; check it by hand or add it to claims/.",
        confidence=claim.confidence * 0.5,
    )


def _spans_years(fact: Fact, start: date, end: date) -> bool:
    """Whether a fact held from the year of `start` through the year of `end`."""
    began = fact.valid_from is None or fact.valid_from.year <= start.year
    lasted = fact.valid_to is None or fact.valid_to.year >= end.year
    return began and lasted


def _holds_between(fact: Fact, start: date, end: date) -> bool:
    """Whether a fact over [valid_from, valid_to) held on some day of [start, end]."""
    if fact.valid_from and fact.valid_from > end:
        return False
    return not (fact.valid_to and fact.valid_to <= start)


def _label(claim: Claim, reference: Reference) -> str:
    known = reference.attributes.get(claim.attribute)
    if known and known.label:
        return known.label
    return (claim.attribute or claim.kind).replace("_", " ")


def _shown(fact: Fact, reference: Reference) -> str:
    """A fact's value as a reader expects it: numbers with thousands separators."""
    attribute = reference.attributes.get(fact.attribute)
    return values.TYPES[attribute.value_type].show(fact.value) if attribute else fact.value


def display_name(entity: str, reference: Reference, *, article: bool = False) -> str:
    """A familiar name: a long canonical name ("North Atlantic Treaty Organization") gives
    way to its acronym ("NATO"); with `article`, a treaty or constitution takes "the"."""
    known = reference.entities.get(entity)
    if known is None:
        return entity
    if len(entity.split()) >= 3:
        for alias in known.aliases:
            letters = [c for c in alias if c.isalpha()]
            if len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in alias:
                return alias
    if article and known.kind in ("treaty", "constitution", "charter", "convention", "law"):
        return f"the {entity}"
    return entity


def _join(items: Iterable[str], reference: Reference) -> str:
    names = [display_name(item, reference) for item in items]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _when(claim: Claim) -> str:
    day = claim.as_of.isoformat()
    if claim.period_start and claim.time_source != "claim":  # "since 2020", to the article
        return f"{claim.period_start.isoformat()} to {day} (the claim's '{claim.time_text}')"
    if claim.time_source == "claim":
        if claim.period_start and claim.period_start != claim.as_of:
            return f"{claim.period_start.isoformat()} to {day} (the claim's '{claim.time_text}')"
        return f"{day} (the claim's '{claim.time_text}')"
    if claim.time_source == "article":
        return f"{day}, the article's date"
    if claim.time_source == "given":
        return f"{day}, the date given"
    return f"{day}, the run's date (the article has no date)"


def _covering(claim: Claim) -> str:
    if claim.throughout:
        return f"which covers {_when(claim)}"
    if claim.period_start and claim.period_start != claim.as_of:
        return f"which overlaps {_when(claim)}"
    return f"which includes {_when(claim)}"


def _claimed(claim: Claim) -> str:
    """The claimed value, with its wording when that differs ("3 (third-largest economy)")."""
    if claim.value and claim.value_text and claim.value_text.lower() != claim.value.lower():
        return f"{claim.value} ({claim.value_text})"
    return claim.value or claim.value_text


def _as_of_text(claim: Claim) -> str:
    if claim.period_start and claim.period_start != claim.as_of:
        return f"{claim.period_start.isoformat()}/{claim.as_of.isoformat()}"
    return claim.as_of.isoformat()
