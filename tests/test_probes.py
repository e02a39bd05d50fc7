"""The adversarial probe set: sentences written to catch a false "supported".

`tests/data/probes.csv` was written blind (without reading the code) against the bundled
`claims/`: ordinals, hedges, scope words, opposite paraphrases, joint events, sub-bodies,
framing and times, with the verdict a careful checker gives at each date. A sentence's
verdict is its first flag, else "supported" if any finding supports it, else "unverified".
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from pipeline.check import check
from pipeline.extract import Extractor
from pipeline.models import Article
from pipeline.reference import load_reference

ROOT = Path(__file__).resolve().parent.parent
PROBES = ROOT / "tests" / "data" / "probes.csv"
MIN_RIGHT = 99  # of 132: raise as the checker improves, never lower


def sentence_verdict(extractor, reference, sentence: str, day: date) -> str:
    article = Article(id="probe", text=sentence, published=day)
    verdicts = [
        f.verdict
        for f in check(extractor.extract(article, default_date=day), reference, article=article)
    ]
    flagged = [v for v in verdicts if v in ("contradicted", "outdated")]
    if flagged:
        return flagged[0]
    return "supported" if "supported" in verdicts else "unverified"


@pytest.fixture(scope="module")
def outcomes(nlp):
    reference = load_reference(ROOT / "claims")
    extractor = Extractor(nlp, reference)
    with PROBES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        (
            row,
            sentence_verdict(
                extractor, reference, row["sentence"], date.fromisoformat(row["date"])
            ),
        )
        for row in rows
    ]


def test_no_probe_is_falsely_supported(outcomes):
    false = [
        row["sentence"]
        for row, got in outcomes
        if got == "supported" and row["expected"] != "supported"
    ]
    assert false == []


def test_the_probes_meet_their_floor(outcomes):
    tally = Counter((row["expected"], got) for row, got in outcomes)
    right = sum(n for (expected, got), n in tally.items() if expected == got)
    assert len(outcomes) >= 130
    assert right >= MIN_RIGHT, sorted(tally.items())
