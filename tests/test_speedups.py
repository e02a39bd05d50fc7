"""Each speed-up changes no finding: a run without it gives exactly the findings of a run
with every speed-up, on the bundled sources, the labelled sets and the real pages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.errors import UsageError
from pipeline.evaluate import read_findings
from pipeline.runner import SPEEDUPS, Checker, run

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RUN_DATE = date(2026, 11, 22)
CLAIMS = ROOT / "claims"
SETS = {
    "sources": (ROOT / "sources", CLAIMS),
    "heldout": (
        ROOT / "tests" / "data" / "heldout" / "articles",
        ROOT / "tests" / "data" / "heldout" / "reference",
    ),
    "blind": (
        ROOT / "tests" / "data" / "blind" / "articles",
        ROOT / "tests" / "data" / "blind" / "reference",
    ),
    "seeds": (SHARED / "seeds", CLAIMS),
    "realworld": (SHARED / "realworld" / "batch.jsonl", CLAIMS),
}


@pytest.fixture(scope="module")
def fastest(tmp_path_factory):
    """The findings of each set with every speed-up, read once."""
    done: dict[str, list[dict[str, str]]] = {}

    def findings(name: str) -> list[dict[str, str]]:
        if name not in done:
            done[name] = _findings(tmp_path_factory.mktemp(name), name, SPEEDUPS)
        return done[name]

    return findings


def _findings(out: Path, name: str, speedups: frozenset[str]) -> list[dict[str, str]]:
    folder, reference = SETS[name]
    if not folder.exists():
        pytest.skip("../shared is not beside the repo")
    result = run(
        [folder], reference_dir=reference, out_dir=out, default_date=RUN_DATE, speedups=speedups
    )
    assert result.skipped == []
    findings = read_findings(out / "findings.csv")
    assert findings
    return findings


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize("speedup", sorted(SPEEDUPS))
def test_a_speedup_changes_no_finding(tmp_path, fastest, name, speedup):
    without = _findings(tmp_path, name, SPEEDUPS - {speedup})
    assert without == fastest(name)


def test_an_unknown_speedup_is_a_usage_error(reference):
    with pytest.raises(UsageError, match="unknown speed-up"):
        Checker(reference, speedups={"prefilter", "warp"})
