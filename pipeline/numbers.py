"""Parse the values claims carry: numbers, ranks, years, dates, times and tolerances.

Every `parse_*` function takes any str and returns None when the text is not a value of its kind;
none of them raises. Only `parse_tolerance` and `within_tolerance` raise (ValueError), because a
tolerance comes from the reference table, where a malformed one is an error to report.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from decimal import Decimal
from typing import Literal

from dateutil import parser as dateutil_parser
from text_to_num import alpha2digit, text2num

__all__ = [
    "DateValue",
    "format_number",
    "number_hedge",
    "parse_date",
    "parse_number",
    "parse_ordinal",
    "parse_time_expression",
    "parse_tolerance",
    "parse_year",
    "within_tolerance",
]

Precision = Literal["day", "month", "year"]


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date as precise as the text gave it: the days [start, end] it may mean."""

    start: date
    end: date
    precision: Precision


# --- shared text clean-up ---------------------------------------------------------------------

# Typographic dashes, minus signs and non-breaking spaces as their plain ASCII forms.
_TYPOGRAPHY = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)
_EDGE_PUNCTUATION = " \t\r\n,;:!?\"'()[]"
# No value is written in more characters than this; longer text is not a value, and refusing it
# keeps huge digit strings away from Decimal arithmetic (which traps on overflow).
_MAX_LENGTH = 200


def _clean(text: str) -> str:
    """Lower-case, plain ASCII punctuation, single spaces, no surrounding punctuation."""
    if len(text) > _MAX_LENGTH:
        return ""
    text = " ".join(text.translate(_TYPOGRAPHY).lower().split())
    return text.strip(_EDGE_PUNCTUATION)


# --- numbers ----------------------------------------------------------------------------------

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_NUMBER_WORDS = frozenset([*_UNITS, *_TENS, "hundred", *_SCALES])

# Hedges before a number, longest first so "just over" wins over "over". Each maps to the kind
# `number_hedge` reports: "over"/"under" are bounds a checker can test; everything that only
# claims closeness ("nearly 30", "just under 30") is "about", since the value must be near.
_PREFIX_HEDGES = {
    "about": "about",
    "around": "about",
    "roughly": "about",
    "approximately": "about",
    "approx.": "about",
    "some": "about",
    "nearly": "about",
    "almost": "about",
    "close to": "about",
    "just under": "about",
    "just over": "about",
    "just below": "about",
    "just above": "about",
    "not quite": "about",
    "a little over": "about",
    "slightly more than": "about",
    "an estimated": "about",
    "estimated": "about",
    "over": "over",
    "more than": "over",
    "well over": "over",
    "at least": "over",
    "upwards of": "over",
    "in excess of": "over",
    "above": "over",
    "no fewer than": "over",
    "no less than": "over",
    "under": "under",
    "fewer than": "under",
    "less than": "under",
    "well under": "under",
    "below": "under",
    "up to": "under",
    "at most": "under",
    "no more than": "under",
}
_SUFFIX_HEDGES = {
    " or more": "over",
    "+": "over",
    " plus": "over",
    " or so": "about",
    "-odd": "about",
}
_PREFIX_HEDGE_RE = re.compile(
    r"^(?P<hedge>"
    + "|".join(re.escape(h) for h in sorted(_PREFIX_HEDGES, key=len, reverse=True))
    + r")\s+(?P<rest>.+)$"
)
_PERCENT_RE = re.compile(r"^(?P<number>.+?)\s*(?:%|percent|per cent)$")
_DIGITS_RE = re.compile(
    r"^(?P<sign>-?)(?P<number>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]*\.[0-9]+|[0-9]+)$"
)
_DIGITS_SCALE_RE = re.compile(
    r"^(?P<number>[0-9][0-9,.]*)\s+(?P<scale>hundred|" + "|".join(_SCALES) + ")$"
)
_DOZEN_RE = re.compile(r"^(?:(?P<count>[a-z0-9 ,.-]+?)\s+)?dozen$")
_HALF_RE = re.compile(r"^half\s+(?:a|an)\s+(?P<rest>.+)$")
_COMPOUND_RE = re.compile(r"^(?P<number>.+?)-(?P<noun>[a-z]+)$")


