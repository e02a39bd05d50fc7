from pathlib import Path

import pytest

from pipeline.errors import UsageError
from pipeline.evaluate import calibration, matches, read_expected, score

ROW = {
    "article": "a.txt",
    "quote": "had 7 members",
    "value": "7",
    "expected": "outdated",
    "required": "yes",
}


def finding(**fields):
    base = {
        "article": "dir/a.txt",
        "sentence": "In 1990 it had 7 members.",
        "claimed_value": "7",
        "verdict": "outdated",
    }
    base.update(fields)
    return base


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, True),
        ({"article": "b.txt"}, False),
        ({"claimed_value": "1975"}, False),
        ({"sentence": "Something else entirely."}, False),
        ({"sentence": "In 1990 it   HAD 7 members."}, True),
    ],
)
def test_matches(fields, expected):
    assert matches(ROW, finding(**fields)) is expected


def test_score_counts_hits_misses_and_false_alarms():
    rows = [
        ROW,
        {
            **ROW,
            "quote": "was founded in 1990",
            "value": "1990",
            "expected": "supported",
            "required": "",
        },
    ]
    findings = [
        finding(),
        finding(sentence="It was founded in 1990.", claimed_value="1990", verdict="contradicted"),
    ]
    result = score(rows, findings)
    assert (result.true_positives, result.false_positives, result.false_negatives) == (1, 1, 0)
    assert result.precision == 0.5 and result.recall == 1.0
    assert result.false_alarms_on_supported == 1


def test_a_bad_expectations_file_names_the_line(tmp_path: Path):
    path = tmp_path / "e.csv"
    path.write_text("article,quote,value,expected,required\na.txt,q,,maybe,\n")
    with pytest.raises(UsageError, match=r"e.csv:2: expected 'maybe' is not one of"):
        read_expected(path)


def test_calibration_counts_right_verdicts_by_confidence():
    rows = [
        {"article": "a", "quote": "has 3 members", "value": "3", "expected": "outdated"},
        {"article": "a", "quote": "was founded in 1990", "value": "", "expected": "supported"},
        {"article": "a", "quote": "has 9 seats", "value": "", "expected": "supported"},
    ]

    def finding(sentence, verdict, confidence, value=""):
        return {
            "article": "a",
            "sentence": sentence,
            "claimed_value": value,
            "verdict": verdict,
            "confidence": str(confidence),
        }

    found = [
        finding("The pact has 3 members.", "outdated", 0.95, "3"),  # right
        finding("It was founded in 1990.", "supported", 0.92),  # right
        finding("The hall has 9 seats.", "contradicted", 0.85),  # wrong: a false alarm
        finding("The hall has 9 seats.", "unverified", 0.4),  # asserts nothing
        finding("Unlabelled sentence here.", "supported", 0.99),  # no label: left out
    ]
    bins = {(b.low, b.high): (b.findings, b.right) for b in calibration(rows, found)}
    assert bins[(0.9, 1.0)] == (2, 2)
    assert bins[(0.8, 0.9)] == (1, 0)
    assert bins[(0.0, 0.5)] == (0, 0)
