"""The time a claim is about: what a sentence says of it ("In 2022, ...", "since 2005",
"two years ago", "currently"), and how that time is set on a claim."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from pipeline import lexicon, numbers
from pipeline.extract.sentence import sets_time_of
from pipeline.models import Claim

NOW_WORDS = lexicon.words("now_words")
THEN_WORDS = lexicon.words("then_words")
# A time these words lead cannot be placed as one point or period ("until 2017").
OPEN_TIME_WORDS = ("since", "until", "till", "before", "after", "between", "from")
_YEAR_LIKE = re.compile(r"\b\d{4}s?\b|\b\d0s\b")


@dataclass(frozen=True, slots=True)
class Time:
    """The time a sentence gives itself; `start` is None when it cannot be placed."""

    start: date | None
    end: date | None
    text: str
    throughout: bool = False  # "from 1998 to 2005": the whole period, not some day of it
    since: bool = False  # "since 2024": from then until the article's own time


def at_time(claim: Claim, time: Time | None, as_of: date) -> Claim:
    """The claim judged at `time`: its own past time, the article's present ("currently"),
    or unclear (a time that cannot be placed, or after the article)."""
    if time is None:
        return claim
    if time.since and claim.kind in ("value", "office"):
        # Held from then until now: judged over the whole span, and still the article's time.
        return replace(claim, period_start=time.start, throughout=True, time_text=time.text)
    if time.since or time.start is None or time.end is None or time.start > as_of:
        return replace(claim, time_source="unclear", time_text=time.text)
    if time.end >= as_of:  # "currently", "this year": the article's own present
        return replace(claim, time_text=time.text)
    return replace(
        claim,
        as_of=min(time.end, as_of),
        period_start=time.start,
        time_source="claim",
        time_text=time.text,
        throughout=time.throughout,
    )


def timed(claim: Claim, timing: tuple[object, ...]) -> Claim:
    """The claim judged at a time read elsewhere (its intro line, its question)."""
    if not timing:
        return claim
    as_of, period_start, time_source, time_text, throughout = timing
    return replace(
        claim,
        as_of=as_of,
        period_start=period_start,
        time_source=time_source,
        time_text=time_text,
        throughout=throughout,
    )


def timing_of(claim: Claim) -> tuple[object, ...]:
    """The time fields of a claim, to give to another."""
    return (claim.as_of, claim.period_start, claim.time_source, claim.time_text, claim.throughout)


def claim_time(doc: Doc, sent: Span, verb: Token, *, today: date, skip: set[int]) -> Time | None:
    """The time a sentence sets for the clause of `verb` ("In 2022, ...", "as of 2026",
    "When X joined in 2009, ...", "By 2005, ...", "from 1998 to 2005", "currently")."""
    now = any(token.lower_ in NOW_WORDS and token.head == verb for token in sent)
    for ent in sent.ents:
        if ent.label_ != "DATE" or any(i in skip for i in range(ent.start, ent.end)):
            continue
        if not sets_time_of(ent.root, verb):
            continue
        if now and _in_starting_point(ent.root, verb):
            continue  # "From 32 members in 1963, there are now 53": the change's start
        lead = doc[max(sent.start, ent.start - 2) : ent.start].text.lower()
        dated = bool(_YEAR_LIKE.search(ent.text))
        span = year_range(doc, ent, lead)
        if span is not None:
            return span
        if lead.endswith("since") and dated:  # "has had 32 members since 2024": from then on
            since = numbers.parse_time_expression(f"in {ent.text}", today=today)
            if since is not None and since.start <= today:
                return Time(since.start, today, f"since {ent.text}", throughout=True, since=True)
        if lead.endswith(OPEN_TIME_WORDS):
            return Time(None, None, f"{lead.split()[-1]} {ent.text}") if dated else None
        by = lead.endswith("by")  # "By 2005, X had ...": as things stood at the end of 2005
        value = None if by else numbers.parse_time_expression(f"{lead} {ent.text}", today=today)
        value = value or numbers.parse_time_expression(f"in {ent.text}", today=today)
        value = value or numbers.parse_time_expression(ent.text, today=today)
        if value is not None:
            return Time(value.end if by else value.start, value.end, ent.text)
        if dated or ent.text.lower().endswith(" ago"):  # "in the 1990s", "about a decade ago"
            return Time(None, None, ent.text)  # a time we cannot place
    for token in sent:
        if token.lower_ in NOW_WORDS and token.head == verb:
            return Time(today, today, token.text)
    for child in verb.children:  # "At the time, ...": a past time named elsewhere
        phrase = " ".join(t.lower_ for t in child.subtree)
        if phrase in THEN_WORDS:
            return Time(None, None, phrase)
    return None


def _in_starting_point(token: Token, verb: Token) -> bool:
    """Whether `token` is inside a "from ..." phrase of `verb`: where a change started."""
    for ancestor in token.ancestors:
        if ancestor == verb:
            return False
        if ancestor.lower_ == "from" and ancestor.head == verb:
            return True
    return False


_RANGE = re.compile(r"^(?:from\s+)?(\d{4})\s*(?:to|until|-)\s*(\d{4})$", re.IGNORECASE)


def year_range(doc: Doc, ent: Span, lead: str) -> Time | None:
    """ "from 1998 to 2005", however the NER cut it, as the period from 1998 through 2005."""
    end = min(ent.end + 2, len(doc))
    for stop in range(end, ent.end - 1, -1):
        text = doc[ent.start : stop].text
        match = _RANGE.match(text if not lead.endswith("from") else f"from {text}")
        if match and (lead.endswith("from") or text.lower().startswith("from")):
            first, last = int(match.group(1)), int(match.group(2))
            if first <= last:
                text = f"from {first} to {last}"
                return Time(date(first, 1, 1), date(last, 12, 31), text, throughout=True)
    return None