def _split_hedge(text: str) -> tuple[str, str]:
    """The hedge kind ("" when none) and the text with its hedges removed."""
    kind = ""
    while True:
        match = _PREFIX_HEDGE_RE.match(text)
        if match:
            kind = kind or _PREFIX_HEDGES[match["hedge"]]
            text = match["rest"]
            continue
        for suffix, suffix_kind in _SUFFIX_HEDGES.items():
            if text.endswith(suffix) and len(text) > len(suffix):
                kind = kind or suffix_kind
                text = text[: -len(suffix)].rstrip()
                break
        else:
            return kind, text


def _parse_digits(text: str) -> Decimal | None:
    """A number written in digits, with optional thousands commas: "1,234.5"."""
    match = _DIGITS_RE.match(text)
    if not match:
        return None
    value = Decimal(match["number"].replace(",", ""))
    return -value if match["sign"] else value


def _parse_words(text: str) -> int | None:
    """A cardinal written in words: "twenty-nine", "a hundred", "one million two hundred"."""
    words = text.replace("-", " ").split()
    if words[:1] == ["a"] and len(words) > 1 and words[1] in ("hundred", *_SCALES):
        words[0] = "one"
    if not words or any(word not in _NUMBER_WORDS and word != "and" for word in words):
        return None
    # text2num accepts a few odd sequences ("zero zero", "million thousand"); refuse them.
    if "zero" in words and len(words) > 1:
        return None
    if "and" in (words[0], words[-1]):
        return None
    previous = None
    for word in words:
        if word in _SCALES and previous in _SCALES:
            return None
        previous = word
    try:
        return text2num(" ".join(words), "en")
    except ValueError:  # not a well-formed number ("ten twenty"); text2num raises nothing else
        return None


def _parse_cardinal(text: str) -> Decimal | None:
    """A plain cardinal in digits or words, no hedge, percent sign or unit."""
    if not text:
        return None
    value = _parse_digits(text)
    if value is not None:
        return value
    match = _DIGITS_SCALE_RE.match(text)
    if match:
        number = _parse_digits(match["number"])
        scale = 100 if match["scale"] == "hundred" else _SCALES[match["scale"]]
        return None if number is None else number * scale
    match = _HALF_RE.match(text)
    if match:
        whole = _parse_cardinal("a " + match["rest"])
        return None if whole is None else whole / 2
    match = _DOZEN_RE.match(text)
    if match:
        count = match["count"]
        if count in (None, "a"):
            return Decimal(12)
        number = _parse_digits(count)
        if number is None:
            words = _parse_words(count)
            number = None if words is None else Decimal(words)
        return None if number is None else number * 12
    words = _parse_words(text)
    return None if words is None else Decimal(words)


def is_number_word(word: str) -> bool:
    """True for words that belong to a number: "nine", "ninth", "thirds", "half"."""
    singular = word.removesuffix("s")
    return (
        word in _NUMBER_WORDS
        or singular in _ORDINAL_WORDS
        or word in ("half", "halves", "quarter", "quarters", "dozen", "dozens")
    )


def parse_number(text: str) -> float | None:
    """The number in `text` ("3.5 million", "twenty-nine", "nearly 30", "5%"), or None."""
    _, text = _split_hedge(_clean(text).rstrip("."))
    match = _PERCENT_RE.match(text)
    if match:
        text = match["number"]
    value = _parse_cardinal(text)
    if value is None:
        # A number used as an adjective: "32-member", "thirty-two-member".
        match = _COMPOUND_RE.match(text)
        if match and not is_number_word(match["noun"]):
            value = _parse_cardinal(match["number"])
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def number_hedge(text: str) -> str:
    """How `text` hedges its number: "about", "over", "under", or "" when it does not."""
    kind, _ = _split_hedge(_clean(text).rstrip("."))
    return kind


_BOUNDS = {
    "over": ">",
    "more than": ">",
    "above": ">",
    "in excess of": ">",
    "upwards of": ">",
    "greater than": ">",
    "at least": ">=",
    "no fewer than": ">=",
    "no less than": ">=",
    "or more": ">=",
    "plus": ">=",
    "+": ">=",
    "under": "<",
    "fewer than": "<",
    "less than": "<",
    "below": "<",
    "well under": "<",
    "up to": "<=",
    "at most": "<=",
    "no more than": "<=",
}
_BOUND_RE = re.compile(
    r"(?<![\w+])("
    + "|".join(re.escape(word) for word in sorted(_BOUNDS, key=len, reverse=True))
    + r")(?![\w])"
)


# Closeness from one side: "nearly 30" is a little under 30, "just over 30" a little above.
_NEAR_BELOW_RE = re.compile(r"^(?:nearly|almost|just under|just below|not quite)\s")
_NEAR_ABOVE_RE = re.compile(r"^(?:just over|just above|a little over|slightly more than)\s")


