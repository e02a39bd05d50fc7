"""Tests for pipeline.numbers: parsing the values claims carry."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.numbers import (
    DateValue,
    format_number,
    number_bound,
    number_hedge,
    parse_date,
    parse_number,
    parse_ordinal,
    parse_time_expression,
    parse_tolerance,
    parse_year,
    within_tolerance,
)

TODAY = date(2025, 6, 15)


def day(year: int, month: int, dom: int) -> DateValue:
    """A day-precision DateValue."""
    return DateValue(date(year, month, dom), date(year, month, dom), "day")


def month(year: int, number: int, last: int) -> DateValue:
    """A month-precision DateValue ending on day `last`."""
    return DateValue(date(year, number, 1), date(year, number, last), "month")


def year(number: int) -> DateValue:
    """A year-precision DateValue."""
    return DateValue(date(number, 1, 1), date(number, 12, 31), "year")


# --- parse_number -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("32", 32.0),
        ("0", 0.0),
        ("1,234", 1234.0),
        ("1,234,567.89", 1234567.89),
        ("3.5", 3.5),
        ("0.25", 0.25),
        ("-3.5", -3.5),
        ("3.5 million", 3_500_000.0),
        ("1.2 billion", 1_200_000_000.0),
        ("2 trillion", 2e12),
        ("1,500 thousand", 1_500_000.0),
        ("twenty-nine", 29.0),
        ("twenty nine", 29.0),
        ("Twenty-Nine", 29.0),
        ("twenty\u2011nine", 29.0),
        ("one", 1.0),
        ("zero", 0.0),
        ("twelve", 12.0),
        ("one hundred and five", 105.0),
        ("twenty million", 20_000_000.0),
        ("a hundred", 100.0),
        ("a thousand", 1000.0),
        ("a million", 1_000_000.0),
        ("a dozen", 12.0),
        ("dozen", 12.0),
        ("two dozen", 24.0),
        ("3 dozen", 36.0),
        ("half a dozen", 6.0),
        ("half a million", 500_000.0),
        ("32-member", 32.0),
        ("thirty-two-member", 32.0),
        ("12-nation", 12.0),
        ("5%", 5.0),
        ("5 %", 5.0),
        ("5 percent", 5.0),
        ("5 per cent", 5.0),
        ("five percent", 5.0),
        ("32.", 32.0),
        ("(32)", 32.0),
        ("\u201c32\u201d", 32.0),
    ],
)
def test_parse_number_reads_plain_numbers(text: str, expected: float) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "about 30",
        "around 30",
        "nearly 30",
        "almost 30",
        "over 30",
        "more than 30",
        "some 30",
        "roughly 30",
        "approximately 30",
        "just under 30",
        "just over 30",
        "fewer than 30",
        "less than 30",
        "at least 30",
        "up to 30",
        "no fewer than 30",
        "nearly thirty",
        "30 or more",
        "30+",
        "30-odd",
        "30 or so",
        "More than 30",
    ],
)
def test_parse_number_strips_hedges(text: str) -> None:
    assert parse_number(text) == 30.0


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "many",
        "several",
        "one of",
        "some",
        "over",
        "dozens",
        "125m",
        "3.5bn",
        "$30",
        "1,23",
        "1.234.567",
        "thirty members",
        "twenty-first",
        "two-thirds",
        "one-third",
        "ten twenty",
        "zero zero",
        "million thousand",
        "and five",
        "five and",
        "covid-19",
        "1990s",
        "\u0663",  # an Arabic-Indic digit: digits are ASCII only
        "9" * 400,
    ],
)
def test_parse_number_returns_none_for_non_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30", ""),
        ("many", ""),
        ("", ""),
        ("about 30", "about"),
        ("around 30", "about"),
        ("some 30", "about"),
        ("roughly 30", "about"),
        ("approximately 30", "about"),
        ("nearly 30", "about"),
        ("almost 30", "about"),
        ("just under 30", "about"),
        ("just over 30", "about"),
        ("30-odd", "about"),
        ("over 30", "over"),
        ("more than 30", "over"),
        ("at least 30", "over"),
        ("no fewer than 30", "over"),
        ("30 or more", "over"),
        ("30+", "over"),
        ("under 30", "under"),
        ("fewer than 30", "under"),
        ("less than 30", "under"),
        ("up to 30", "under"),
        ("no more than 30", "under"),
    ],
)
def test_number_hedge_names_the_kind_of_hedge(text: str, expected: str) -> None:
    assert number_hedge(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30", ""),
        ("about 30", "~"),
        ("nearly 30", "<~"),
        ("almost thirty", "<~"),
        ("just under 30", "<~"),
        ("just over 30", ">~"),
        ("more than 30", ">"),
        ("at least 30", ">="),
        ("30 or more", ">="),
        ("fewer than 30", "<"),
        ("up to 30", "<="),
    ],
)
def test_number_bound_says_which_side_a_hedge_points(text: str, expected: str) -> None:
    assert number_bound(text) == expected


# --- parse_ordinal ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("first", 1),
        ("second", 2),
        ("third", 3),
        ("twelfth", 12),
        ("twenty-ninth", 29),
        ("twenty ninth", 29),
        ("one hundred and first", 101),
        ("1st", 1),
        ("2nd", 2),
        ("29th", 29),
        ("third-largest", 3),
        ("third largest", 3),
        ("3rd-largest", 3),
        ("second-biggest", 2),
        ("twenty-ninth-largest", 29),
        ("second most populous", 2),
        ("third fastest-growing", 3),
        ("the third-largest", 3),
        ("largest", 1),
        ("biggest", 1),
        ("the largest", 1),
        ("most populous", 1),
        ("the world's largest", 1),
        ("the world\u2019s second-largest", 2),
        ("No. 3", 3),
        ("no 3", 3),
        ("number three", 3),
        ("Number 1", 1),
        ("#1", 1),
    ],
)
def test_parse_ordinal_reads_ranks(text: str, expected: int) -> None:
    assert parse_ordinal(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "one",
        "3",
        "a second",
        "0th",
        "zeroth",
        "first first",
        "west",
        "the most",
        "almost",
        "No. 3.5",
        "number of",
        "top",
        "many",
    ],
)
def test_parse_ordinal_returns_none_for_non_ranks(text: str) -> None:
    assert parse_ordinal(text) is None


# --- parse_year -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1949", 1949),
        ("in 1949", 1949),
        ("In 1949.", 1949),
        ("the year 1949", 1949),
        ("1000", 1000),
        ("2999", 2999),
    ],
)
def test_parse_year_reads_years(text: str, expected: int) -> None:
    assert parse_year(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "'49", "49", "999", "0999", "3000", "the 1990s", "1990s", "early 1990s", "April 1949"],
)
def test_parse_year_returns_none_for_non_years(text: str) -> None:
    assert parse_year(text) is None


# --- parse_date -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("April 29, 2024", day(2024, 4, 29)),
        ("29 April 2024", day(2024, 4, 29)),
        ("29th April 2024", day(2024, 4, 29)),
        ("the 29th of April, 2024", day(2024, 4, 29)),
        ("2024-04-29", day(2024, 4, 29)),
        ("2024/04/29", day(2024, 4, 29)),
        ("29/04/2024", day(2024, 4, 29)),
        ("29.04.2024", day(2024, 4, 29)),
        ("4/4/2024", day(2024, 4, 4)),
        ("Apr. 29, 2024", day(2024, 4, 29)),
        ("Sept. 3, 2021", day(2021, 9, 3)),
        ("Monday, April 29, 2024", day(2024, 4, 29)),
        ("Feb 29, 2024", day(2024, 2, 29)),
        ("April 29, 2024.", day(2024, 4, 29)),
        ("April 2024", month(2024, 4, 30)),
        ("February 2023", month(2023, 2, 28)),
        ("2024-04", month(2024, 4, 30)),
        ("2024", year(2024)),
    ],
)
def test_parse_date_reads_dates_at_their_precision(text: str, expected: DateValue) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "early 1990s",
        "1990s",
        "April",
        "April 29",
        "Monday",
        "Monday 2024",
        "4/5/2024",  # April 5 or 4 May: ambiguous
        "April 31, 2024",
        "Feb 29, 2023",
        "2024-13-01",
        "10:00 April 29 2024",
        "April 29 2024 10",
        "2024 2025",
        "since 2024",
        "tomorrow",
        "0999",
        "3000",
    ],
)
def test_parse_date_returns_none_for_non_dates(text: str) -> None:
    assert parse_date(text) is None


def test_date_value_is_frozen() -> None:
    value = year(2024)
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.start = date(2023, 1, 1)  # type: ignore[misc]


# --- parse_time_expression --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 2022", year(2022)),
        ("In 2022,", year(2022)),
        ("2022", year(2022)),
        ("during 2022", year(2022)),
        ("as of January 2026", month(2026, 1, 31)),
        ("in June 2022", month(2022, 6, 30)),
        ("on 4 April 2023", day(2023, 4, 4)),
        ("as of 2024-01-01", day(2024, 1, 1)),
        ("currently", day(2025, 6, 15)),
        ("now", day(2025, 6, 15)),
        ("today", day(2025, 6, 15)),
        ("at present", day(2025, 6, 15)),
        ("Currently,", day(2025, 6, 15)),
        ("yesterday", day(2025, 6, 14)),
        ("this year", year(2025)),
        ("last year", year(2024)),
        ("this month", month(2025, 6, 30)),
        ("last month", month(2025, 5, 31)),
    ],
)
def test_parse_time_expression_reads_times(text: str, expected: DateValue) -> None:
    assert parse_time_expression(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text",
    ["", "since March 2024", "since 2020", "by 2030", "until 2020", "in the 1990s", "soon"],
)
def test_parse_time_expression_returns_none_for_non_points(text: str) -> None:
    assert parse_time_expression(text, today=TODAY) is None


def test_parse_time_expression_last_month_crosses_the_year() -> None:
    assert parse_time_expression("last month", today=date(2025, 1, 10)) == month(2024, 12, 31)


@pytest.mark.parametrize("text", ["last year", "last month", "yesterday"])
def test_parse_time_expression_returns_none_before_the_calendar_starts(text: str) -> None:
    assert parse_time_expression(text, today=date(1, 1, 1)) is None


# --- tolerances -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tolerance", "expected"),
    [
        ("", (0.0, False)),
        ("2", (2.0, False)),
        ("0.5", (0.5, False)),
        ("0", (0.0, False)),
        ("5%", (5.0, True)),
        ("2.5%", (2.5, True)),
        (" 5% ", (5.0, True)),
    ],
)
def test_parse_tolerance_reads_documented_forms(
    tolerance: str, expected: tuple[float, bool]
) -> None:
    assert parse_tolerance(tolerance) == expected


@pytest.mark.parametrize(
    "tolerance", ["abc", "-1", "5%%", "%", "5 %", ".5", "5.", "1e3", "nan", "inf", "+2", "9" * 400]
)
def test_parse_tolerance_rejects_malformed_forms(tolerance: str) -> None:
    with pytest.raises(ValueError, match="is not valid"):
        parse_tolerance(tolerance)


def test_parse_tolerance_error_names_the_value_and_the_fix() -> None:
    with pytest.raises(ValueError) as error:
        parse_tolerance("abc")
    message = str(error.value)
    assert "'abc'" in message
    assert "non-negative number" in message
    assert "5%" in message


@pytest.mark.parametrize(
    ("claimed", "actual", "tolerance", "expected"),
    [
        (30, 30, "", True),
        (30.5, 30, "", False),
        (32, 30, "2", True),
        (28, 30, "2", True),
        (33, 30, "2", False),
        (105, 100, "5%", True),
        (95, 100, "5%", True),
        (106, 100, "5%", False),
        (-105, -100, "5%", True),
        (0.3, 0.1 + 0.2, "", True),
    ],
)
def test_within_tolerance(claimed: float, actual: float, tolerance: str, expected: bool) -> None:
    assert within_tolerance(claimed, actual, tolerance) is expected


def test_within_tolerance_rejects_malformed_tolerance() -> None:
    with pytest.raises(ValueError, match="'5%%' is not valid"):
        within_tolerance(5, 5, "5%%")


# --- format_number ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (32.0, "32"),
        (0.0, "0"),
        (-0.0, "0"),
        (3_500_000.0, "3,500,000"),
        (3.25, "3.25"),
        (1234.5, "1,234.5"),
        (-1500.0, "-1,500"),
        (1e-7, "0.0000001"),
    ],
)
def test_format_number(value: float, expected: str) -> None:
    assert format_number(value) == expected


# --- properties -------------------------------------------------------------------------------

# Text near the forms the parsers read, so hypothesis explores their edges, plus any text at all.
_WORDS = st.sampled_from(
    [
        "about",
        "more than",
        "twenty",
        "nine",
        "-",
        "hundred",
        "million",
        "a",
        "dozen",
        "half",
        "first",
        "third",
        "largest",
        "No.",
        "number",
        "April",
        "29",
        "2024",
        "1,234",
        "3.5",
        "%",
        "in",
        "as of",
        "last year",
        ",",
        ".",
        "'s",
        "\u2013",
        "\ud800",
    ]
)
_TEXT = st.one_of(
    st.text(),
    st.lists(_WORDS, max_size=6).map(" ".join),
    st.lists(_WORDS, max_size=6).map("".join),
)


@given(_TEXT)
def test_parsers_never_raise(text: str) -> None:
    parse_number(text)
    number_hedge(text)
    parse_ordinal(text)
    parse_year(text)
    parse_date(text)


@given(_TEXT, st.dates())
def test_parse_time_expression_never_raises(text: str, today: date) -> None:
    parse_time_expression(text, today=today)


@given(st.sampled_from(["now", "this year", "last year", "this month", "last month"]), st.dates())
def test_parse_time_expression_relative_times_are_well_formed(text: str, today: date) -> None:
    value = parse_time_expression(text, today=today)
    assert value is None or value.start <= value.end


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_format_number_round_trips_integers(value: int) -> None:
    assert parse_number(format_number(float(value))) == value


@given(st.integers(min_value=-(10**11), max_value=10**11).map(lambda cents: cents / 100))
def test_format_number_round_trips_two_decimal_floats(value: float) -> None:
    assert parse_number(format_number(value)) == value


_TOLERANCE_FORM = re.compile(r"\s*(?:[0-9]+(?:\.[0-9]+)?%?)?\s*")


@given(
    st.one_of(
        st.text(),
        st.text(alphabet="0123456789.%- e", max_size=6),
        st.from_regex(r"\A[0-9]{1,4}(\.[0-9]{1,3})?%?\Z"),
    )
)
def test_parse_tolerance_accepts_exactly_the_documented_forms(tolerance: str) -> None:
    if _TOLERANCE_FORM.fullmatch(tolerance):
        amount, _ = parse_tolerance(tolerance)
        assert amount >= 0
    else:
        with pytest.raises(ValueError):
            parse_tolerance(tolerance)


def test_relative_dates_are_calendar_years_and_months_only():
    from pipeline.numbers import parse_relative_date

    today = date(2025, 6, 1)
    assert parse_relative_date("last year", today=today).start == date(2024, 1, 1)
    assert parse_relative_date("this month", today=today).start == date(2025, 6, 1)
    assert parse_relative_date("two years ago", today=today) is None
