"""One registry of value types: how the reference writes each type, whether a claimed value
can be read, how it compares with a fact's value, and how explanations show it.

A new type is one `ValueType` entry here plus a reader in `pipeline/extract/readers.py`
(`READERS`, same key); `tests/test_values.py` checks that every type has both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from pipeline import lexicon, numbers
from pipeline.models import Claim, Fact

ABOUT = "10%"  # how close "about 30" must be when the attribute sets no tolerance
NAME_MATCH = 88  # rapidfuzz ratio for two spellings of one name
HONORIFICS = lexicon.words("honorifics")


def _short_names() -> dict[str, frozenset[str]]:
    """Each short given name -> the full names it stands for ("steve": steven, stephen)."""
    found: dict[str, set[str]] = {}
    for pair in lexicon.words("short_names"):
        short, _, full = pair.partition(":")
        found.setdefault(short, set()).add(full)
    return {short: frozenset(full) for short, full in found.items()}


SHORT_NAMES = _short_names()

_COUNT = re.compile(r"0|[1-9][0-9]*")
_RANK = re.compile(r"[1-9][0-9]*")
_YEAR = re.compile(r"[0-9]{4}")
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(
    r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?:\s+(?:thousand|million|billion))?",
    re.IGNORECASE,
)
_PROVISION = re.compile(r"\S.*?:\s*\S")  # "Article 5: an attack on one is an attack on all"


@dataclass(frozen=True, slots=True)
class ValueType:
    """One kind of value: its reference form, its reading and its comparison."""

    name: str
    written: str  # how the reference writes it, for problems: "a count (a whole number like 32)"
    valid: Callable[[str], bool]  # a reference value of this type
    readable: Callable[[Claim], bool]  # the claimed value can be compared at all
    same: Callable[[Claim, Fact, str], bool]  # the claimed value is the fact's (with a tolerance)
    show: Callable[[str], str] = str  # a reference value as explanations give it
    tolerance: bool = False  # an attribute of this type may set a tolerance
    event: bool = False  # when something happened: true at any time once it has happened
    digits: bool = False  # written with a number, which the sentence then holds


# -- reference forms ----------------------------------------------------------------------


def is_count(text: str) -> bool:
    """A non-negative whole number without leading zeros."""
    return bool(_COUNT.fullmatch(text))


def is_rank(text: str) -> bool:
    """A positive whole number."""
    return bool(_RANK.fullmatch(text))


def is_year(text: str) -> bool:
    """Four digits."""
    return bool(_YEAR.fullmatch(text))


def is_number(text: str) -> bool:
    """A decimal, optionally with thousands commas and a thousand/million/billion suffix."""
    return bool(_NUMBER.fullmatch(text))


def is_day(text: str) -> bool:
    """An existing calendar day written YYYY-MM-DD."""
    if not _DAY.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def is_partial_date(text: str) -> bool:
    """A date at the precision the source gives: YYYY-MM-DD, YYYY-MM or YYYY."""
    if _YEAR.fullmatch(text):
        return True
    if _MONTH.fullmatch(text):
        return 1 <= int(text[5:]) <= 12
    return is_day(text)


# -- comparisons ----------------------------------------------------------------------------


def numbers_match(claim: Claim, fact: Fact, tolerance: str, *, whole: bool = False) -> bool:
    """A claimed number against a fact's, read with its hedge: "about 30" within the
    tolerance (or 10%), "more than 30" as a bound, "nearly 30" a little under (for a count,
    by one), a plain number within the tolerance."""
    claimed, actual = numbers.parse_number(claim.value), numbers.parse_number(fact.value)
    if claimed is None or actual is None:
        return False
    bound = numbers.number_bound(claim.value_text)
    if bound == "~":
        return numbers.within_tolerance(claimed, actual, tolerance or ABOUT)
    if bound in ("<~", ">~"):
        side = actual < claimed if bound == "<~" else actual > claimed
        near = numbers.within_tolerance(claimed, actual, tolerance or ABOUT) or (
            whole and abs(claimed - actual) <= 1
        )
        return side and near
    if bound in (">", ">=", "<", "<="):
        return {
            ">": actual > claimed,
            ">=": actual >= claimed,
            "<": actual < claimed,
            "<=": actual <= claimed,
        }[bound]
    return numbers.within_tolerance(claimed, actual, tolerance)


def date_agreement(claim: Claim, fact: Fact) -> str:
    """How a claimed date stands to a fact's date, each as precise as it was written:
    "same" when the claimed days hold the fact's ("in 1949" and 1949-04-04), "finer" when
    the claim is more precise than the fact and inside it ("4 April 1949" and 1949: the
    reference cannot settle the day), "apart" when they share no day, "" when unreadable."""
    claimed = numbers.parse_date(claim.value) or numbers.parse_date(claim.value_text)
    actual = numbers.parse_date(fact.value)
    if claimed is None or actual is None:
        return ""
    if claimed.start <= actual.start and actual.end <= claimed.end:
        return "same"
    if actual.start <= claimed.start and claimed.end <= actual.end:
        return "finer"
    return "apart"


def names_match(claimed: str, actual: str) -> bool:
    """Whether a name as written is the reference's name: "Kishida" or "F. Kishida" is
    "Fumio Kishida"; "Jill Biden" is not "Joe Biden"; titles around it do not count."""
    a, b = fold_name(claimed), fold_name(actual)
    if not a or not b:
        return False
    if a == b:
        return True
    claimed_words, actual_words = a.split(), b.split()
    if len(claimed_words) == 1:
        return claimed_words[0] == actual_words[-1]
    if claimed_words[-1] != actual_words[-1]:
        return fuzz.token_sort_ratio(a, b) >= NAME_MATCH
    first = claimed_words[0]
    if len(first) == 1:  # an initial: "F. Kishida"
        return actual_words[0].startswith(first)
    if _given_name(first) & _given_name(actual_words[0]):  # "Mike" is "Michael"
        return True
    return fuzz.ratio(claimed_words[0], actual_words[0]) >= NAME_MATCH


def _given_name(word: str) -> frozenset[str]:
    """The full forms a given name may stand for: itself, or those of its short form."""
    return SHORT_NAMES.get(word, frozenset({word}))


def fold_name(name: str) -> str:
    """A name lowercased, without accents, punctuation or titles ("the Rt Hon X QC")."""
    plain = unicodedata.normalize("NFKD", name.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    words = re.sub(r"[^\w\s]", "", plain).split()
    return " ".join(word for word in words if word not in HONORIFICS)


def _show_number(value: str) -> str:
    parsed = numbers.parse_number(value)
    return numbers.format_number(parsed) if parsed is not None else value


def _readable_number(claim: Claim) -> bool:
    return numbers.parse_number(claim.value) is not None


def _has_value(claim: Claim) -> bool:
    return bool(claim.value.strip())


def _never(claim: Claim, fact: Fact, tolerance: str) -> bool:
    return False  # compared as a whole by its own judge (lists, provisions)


TYPES: dict[str, ValueType] = {
    entry.name: entry
    for entry in (
        ValueType(
            "count",
            "a count (a whole number like 32)",
            is_count,
            _readable_number,
            lambda claim, fact, tolerance: numbers_match(claim, fact, tolerance, whole=True),
            show=_show_number,
            tolerance=True,
            digits=True,
        ),
        ValueType(
            "number",
            "a number (like 124500000 or 3.5 million)",
            is_number,
            _readable_number,
            numbers_match,
            show=_show_number,
            tolerance=True,
            digits=True,
        ),
        ValueType(
            "year",
            "a year (four digits like 1949)",
            is_year,
            _has_value,
            lambda claim, fact, tolerance: claim.value.strip() == fact.value.strip(),
            event=True,
            digits=True,
        ),
        ValueType(
            "date",
            "a date (YYYY-MM-DD, YYYY-MM or YYYY)",
            is_partial_date,
            _has_value,
            lambda claim, fact, tolerance: date_agreement(claim, fact) == "same",
            event=True,
            digits=True,
        ),
        ValueType(
            "rank",
            "a rank (a positive whole number like 3)",
            is_rank,
            lambda claim: claim.value.strip().isdigit(),
            lambda claim, fact, tolerance: claim.value.strip() == fact.value.strip(),
        ),
        ValueType(
            "text",
            "text",
            bool,
            _has_value,
            lambda claim, fact, tolerance: names_match(claim.value, fact.value),
        ),
        ValueType(
            "list",
            "|-separated entity names",
            bool,
            _has_value,
            _never,
        ),
        ValueType(
            "provision",
            "a provision (Article N: what it says)",
            lambda text: bool(_PROVISION.match(text)),
            _has_value,
            _never,
        ),
    )
}
NAMES = tuple(TYPES)