def number_bound(text: str) -> str:
    """The comparison a hedged number makes: ">" for "more than 30", ">=" for "at least 30"
    or "30 or more", "<" and "<=" likewise, "~" for "about 30", "<~" for "nearly 30" (a
    little under), ">~" for "just over 30" (a little over), "" for a plain number."""
    hedge = number_hedge(text)
    if hedge == "about":
        cleaned = _clean(text)
        if _NEAR_BELOW_RE.match(cleaned):
            return "<~"
        if _NEAR_ABOVE_RE.match(cleaned):
            return ">~"
        return "~"
    if not hedge:
        return ""
    match = _BOUND_RE.search(_clean(text))
    bound = _BOUNDS[match.group(1)] if match else (">=" if hedge == "over" else "<=")
    return bound


def format_number(value: float) -> str:
    """`value` with thousands commas and no trailing zeros: 3500000.0 -> "3,500,000"."""
    if not math.isfinite(value):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    # repr gives the shortest text that reads back as the same float.
    return format(Decimal(repr(float(value))), ",f")


# --- ranks ------------------------------------------------------------------------------------

_ORDINAL_WORDS = frozenset(
    [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
        "thirtieth",
        "fortieth",
        "fiftieth",
        "sixtieth",
        "seventieth",
        "eightieth",
        "ninetieth",
        "hundredth",
        "thousandth",
        "millionth",
    ]
)
# Superlatives that make a rank: "third-largest" is rank 3, "largest" alone is rank 1.
_SUPERLATIVES = [
    "largest",
    "biggest",
    "greatest",
    "highest",
    "lowest",
    "smallest",
    "best",
    "worst",
    "richest",
    "poorest",
    "wealthiest",
    "oldest",
    "youngest",
    "newest",
    "longest",
    "shortest",
    "tallest",
    "busiest",
    "fastest",
    "strongest",
    "heaviest",
    "deepest",
]
_SUPERLATIVE_RE = re.compile(
    r"^(?P<ordinal>.*?)[\s-]*\b(?:"
    + "|".join(re.escape(word) for word in _SUPERLATIVES)
    + r"|(?:most|least)[\s-][a-z]+)(?:-[a-z]+)?$"
)
_DIGIT_ORDINAL_RE = re.compile(r"^(?P<number>[0-9]{1,9})(?:st|nd|rd|th)$")
# "Europe's second-largest", "the islands' largest": the owner does not change the rank.
_POSSESSIVE_RE = re.compile(r"^.*(?:'s|s')\s+")
_NUMBER_SIGN_RE = re.compile(r"^(?:no\.?|number|#)\s*(?P<number>.+)$")


def _parse_plain_ordinal(text: str) -> int | None:
    """An ordinal without a superlative: "29th", "twenty-ninth", "No. 3"."""
    match = _NUMBER_SIGN_RE.match(text)
    if match:
        value = _parse_cardinal(match["number"])
        if value is None or value != value.to_integral_value() or value < 1:
            return None
        return int(value)
    match = _DIGIT_ORDINAL_RE.match(text)
    if match:
        return int(match["number"]) or None
    words = text.replace("-", " ").split()
    if not words or words[-1] not in _ORDINAL_WORDS:
        return None
    before = words[:-1]
    if before[-1:] == ["and"]:  # "one hundred and first"
        before = before[:-1]
    if before and _parse_words(" ".join(before)) is None:  # the words before must be a number
        return None
    try:
        # threshold=0 makes alpha2digit convert small ordinals too ("first" -> "1st").
        match = _DIGIT_ORDINAL_RE.match(alpha2digit(" ".join(words), "en", threshold=0))
    except ValueError:
        return None
    return int(match["number"]) if match else None


def parse_position(text: str) -> int | None:
    """A plain ordinal ("fourth", "29th", "forty-third"), not a superlative, or None."""
    return _parse_plain_ordinal(_clean(text).rstrip("."))


def parse_ordinal(text: str) -> int | None:
    """The rank in `text` ("third", "29th", "second-biggest", "largest", "No. 3"), or None."""
    text = _POSSESSIVE_RE.sub("", _clean(text).rstrip("."))
    text = text.removeprefix("the ")
    match = _SUPERLATIVE_RE.match(text)
    if match:
        ordinal = match["ordinal"].strip(" -")
        return _parse_plain_ordinal(ordinal) if ordinal else 1
    return _parse_plain_ordinal(text)


