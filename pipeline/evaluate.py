"""Score findings against a labelled expectations file, to measure and gate accuracy.

The expectations file has the columns `article, quote, value, expected, required, note`:
`expected` is contradicted, outdated, supported, unverified or either; `required` is `yes`
where the discrepancy must be found. A finding matches a row when both name the same
article (by file name), the finding's sentence contains the quote (or the quote contains
the sentence), and, where the row gives a value, the finding's claimed value contains it
(numbers as whole numbers: "7" matches "7 members" but not "1975").

Flagged findings are contradicted or outdated. Precision counts flagged findings that
match a row expected to be a discrepancy (or `either`); recall counts required rows found.
"""

from __future__ import annotations

import csv
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline.errors import UsageError
from pipeline.models import FLAGGED
from pipeline.report.files import restore_cell

EXPECTED_COLUMNS = ("article", "quote", "value", "expected", "required")
_CLASSES = {"contradicted", "outdated", "supported", "unverified", "either"}


@dataclass(frozen=True, slots=True)
class Score:
    """Precision, recall and what lies behind them."""

    precision: float
    recall: float
    true_positives: int
    false_positives: int
    false_negatives: int
    exact_class: int
    false_alarms_on_supported: int
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line of figures."""
        return (
            f"precision={self.precision:.3f} recall={self.recall:.3f} "
            f"tp={self.true_positives} fp={self.false_positives} fn={self.false_negatives} "
            f"exact_class={self.exact_class} "
            f"false_alarms_on_supported={self.false_alarms_on_supported}"
        )


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"[\u2018\u2019\u201b\u2032`´]", "'", text)
    text = re.sub(r"[\u201c\u201d\u201e\u2033]", '"', text)
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def _name(article: str) -> str:
    return PurePosixPath((article or "").replace("\\", "/")).name


def matches(row: Mapping[str, str], finding: Mapping[str, str]) -> bool:
    """Whether a finding is the one an expectations row describes."""
    if _name(row["article"]) != _name(finding.get("article", "")):
        return False
    quote, sentence = _fold(row["quote"]), _fold(finding.get("sentence", ""))
    if not sentence or not (quote in sentence or (len(sentence) >= 12 and sentence in quote)):
        return False
    value, claimed = _fold(row.get("value", "")), _fold(finding.get("claimed_value", ""))
    if not value:
        return True
    if re.fullmatch(r"[\d.,:-]+", value):
        return re.search(rf"(?<![\d.]){re.escape(value)}(?![\d])", claimed) is not None
    return value in claimed


def score(expected: Iterable[Mapping[str, str]], findings: Iterable[Mapping[str, str]]) -> Score:
    """Score findings against expectations rows."""
    rows, found = list(expected), list(findings)
    flagged = [f for f in found if _fold(f.get("verdict", "")) in FLAGGED]
    required = [
        r for r in rows if r["expected"] in FLAGGED and _fold(r.get("required", "")) == "yes"
    ]
    tolerated = [r for r in rows if r["expected"] in FLAGGED | {"either"}]
    supported = [r for r in rows if r["expected"] == "supported"]
    hits = exact = 0
    missed = []
    for row in required:
        matched = [f for f in flagged if matches(row, f)]
        if matched:
            hits += 1
            exact += any(_fold(f["verdict"]) == row["expected"] for f in matched)
        else:
            missed.append(f"{row['article']}: {row['quote']}")
    false_positives = [f for f in flagged if not any(matches(r, f) for r in tolerated)]
    alarms = [f for f in false_positives if any(matches(r, f) for r in supported)]
    flagged_right = hits + len(false_positives)
    return Score(
        precision=round(hits / flagged_right, 3) if flagged_right else 0.0,
        recall=round(hits / len(required), 3) if required else 1.0,
        true_positives=hits,
        false_positives=len(false_positives),
        false_negatives=len(missed),
        exact_class=exact,
        false_alarms_on_supported=len(alarms),
        missed=missed,
        false_alarms=[
            f"{f.get('article')}: [{f.get('verdict')}] {f.get('sentence', '')}"
            for f in false_positives
        ],
    )


CONFIDENCE_BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 1.0)


@dataclass(frozen=True, slots=True)
class Bin:
    """Findings whose confidence lies in [low, high), and how many of them were right."""

    low: float
    high: float
    findings: int
    right: int

    def line(self) -> str:
        share = f"{self.right / self.findings:.0%}" if self.findings else "-"
        return (
            f"confidence {self.low:.1f}-{self.high:.1f}: {self.findings} verdict(s), "
            f"{self.right} right ({share})"
        )


def calibration(
    expected: Iterable[Mapping[str, str]], findings: Iterable[Mapping[str, str]]
) -> list[Bin]:
    """How often verdicts at each confidence are right, over the labelled claims: a flag
    is right where its row expects a discrepancy (or either), a "supported" where its row
    expects supported (or either). Unverified findings assert nothing and are left out."""
    rows = list(expected)
    counts = [[0, 0] for _ in CONFIDENCE_BINS[1:]]
    for finding in findings:
        verdict = _fold(finding.get("verdict", ""))
        if verdict not in FLAGGED | {"supported"}:
            continue
        labels = {row["expected"] for row in rows if matches(row, finding)}
        if not labels:
            continue
        good = FLAGGED | {"either"} if verdict in FLAGGED else {"supported", "either"}
        try:
            confidence = float(finding.get("confidence") or 0)
        except ValueError:
            continue
        index = next(
            i
            for i, high in enumerate(CONFIDENCE_BINS[1:])
            if confidence < high or high == CONFIDENCE_BINS[-1]
        )
        counts[index][0] += 1
        counts[index][1] += bool(labels & good)
    return [
        Bin(low, high, total, right)
        for (low, high), (total, right) in zip(
            itertools.pairwise(CONFIDENCE_BINS), counts, strict=True
        )
    ]


def read_expected(path: Path) -> list[dict[str, str]]:
    """The rows of an expectations file; a malformed one is a UsageError naming the line."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in EXPECTED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise UsageError(f"{path}:1: missing column(s): {', '.join(missing)}")
            rows = []
            for row in reader:
                if row["expected"] not in _CLASSES:
                    raise UsageError(
                        f"{path}:{reader.line_num}: expected {row['expected']!r} is not one of "
                        f"{', '.join(sorted(_CLASSES))}"
                    )
                rows.append(row)
            return rows
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror}") from error


def read_findings(path: Path) -> list[dict[str, str]]:
    """The rows of a findings.csv, cells neutralized against formulas read back as written."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return [
                {
                    key: restore_cell(value) if isinstance(value, str) else value
                    for key, value in row.items()
                }
                for row in csv.DictReader(handle)
            ]
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror}") from error
