"""Accuracy gates: the bundled sources/ against our labelled expectations, and the
development seeds in ../shared against theirs (when ../shared is present).

Floors are pinned to measured figures: raise them when the pipeline improves, never lower
them quietly.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from pipeline.evaluate import read_expected, read_findings, score
from pipeline.runner import run

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RUN_DATE = date(2026, 11, 22)

SOURCES_MIN_PRECISION = 0.96
SOURCES_MIN_RECALL = 0.88
# A second set with its own reference on other subjects (African Union, OPEC, Mercosur,
# the Commonwealth, heads of government): extraction must come from the data.
HELDOUT = ROOT / "tests" / "data" / "heldout"
HELDOUT_MIN_PRECISION = 0.95
HELDOUT_MIN_RECALL = 0.95
# A third set, written blind (labels fixed before the pipeline first ran on it: precision
# 0.880, recall 0.710 then): the Council of Europe, the SCO, BRICS, the GCC, German, French
# and Mexican offices, constitutions' articles.
BLIND = ROOT / "tests" / "data" / "blind"
BLIND_MIN_PRECISION = 0.95
BLIND_MIN_RECALL = 0.9
# Real web pages about other organisations, labelled by someone else (../shared/realworld):
# with claims/ first extended for them and the extractor as it was, precision 0.459, recall
# 0.34, 12 false alarms on supported rows.
REALWORLD = SHARED / "realworld"
REALWORLD_MIN_PRECISION = 0.95
REALWORLD_MIN_RECALL = 0.85
REALWORLD_MAX_FALSE_ALARMS = 0


@pytest.fixture(scope="module")
def sources_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("sources-report")
    result = run(
        [ROOT / "sources"], reference_dir=ROOT / "claims", out_dir=out, default_date=RUN_DATE
    )
    return result, out


def test_every_bundled_article_is_read(sources_run):
    result, _ = sources_run
    assert result.skipped == []
    assert result.articles == 9


def test_sources_meet_the_accuracy_floors(sources_run):
    _, out = sources_run
    figures = score(
        read_expected(ROOT / "tests" / "data" / "sources_expected.csv"),
        read_findings(out / "findings.csv"),
    )
    print(figures.summary())
    assert figures.precision >= SOURCES_MIN_PRECISION, figures.false_alarms
    assert figures.recall >= SOURCES_MIN_RECALL, figures.missed
    assert figures.false_alarms_on_supported == 0, figures.false_alarms


def test_a_second_run_gives_the_same_finding_ids(sources_run, tmp_path):
    _, first = sources_run
    run([ROOT / "sources"], reference_dir=ROOT / "claims", out_dir=tmp_path, default_date=RUN_DATE)
    ids = [row["finding_id"] for row in read_findings(first / "findings.csv")]
    assert ids == [row["finding_id"] for row in read_findings(tmp_path / "findings.csv")]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("folder", "min_precision", "min_recall"),
    [
        (HELDOUT, HELDOUT_MIN_PRECISION, HELDOUT_MIN_RECALL),
        (BLIND, BLIND_MIN_PRECISION, BLIND_MIN_RECALL),
    ],
    ids=["heldout", "blind"],
)
def test_a_reference_on_other_subjects_meets_its_floors(
    tmp_path, folder, min_precision, min_recall
):
    result = run(
        [folder / "articles"],
        reference_dir=folder / "reference",
        out_dir=tmp_path,
        default_date=RUN_DATE,
    )
    assert result.skipped == []
    figures = score(
        read_expected(folder / "expected.csv"), read_findings(tmp_path / "findings.csv")
    )
    print(figures.summary())
    assert figures.precision >= min_precision, figures.false_alarms
    assert figures.recall >= min_recall, figures.missed
    assert figures.false_alarms_on_supported == 0, figures.false_alarms


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared is not beside the repo")
def test_seeds_acceptance_with_the_shared_scorer(tmp_path):
    run([SHARED / "seeds"], reference_dir=ROOT / "claims", out_dir=tmp_path, default_date=RUN_DATE)
    completed = subprocess.run(
        [
            sys.executable,
            str(SHARED / "eval" / "score.py"),
            str(SHARED / "eval" / "seeds_expected.csv"),
            str(tmp_path / "findings.csv"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = dict(item.split("=", 1) for item in completed.stdout.strip().splitlines()[-1].split())
    assert float(figures["recall"]) == 1.0, completed.stdout
    assert float(figures["precision"]) >= 0.9, completed.stdout
    assert figures["false_alarms_on_supported"] == "0", completed.stdout


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="../shared is not beside the repo")
def test_real_pages_meet_their_floors_with_the_shared_scorer(tmp_path):
    run(
        [REALWORLD / "batch.jsonl"],
        reference_dir=ROOT / "claims",
        out_dir=tmp_path,
        default_date=RUN_DATE,
    )
    completed = subprocess.run(
        [
            sys.executable,
            str(SHARED / "eval" / "score.py"),
            str(REALWORLD / "expected.csv"),
            str(tmp_path / "findings.csv"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    print(completed.stdout)
    figures = dict(item.split("=", 1) for item in completed.stdout.strip().splitlines()[-1].split())
    assert float(figures["precision"]) >= REALWORLD_MIN_PRECISION, completed.stdout
    assert float(figures["recall"]) >= REALWORLD_MIN_RECALL, completed.stdout
    assert int(figures["false_alarms_on_supported"]) <= REALWORLD_MAX_FALSE_ALARMS, completed.stdout


def test_two_workers_give_the_findings_of_one(tmp_path):
    one = run(
        [ROOT / "sources"],
        reference_dir=ROOT / "claims",
        out_dir=tmp_path / "one",
        default_date=RUN_DATE,
    )
    two = run(
        [ROOT / "sources"],
        reference_dir=ROOT / "claims",
        out_dir=tmp_path / "two",
        default_date=RUN_DATE,
        workers=2,
    )
    assert (two.new, two.parsed) == (one.new, one.parsed)
    assert read_findings(tmp_path / "one" / "findings.csv") == read_findings(
        tmp_path / "two" / "findings.csv"
    )