# --- years and dates --------------------------------------------------------------------------

_YEAR_RE = re.compile(r"^(?:in\s+)?(?:the\s+)?(?:year\s+)?(?P<year>[12][0-9]{3})$")
# English names, not `calendar.month_name`, which follows the process locale.
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTHS = (
    {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
    | {name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)}
    | {"sept": 9}
)
_WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAYS = frozenset([*_WEEKDAY_NAMES, *(name[:3] for name in _WEEKDAY_NAMES)])
_DAY_TOKEN_RE = re.compile(r"^(?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?$")
_YEAR_TOKEN_RE = re.compile(r"^[12][0-9]{3}$")
_NUMERIC_DATE_RES = (
    re.compile(r"^[12][0-9]{3}-[0-9]{1,2}(?:-[0-9]{1,2})?$"),  # 2024-04-29, 2024-04
    re.compile(r"^[12][0-9]{3}/[0-9]{1,2}/[0-9]{1,2}$"),  # 2024/04/29
)
_DMY_NUMERIC_RE = re.compile(
    r"^(?P<a>[0-9]{1,2})(?P<sep>[/.])(?P<b>[0-9]{1,2})(?P=sep)[12][0-9]{3}$"
)
# Two defaults that differ in every field: a field the text gave is the same under both.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 3, 2))


def month_number(word: str) -> int | None:
    """The month a word names ("January", "Sept"), or None."""
    return _MONTHS.get(word.lower().rstrip("."))


def parse_year(text: str) -> int | None:
    """The year in `text` ("1949", "in 1949"), 1000-2999, or None ("the 1990s", "'49")."""
    match = _YEAR_RE.match(_clean(text).rstrip("."))
    return int(match["year"]) if match else None


def _date_words(text: str) -> str | None:
    """`text` reduced to what dateutil should read, or None when it is not only a date.

    A written date is one year with at most one month, one day and one weekday; a day needs a
    month and a weekday needs a day. Numeric dates are ISO, year-first, or unambiguous
    day-first: "4/5/2024" is April 5 in the US and 4 May elsewhere, so it is refused.
    """
    text = text.rstrip(".")
    if any(pattern.match(text) for pattern in _NUMERIC_DATE_RES):
        return text
    match = _DMY_NUMERIC_RE.match(text)
    if match:
        a, b = int(match["a"]), int(match["b"])
        return text if a == b or max(a, b) > 12 else None
    counts = {"year": 0, "month": 0, "day": 0, "weekday": 0}
    words = []
    for token in text.replace(",", " ").split():
        word = token.rstrip(".")
        if word in ("the", "of"):
            continue
        if _YEAR_TOKEN_RE.match(word):
            counts["year"] += 1
        elif word in _MONTHS:
            counts["month"] += 1
        elif _DAY_TOKEN_RE.match(word):
            counts["day"] += 1
        elif word in _WEEKDAYS:
            counts["weekday"] += 1
        else:
            return None
        words.append(word)
    if counts["year"] != 1 or max(counts.values()) > 1:
        return None
    if not counts["month"] >= counts["day"] >= counts["weekday"]:
        return None
    return " ".join(words)


def parse_date(text: str) -> DateValue | None:
    """The date in `text` ("April 29, 2024", "2024-04-29", "April 2024", "2024"), or None."""
    words = _date_words(_clean(text))
    return None if words is None else _date_of(words)


