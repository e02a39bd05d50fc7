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
def runner(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default store, reports/factcheck.db, lands here
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
    assert "1 article(s): 1 new, 0 changed, 0 unchanged" in result.stdout
    assert "1 discrepancy(ies)." in result.stdout
    assert (tmp_path / "reports" / "factcheck.db").exists()


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
    assert "1 failed or skipped" in result.stdout
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
    assert not (tmp_path / "reports").exists()  # no store either: nothing is written


def test_reference_validate(runner, tmp_path):
    ok = run(runner, "reference", "validate", MINI)
    assert ok.exit_code == 0 and "OK: 9 entities" in ok.stdout
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


@pytest.mark.parametrize(
    "command",
    [
        ["run"],
        ["check"],
        ["reference"],
        ["reference", "validate"],
        ["evaluate"],
        ["flag"],
        ["flags"],
        ["flags", "import"],
        ["flags", "export"],
        ["report"],
        ["export"],
        ["export", "claimreview"],
    ],
)
def test_help_teaches_with_an_example(runner, command):
    result = run(runner, *command, "--help")
    assert result.exit_code == 0
    options_at = result.output.index("Options:")
    assert result.output.index("Example: factcheck") > options_at  # it ends the help


def findings_of(folder: Path) -> list[dict[str, str]]:
    return list(csv.DictReader((folder / "findings.csv").read_text(encoding="utf-8").splitlines()))


@pytest.fixture
def checked(runner, sources, tmp_path):
    """A store with the summit article checked, and its findings by claim."""
    result = run(runner, "run", sources, "--reference", MINI, "--out", tmp_path / "r1")
    assert result.exit_code == 1, result.output
    return {row["claim"]: row for row in findings_of(tmp_path / "r1")}


def test_a_second_run_says_what_it_skipped(runner, sources, checked, tmp_path):
    result = run(runner, "run", sources, "--reference", MINI, "--out", tmp_path / "r2")
    assert "1 article(s): 0 new, 0 changed, 1 unchanged, 0 re-checked" in result.stdout
    assert "0 parsed" in result.stdout


def test_flag_records_a_decision_that_the_next_report_shows(runner, sources, checked, tmp_path):
    finding = checked["Prime Minister Rudolf Rassendyll"]
    flagged = run(
        runner,
        "flag",
        finding["finding_id"],
        "--status",
        "dismissed",
        "--note",
        "=SUM(A1)",
        "--by",
        "ana",
    )
    assert flagged.exit_code == 0 and "1 finding(s) marked dismissed." in flagged.stdout
    again = run(runner, "run", sources, "--reference", MINI, "--out", tmp_path / "r2")
    assert again.exit_code == 0  # the only discrepancy was dismissed
    assert "0 discrepancy(ies) (1 more dismissed by editors)." in again.stdout
    row = {r["claim"]: r for r in findings_of(tmp_path / "r2")}["Prime Minister Rudolf Rassendyll"]
    assert (row["flag_status"], row["flag_note"], row["flag_by"]) == (
        "dismissed",
        "'=SUM(A1)",
        "ana",
    )
    listed = run(runner, "flags", "--status", "dismissed")
    assert finding["finding_id"] in listed.stdout and "=SUM(A1)" in listed.stdout


def test_flag_an_unknown_finding_is_one_line_and_exit_2(runner, checked):
    result = run(runner, "flag", "0000000000000000", "--status", "confirmed")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "factcheck: error: no finding '0000000000000000' in reports/factcheck.db"
    )


