"""The Dask engine: a LocalCluster of two worker processes on loopback gives the findings of
the local engine."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.evaluate import read_findings
from pipeline.runner import run

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 11, 22)


@pytest.mark.filterwarnings("ignore")  # distributed warns about ports and event loops
def test_a_local_cluster_gives_the_findings_of_the_local_engine(tmp_path):
    local = run(
        [ROOT / "sources"],
        reference_dir=ROOT / "claims",
        out_dir=tmp_path / "local",
        default_date=DAY,
    )
    dask = run(
        [ROOT / "sources"],
        reference_dir=ROOT / "claims",
        out_dir=tmp_path / "dask",
        default_date=DAY,
        engine="dask",
        workers=2,
        db=tmp_path / "fc.db",
    )
    assert (dask.new, dask.parsed, dask.skipped) == (local.new, local.parsed, [])
    assert read_findings(tmp_path / "dask" / "findings.csv") == read_findings(
        tmp_path / "local" / "findings.csv"
    )
    again = run(
        [ROOT / "sources"],
        reference_dir=ROOT / "claims",
        out_dir=tmp_path / "again",
        default_date=DAY,
        engine="dask",
        workers=2,
        db=tmp_path / "fc.db",
    )
    assert (again.unchanged, again.parsed) == (local.new, 0)


def test_an_unknown_engine_is_a_usage_error(tmp_path):
    from pipeline.errors import UsageError

    with pytest.raises(UsageError, match="unknown engine 'spark'"):
        run(
            [ROOT / "sources"],
            reference_dir=ROOT / "claims",
            out_dir=tmp_path,
            default_date=DAY,
            engine="spark",
        )
