"""The command line, through click's CliRunner."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

MINI = Path(__file__).parent / "data" / "mini_reference"

ARTICLE = """Published: June 1, 2024

Northern Pact leaders gather in Strel

The Northern Pact, which now has four members, meets this week in Strel.
Prime Minister Rudolf Rassendyll will host the summit.
"""


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "summit.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def run(runner, *args):
    return runner.invoke(cli, list(map(str, args)), catch_exceptions=False)


def test_run_writes_the_reports_and_exits_1_on_discrepancies(runner, sources, tmp_path):
    out = tmp_path / "out"
    result = run(runner, "run", sources, "--reference", MINI, "--out", out)
    assert result.exit_code == 1, result.output
    assert {p.name for p in out.iterdir()} >= {"findings.csv", "findings.jsonl", "report.html"}
    rows = list(csv.DictReader((out / "findings.csv").read_text(encoding="utf-8").splitlines()))
    verdicts = {row["claim"]: row["verdict"] for row in rows}
    assert verdicts["four members"] == "supported"
    assert verdicts["Prime Minister Rudolf Rassendyll"] == "outdated"
    assert rows[0]["article"] == "summit.txt" and rows[0]["published"] == "2024-06-01"
    assert "summit.txt" in result.stdout and "outdated" in result.stdout
    assert "1 article(s) checked, 0 skipped, 1 discrepancy(ies)." in result.stdout


def test_exit_zero_always_exits_0(runner, sources, tmp_path):
    result = run(
        runner, "run", sources, "--reference", MINI, "--out", tmp_path / "o", "--exit-zero"
    )
    assert result.exit_code == 0


def test_run_exits_0_when_everything_is_supported(runner, tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "a.md").write_text("---\ndate: 2024-06-01\n---\nThe Northern Pact has 4 members.\n")
    result = run(runner, "run", folder, "--reference", MINI, "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output


def test_a_bad_article_is_skipped_and_reported(runner, sources, tmp_path):
    (sources / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    result = run(
        runner, "run", sources, "--reference", MINI, "--out", tmp_path / "o", "--exit-zero"
    )
    assert result.exit_code == 0
    assert "1 article(s) checked, 1 skipped" in result.stdout
    assert "broken.txt" in result.stderr


def test_a_broken_reference_is_refused_with_its_location(runner, sources, tmp_path):
    reference = tmp_path / "ref"
    shutil.copytree(MINI, reference)
    facts = reference / "facts.csv"
    facts.write_text(facts.read_text().replace("1990-05-01,2005-01-01", "1990-13-01,2005-01-01", 1))
    out = tmp_path / "o"
    result = run(runner, "run", sources, "--reference", reference, "--out", out)
    assert result.exit_code == 2
    assert "facts.csv:2:5: valid_from 1990-13-01 is not a date" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_reference_validate(runner, tmp_path):
    ok = run(runner, "reference", "validate", MINI)
    assert ok.exit_code == 0 and "OK: 6 entities" in ok.stdout
    reference = tmp_path / "ref"
    shutil.copytree(MINI, reference)
    (reference / "attributes.csv").write_text("attribute,value_type\nsize,colour\n")
    bad = run(runner, "reference", "validate", reference)
    assert bad.exit_code == 2
    assert "attributes.csv:2:2:" in bad.stderr


def test_check_prints_findings_and_exits_by_verdict(runner):
    wrong = run(
        runner,
        "check",
        "The Northern Pact has 3 members.",
        "--date",
        "2024-06-01",
        "--reference",
        MINI,
    )
    assert wrong.exit_code == 1
    assert "[outdated] 3 members" in wrong.stdout
    right = run(
        runner,
        "check",
        "The Northern Pact has 4 members.",
        "--date",
        "2024-06-01",
        "--reference",
        MINI,
    )
    assert right.exit_code == 0 and "[supported]" in right.stdout


def test_check_as_json(runner):
    result = run(
        runner,
        "check",
        "The Northern Pact has 4 members.",
        "--date",
        "2024-06-01",
        "--reference",
        MINI,
        "--json",
    )
    record = json.loads(result.stdout.splitlines()[0])
    assert record["verdict"] == "supported" and record["fact_id"] == "np-count-2005"


def test_check_with_nothing_to_check(runner):
    result = run(runner, "check", "What a lovely day.", "--reference", MINI)
    assert result.exit_code == 0 and "No check-worthy claims found." in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--default-date", "2024-13-01"], "is not a date (YYYY-MM-DD)"),
        (["run", "no/such/folder"], "does not exist"),
        (["check", "x", "--date", "yesterday"], "is not a date (YYYY-MM-DD)"),
    ],
)
def test_usage_errors_exit_2_with_one_line(runner, args, message):
    result = run(runner, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_a_missing_model_is_one_line(runner, sources, tmp_path):
    result = run(
        runner,
        "run",
        sources,
        "--reference",
        MINI,
        "--out",
        tmp_path / "o",
        "--model",
        "no_such_model_xyz",
    )
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("factcheck: error: spaCy model 'no_such_model_xyz'")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["run"], ["check"], ["reference", "validate"]])
def test_help_teaches_with_an_example(runner, command):
    result = run(runner, *command, "--help")
    assert result.exit_code == 0
    assert "Example: factcheck" in result.output