def test_flags_import_applies_an_edited_findings_csv(runner, checked, tmp_path):
    edited = tmp_path / "edited.csv"
    rows = findings_of(tmp_path / "r1")
    for row in rows:
        if row["claim"] == "Prime Minister Rudolf Rassendyll":
            row.update(flag_status="confirmed", flag_note="'-a correction is due", flag_by="bo")
    with edited.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = run(runner, "flags", "import", edited)
    assert result.exit_code == 0, result.output
    assert "1 decision(s) applied" in result.stdout
    again = run(runner, "flags", "import", edited)
    assert "0 decision(s) applied" in again.stdout
    exported = tmp_path / "decisions.csv"
    assert run(runner, "flags", "export", exported).exit_code == 0
    (decision,) = list(csv.DictReader(exported.read_text(encoding="utf-8").splitlines()))
    assert decision["flag_note"] == "'-a correction is due"  # neutralized in the file
    assert (decision["flag_status"], decision["flag_by"]) == ("confirmed", "bo")
    assert "0 decision(s) applied" in run(runner, "flags", "import", exported).stdout


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("nope,confirmed", "bad.csv:3: no finding 'nope' in the store"),
        ("{id},perhaps", "bad.csv:3: flag_status 'perhaps' is not one of"),
    ],
)
def test_flags_import_is_all_or_nothing(runner, checked, tmp_path, row, message):
    good = checked["four members"]["finding_id"]
    bad = tmp_path / "bad.csv"
    bad.write_text(f"finding_id,flag_status\n{good},confirmed\n{row.format(id=good)}\n")
    result = run(runner, "flags", "import", bad)
    assert result.exit_code == 2
    assert message in result.stderr and "nothing was applied" in result.stderr
    assert "No decisions." in run(runner, "flags").stdout