@functools.lru_cache(maxsize=4096)
def _date_of(words: str) -> DateValue | None:
    """The date the words of a date name (read once: the same dates recur)."""
    try:
        first, second = (dateutil_parser.parse(words, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError):  # ParserError is a ValueError; huge numbers overflow
        return None
    year = first.year
    if year != second.year or not 1000 <= year <= 2999:
        return None
    if first.month != second.month:
        return DateValue(date(year, 1, 1), date(year, 12, 31), "year")
    if first.day != second.day:
        return _month_value(year, first.month)
    return DateValue(first.date(), first.date(), "day")


# --- the time a claim carries -----------------------------------------------------------------

_NOW_WORDS = frozenset(
    {
        "now",
        "today",
        "currently",
        "presently",
        "at present",
        "right now",
        "at the moment",
        "as of now",
        "as of today",
        "to date",
    }
)
_RELATIVE_YEARS = {"this year": 0, "so far this year": 0, "earlier this year": 0, "last year": -1}
_RELATIVE_MONTHS = {"this month": 0, "earlier this month": 0, "last month": -1}
# "two years ago", "a decade ago": exact; "about two years ago" is not placed.
_AGO_RE = re.compile(r"^(?P<count>[a-z0-9-]+)\s+(?P<unit>years?|months?|decades?)\s+ago$")
# Prepositions that place a claim at a point (or span) in time; "since", "by", "until" do not.
_POINT_PREPOSITION_RE = re.compile(r"^(?:as of|as at|in|on|during)\s+(?P<rest>.+)$")


def _year_value(year: int) -> DateValue | None:
    """The whole of `year`, or None outside the calendar."""
    if not MINYEAR <= year <= MAXYEAR:
        return None
    return DateValue(date(year, 1, 1), date(year, 12, 31), "year")


def _month_value(year: int, month: int) -> DateValue | None:
    """The whole of `month` in `year`, or None outside the calendar."""
    if not MINYEAR <= year <= MAXYEAR:
        return None
    last = calendar.monthrange(year, month)[1]
    return DateValue(date(year, month, 1), date(year, month, last), "month")


def parse_relative_date(text: str, *, today: date) -> DateValue | None:
    """A calendar year or month named relative to `today` ("last year", "this month"), or
    None: "two years ago" is left out, since it may mean any day in a span of two years."""
    text = _clean(text).rstrip(".")
    if text in _RELATIVE_YEARS:
        return _year_value(today.year + _RELATIVE_YEARS[text])
    if text in _RELATIVE_MONTHS:
        return parse_time_expression(text, today=today)
    return None


def parse_time_expression(text: str, *, today: date) -> DateValue | None:
    """The time a claim gives itself ("in 2022", "as of January 2026", "currently"), or None."""
    text = _clean(text).rstrip(".")
    if text in _NOW_WORDS:
        return DateValue(today, today, "day")
    if text == "yesterday":
        if today == date.min:
            return None
        yesterday = today - timedelta(days=1)
        return DateValue(yesterday, yesterday, "day")
    if text in _RELATIVE_YEARS:
        return _year_value(today.year + _RELATIVE_YEARS[text])
    if text in _RELATIVE_MONTHS:
        months = today.year * 12 + today.month - 1 + _RELATIVE_MONTHS[text]
        return _month_value(months // 12, months % 12 + 1)
    match = _AGO_RE.match(text)
    if match:  # "two years ago", "a decade ago", "three months ago": that year or month
        count = 1 if match["count"] in ("a", "an", "one") else _parse_cardinal(match["count"])
        if count is None or count != int(count) or not 0 < count < 1000:
            return None
        unit = match["unit"]
        if unit.startswith("month"):
            months = today.year * 12 + today.month - 1 - int(count)
            return _month_value(months // 12, months % 12 + 1)
        years = int(count) * (10 if unit.startswith("decade") else 1)
        return _year_value(today.year - years)
    match = _POINT_PREPOSITION_RE.match(text)
    return parse_date(match["rest"] if match else text)


# --- tolerances -------------------------------------------------------------------------------

_TOLERANCE_RE = re.compile(r"(?P<amount>[0-9]+(?:\.[0-9]+)?)(?P<percent>%?)")


def parse_tolerance(tolerance: str) -> tuple[float, bool]:
    """A tolerance as (amount, is_relative): "" -> (0, False), "2" -> (2, False), "5%" -> (5, True).

    Raises ValueError when `tolerance` is not "", a non-negative decimal number, or such a
    number followed by "%" (surrounding whitespace is ignored).
    """
    text = tolerance.strip()
    if not text:
        return 0.0, False
    match = _TOLERANCE_RE.fullmatch(text)
    if match is None or not math.isfinite(float(match["amount"])):  # 400 digits overflow
        raise ValueError(
            f"tolerance {tolerance!r} is not valid: use a non-negative number (2 or 0.5) for an "
            "absolute tolerance, a number and % (5%) for a relative one, or leave it empty"
        )
    return float(match["amount"]), bool(match["percent"])


def within_tolerance(claimed: float, actual: float, tolerance: str) -> bool:
    """True when `claimed` is within `tolerance` of `actual`: "" exact, "2" absolute, "5%" relative.

    Raises ValueError for a malformed tolerance (see `parse_tolerance`).
    """
    amount, is_relative = parse_tolerance(tolerance)
    allowed = amount * abs(actual) / 100 if is_relative else amount
    # A little slack so that 105 is within 5% of 100 despite binary rounding.
    slack = 1e-9 * max(1.0, abs(actual))
    return abs(claimed - actual) <= allowed + slack