def test_flags_import_needs_the_columns(runner, checked, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,status\nx,confirmed\n")
    result = run(runner, "flags", "import", bad)
    assert result.exit_code == 2
    assert "bad.csv:1: missing column(s) finding_id, flag_status" in result.stderr


def test_report_over_the_store_filters(runner, checked, tmp_path):
    result = run(runner, "report", "--verdict", "outdated", "--out", tmp_path / "todo")
    assert result.exit_code == 0 and "1 finding(s)." in result.stdout
    assert {r["verdict"] for r in findings_of(tmp_path / "todo")} == {"outdated"}
    none = run(runner, "report", "--flag", "confirmed", "--out", tmp_path / "none")
    assert "0 finding(s)." in none.stdout


def test_export_claimreview_writes_confirmed_discrepancies(runner, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    record = {
        "id": "wire-1",
        "text": "Prime Minister Rudolf Rassendyll opened the session.",
        "published": "2024-06-01",
        "url": "https://news.example.org/wire-1",
        "title": "Session opens",
    }
    (folder / "wire.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    run(runner, "run", folder, "--reference", MINI, "--out", tmp_path / "r")
    finding_id = findings_of(tmp_path / "r")[0]["finding_id"]
    run(runner, "flag", finding_id, "--status", "confirmed", "--by", "ana")
    out = tmp_path / "reviews.jsonld"
    result = run(
        runner,
        "export",
        "claimreview",
        "--out",
        out,
        "--publisher",
        "Daily Check",
        "--publisher-url",
        "https://check.example.org",
    )
    assert result.exit_code == 0, result.output
    (review,) = json.loads(out.read_text(encoding="utf-8"))
    assert review["@type"] == "ClaimReview"
    assert review["reviewRating"]["alternateName"] == "Outdated"
    assert review["itemReviewed"]["appearance"][0]["url"] == "https://news.example.org/wire-1"
    assert review["author"]["name"] == "Daily Check"


def test_export_claimreview_needs_a_publisher(runner, checked, tmp_path):
    result = run(runner, "export", "claimreview", "--out", tmp_path / "x.jsonld")
    assert result.exit_code == 2
    assert "give --publisher NAME and --publisher-url URL, or --config FILE" in result.stderr


def test_a_busy_store_stops_a_second_run(runner, sources, checked, tmp_path):
    from pipeline.store import Store

    with Store.open(tmp_path / "reports" / "factcheck.db") as store, store.run_lock():
        result = run(runner, "run", sources, "--reference", MINI, "--out", tmp_path / "r2")
    assert result.exit_code == 2
    assert "another factcheck run is using this store" in result.stderr


def test_flags_subcommands_use_the_groups_store(runner, sources, tmp_path):
    db = tmp_path / "elsewhere" / "fc.db"
    run(runner, "run", sources, "--reference", MINI, "--out", tmp_path / "r", "--db", db)
    finding_id = findings_of(tmp_path / "r")[0]["finding_id"]
    run(runner, "flag", finding_id, "--status", "confirmed", "--db", db)
    result = run(runner, "flags", "--db", db, "export", tmp_path / "d.csv")
    assert result.exit_code == 0 and "1 decision(s) written" in result.stdout
    assert not (tmp_path / "reports" / "factcheck.db").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["flags"], "no store here yet; run `factcheck run` first"),
        (["report"], "no store here yet"),
    ],
)
def test_store_problems_are_one_line_and_exit_2(runner, args, message):
    result = run(runner, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_folder_given_as_the_store_is_a_usage_error(runner):
    result = run(runner, "flag", "x", "--status", "open", "--db", ".")
    assert result.exit_code == 2 and "is a directory" in result.stderr


def test_a_damaged_store_is_one_line(runner, tmp_path):
    db = tmp_path / "bad.db"
    db.write_bytes(b"this is not sqlite" * 200)
    result = run(runner, "flags", "--db", db)
    assert result.exit_code == 2
    assert "not a factcheck store (or a damaged one)" in result.stderr


def test_an_unwritable_report_folder_is_one_line(runner, sources, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run(runner, "run", sources, "--reference", MINI, "--out", blocker / "r")
    assert result.exit_code == 2
    assert "cannot create the report folder" in result.stderr
    assert "Traceback" not in result.output


def test_export_claimreview_checks_the_publisher(runner, checked, tmp_path):
    result = run(
        runner,
        "export",
        "claimreview",
        "--out",
        tmp_path / "x.jsonld",
        "--publisher",
        "Daily Check",
        "--publisher-url",
        "javascript:alert(1)",
    )
    assert result.exit_code == 2
    assert "url must be an http(s) URL" in result.stderr


def test_export_claimreview_with_status_open_takes_undecided_findings(runner, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "wire.jsonl").write_text(
        json.dumps(
            {
                "id": "w",
                "text": "Prime Minister Rudolf Rassendyll spoke.",
                "published": "2024-06-01",
                "url": "https://news.example.org/w",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    run(runner, "run", folder, "--reference", MINI, "--out", tmp_path / "r")
    out = tmp_path / "open.jsonld"
    result = run(
        runner,
        "export",
        "claimreview",
        "--out",
        out,
        "--status",
        "open",
        "--publisher",
        "Daily Check",
        "--publisher-url",
        "https://check.example.org",
    )
    assert result.exit_code == 0 and "1 ClaimReview(s)" in result.stdout


def test_strict_makes_a_skipped_input_fatal(runner, sources, tmp_path):
    (sources / "empty.txt").write_text("")
    result = run(runner, "run", sources, "--reference", MINI, "--out", tmp_path / "o", "--strict")
    assert result.exit_code == 2
    assert "1 input(s) skipped, and --strict was given" in result.stderr
    assert (tmp_path / "o" / "report.html").exists()  # the report is still written


def test_evaluate_can_show_calibration(runner, tmp_path):
    expected = tmp_path / "expected.csv"
    expected.write_text(
        "article,quote,value,expected,required,note\na.txt,has 3 members,3,outdated,yes,\n",
        encoding="utf-8",
    )
    findings = tmp_path / "findings.csv"
    findings.write_text(
        "article,sentence,claimed_value,verdict,confidence\n"
        "a.txt,The pact has 3 members.,3,outdated,0.95\n",
        encoding="utf-8",
    )
    result = run(runner, "evaluate", expected, findings, "--calibration")
    assert result.exit_code == 0, result.output
    assert "confidence 0.9-1.0: 1 verdict(s), 1 right (100%)" in result.output


@pytest.mark.parametrize(
    "sentence",
    [
        "Japan could join NATO if it amended its constitution.",
        "NATO may invite any state in the world to join.",
    ],
)
def test_check_cites_the_membership_rule(runner, sentence):
    """The bundled reference's rule: Article 10 of the North Atlantic Treaty."""
    claims = Path(__file__).resolve().parent.parent / "claims"
    result = run(runner, "check", sentence, "--date", "2024-04-29", "--reference", claims)
    assert result.exit_code == 1
    assert "[contradicted]" in result.stdout and "Article 10" in result.stdout
