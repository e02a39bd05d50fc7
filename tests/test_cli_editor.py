"""The command line an editor expects: progress, Ctrl-C, empty and foreign inputs, its own
output left unread, the bundled reference, `show`, `--json`, factcheck.toml, article URLs,
authors and publishers, and the ClaimReview fields that carry them."""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import pty
import re
import signal
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import make_finding

from pipeline.claimreview import CLAIM_REVIEWED_LIMIT, Publisher, claim_reviewed, claim_reviews
from pipeline.cli import cli
from pipeline.config import BUNDLED_REFERENCE, find_reference, tomllib
from pipeline.errors import UsageError
from pipeline.ingest import find_text_fields, iter_articles
from pipeline.models import Article
from pipeline.store import Store

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "data" / "mini_reference"
SUPPORTED = "supported: .txt, .md, .markdown, .html, .htm, .jsonl, .csv"

ARTICLE = """Published: June 1, 2024
URL: https://gazette.example.org/pact-summit
Author: Flavia Elphberg
Publisher: Ruritania Gazette

The Northern Pact, which now has four members, meets this week in Strel.
Prime Minister Rudolf Rassendyll will host the summit.
"""
SUPPORTED_ONLY = """Published: June 1, 2024

The Northern Pact has 4 members.
"""
PUBLISHER_OPTIONS = ("--publisher", "Freedonia Checks", "--publisher-url", "https://fc.example.org")


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # factcheck.toml, claims/ and the default store are looked for here
    return CliRunner()


def invoke(runner: CliRunner, *args: object):
    return runner.invoke(cli, [str(arg) for arg in args], catch_exceptions=False)


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def findings_of(folder: Path) -> list[dict[str, str]]:
    text = (folder / "findings.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("factcheck: error:")]


@pytest.fixture
def checked(runner, tmp_path):
    """A store with the summit article checked into reports/, and its findings by claim."""
    write(tmp_path, "sources/summit.txt", ARTICLE)
    result = invoke(runner, "run", "sources", "--reference", MINI)
    assert result.exit_code == 1, result.output
    return {row["claim"]: row for row in findings_of(tmp_path / "reports")}


# -- 1. progress ---------------------------------------------------------------------------


def test_progress_when_asked_off_a_terminal_prints_lines_with_the_total_and_time_left(
    runner, tmp_path
):
    write(tmp_path, "s/a.txt", SUPPORTED_ONLY)
    write(tmp_path, "s/b.txt", SUPPORTED_ONLY.replace("4 members", "four members"))
    result = invoke(runner, "run", "s", "--reference", MINI, "--progress")
    assert result.exit_code == 0, result.output
    assert re.search(r"factcheck: 1 of 2 inputs \(50%\), about \d+ s left", result.stderr)
    assert re.search(r"factcheck: 2 of 2 inputs done in \d+ s", result.stderr)


def test_a_terminal_shows_a_progress_bar_with_the_total(tmp_path):
    write(tmp_path, "s/a.txt", SUPPORTED_ONLY)
    write(tmp_path, "s/b.txt", SUPPORTED_ONLY)
    main, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", "s", "--reference", str(MINI)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closed: the run is over
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert process.wait(timeout=120) == 0
    assert b"Checking articles" in shown and b"2/2" in shown


def test_no_progress_is_printed_off_a_terminal_unless_asked(runner, tmp_path):
    write(tmp_path, "s/a.txt", SUPPORTED_ONLY)
    result = invoke(runner, "run", "s", "--reference", MINI)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


# -- 2. Ctrl-C -----------------------------------------------------------------------------


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_exits_130_and_says_what_was_checked_and_stored(tmp_path, workers):
    for number in range(400):
        write(tmp_path, f"s/{number:03}.txt", SUPPORTED_ONLY + f"\nStory {number}.\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            "s",
            "--reference",
            str(MINI),
            "--progress",
            "--workers",
            workers,
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # Python turns SIGINT into KeyboardInterrupt only when it starts with the default action.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stderr is not None
    for line in process.stderr:  # the first progress line: the first article is read
        if line.startswith("factcheck: 1 of 400 inputs"):
            break
    process.send_signal(signal.SIGINT)
    rest = process.communicate(timeout=120)[1]
    assert process.returncode == 130, rest
    match = re.search(
        r"^factcheck: interrupted: (\d+) article\(s\) checked and stored \((\d+) of 400 inputs "
        r"done; no report written\); run again to go on$",
        rest,
        re.MULTILINE,
    )
    assert match, rest
    stored = int(match.group(1))
    # In one process the first article is stored by then; workers may still be reading it.
    assert (1 if workers == "1" else 0) <= stored < 400 and int(match.group(2)) == stored
    assert "Traceback" not in rest
    with Store.open(tmp_path / "reports" / "factcheck.db", create=False) as store:
        (run,) = store.runs()
        assert (run.status, run.new) == ("aborted", stored)


# -- 3. no articles ------------------------------------------------------------------------


def test_an_empty_folder_is_exit_2_with_one_clear_line(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    result = invoke(runner, "run", "empty", "--reference", MINI)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "factcheck: error: no article to check in empty: no .txt, .md, .markdown, .html, .htm, "
        ".jsonl or .csv file found"
    ]
    assert not (tmp_path / "reports").exists()  # no store, no run, no report


def test_a_folder_without_a_readable_article_lists_what_it_skipped_and_exits_2(runner, tmp_path):
    write(tmp_path, "drafts/memo.docx", b"PK\x03\x04")
    write(tmp_path, "drafts/blank.txt", "")
    result = invoke(runner, "run", "drafts", "--reference", MINI)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "skipped: drafts/blank.txt: empty file",
        f"skipped: drafts/memo.docx: not a supported type: .docx; {SUPPORTED}",
        "factcheck: error: no readable article in drafts: 2 input(s) skipped (listed above)",
    ]
    assert not (tmp_path / "reports").exists()


# -- 4. files of other types ---------------------------------------------------------------


@pytest.mark.parametrize(("name", "shown"), [("memo.docx", ".docx"), ("scan.pdf", ".pdf")])
def test_a_file_of_another_type_is_listed_as_skipped(runner, tmp_path, name, shown):
    write(tmp_path, "s/a.txt", SUPPORTED_ONLY)
    write(tmp_path, f"s/{name}", b"\x00binary")
    result = invoke(runner, "run", "s", "--reference", MINI, "--exit-zero")
    assert result.exit_code == 0
    assert f"skipped: s/{name}: not a supported type: {shown}; {SUPPORTED}" in result.stderr
    assert "1 failed or skipped" in result.stdout


def test_iter_articles_lists_a_file_without_an_extension(tmp_path):
    write(tmp_path, "NOTES", "not an article")
    (skipped,) = iter_articles([tmp_path])
    assert skipped.reason == f"not a supported type: (no extension); {SUPPORTED}"


# -- 5. its own output ---------------------------------------------------------------------


def test_run_dot_never_reads_its_own_reports_or_store(runner, tmp_path):
    write(tmp_path, "summit.txt", SUPPORTED_ONLY)
    write(tmp_path, ".factcheck-staging-0a1b/findings.jsonl", '{"id": "x", "text": "y"}\n')
    first = invoke(runner, "run", ".", "--reference", MINI)
    assert first.exit_code == 0, first.output
    second = invoke(runner, "run", ".", "--reference", MINI, "--json")
    assert second.exit_code == 0, second.output
    summary = json.loads(second.stdout)
    assert (summary["articles"], summary["unchanged"]) == (1, 1)
    assert summary["skipped"] == [
        {"source": "reports", "reason": "factcheck's own report folder (--out); not read"}
    ]
    assert second.stderr.count("skipped:") == 1


def test_a_report_folder_that_holds_the_sources_skips_only_the_report_files(runner, tmp_path):
    write(tmp_path, "summit.txt", SUPPORTED_ONLY)
    options = ("--reference", MINI, "--out", ".", "--db", "fc.db", "--json")
    assert invoke(runner, "run", ".", *options).exit_code == 0
    again = invoke(runner, "run", ".", *options)
    summary = json.loads(again.stdout)
    assert summary["articles"] == 1
    assert {item["source"] for item in summary["skipped"]} == {
        "findings.csv",
        "findings.jsonl",
        "report.html",
    }
    assert {item["reason"] for item in summary["skipped"]} == {
        "factcheck's own report (--out); not read"
    }


# -- 6. the bundled reference --------------------------------------------------------------


def test_the_bundled_reference_is_claims_byte_for_byte():
    curated = {path.name: path.read_bytes() for path in (ROOT / "claims").iterdir()}
    bundled = {path.name: path.read_bytes() for path in BUNDLED_REFERENCE.iterdir()}
    assert bundled == curated, "run: cp claims/*.csv pipeline/data/claims/"


def test_the_bundled_reference_is_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["pipeline"]
    package = ROOT / "pipeline"
    for path in BUNDLED_REFERENCE.iterdir():
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch(relative, pattern) for pattern in patterns), relative


def test_without_a_claims_folder_the_bundled_reference_is_used(runner):
    result = invoke(runner, "reference", "validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{BUNDLED_REFERENCE}: OK:")
    assert "using the bundled reference" in result.stderr


def test_no_reference_found_names_the_folders_tried(tmp_path):
    with pytest.raises(UsageError) as raised:
        find_reference(here=tmp_path / "claims", bundled=tmp_path / "gone")
    assert str(raised.value) == (
        f"no reference found: tried {(tmp_path / 'claims').as_posix()}/ (in the current folder) "
        f"and the bundled reference ({tmp_path / 'gone'}); give --reference FOLDER"
    )


# -- 7. show -------------------------------------------------------------------------------


def test_show_prints_a_finding_with_its_decision_history(runner, checked):
    finding_id = checked["Prime Minister Rudolf Rassendyll"]["finding_id"]
    invoke(runner, "flag", finding_id, "--status", "disputed", "--by", "bo")
    invoke(runner, "flag", finding_id, "--status", "confirmed", "--note", "gazette", "--by", "ana")
    result = invoke(runner, "show", finding_id)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    fields = {line[:12].strip(): line[13:] for line in lines if not line.startswith(" ")}
    assert fields["finding"] == f"{finding_id} (current)"
    assert fields["verdict"].startswith("outdated (confidence ")
    assert fields["claim"] == "Prime Minister Rudolf Rassendyll"
    assert fields["sentence"] == "Prime Minister Rudolf Rassendyll will host the summit."
    assert fields["reference"] == "Flavia Elphberg"
    assert "Flavia Elphberg" in fields["explanation"]
    assert fields["source"].startswith("https://") and "(fact " in fields["source"]
    assert fields["article"] == "summit.txt, published 2024-06-01 (read from sources/summit.txt)"
    assert fields["url"] == "https://gazette.example.org/pact-summit"
    assert fields["publisher"] == "Ruritania Gazette"
    assert fields["run"].startswith("1 (finished, ")
    history = [line.split() for line in lines[lines.index("decisions") + 1 :]]
    assert [row[1:] for row in history] == [["disputed", "bo"], ["confirmed", "ana:", "gazette"]]


def test_show_an_unknown_finding_is_one_line_and_exit_2(runner, checked):
    result = invoke(runner, "show", "0000000000000000")
    assert result.exit_code == 2
    assert result.stderr == (
        "factcheck: error: no finding '0000000000000000' in reports/factcheck.db\n"
    )


# -- 8. --json -----------------------------------------------------------------------------


def test_run_json_prints_one_summary_object(runner, tmp_path):
    write(tmp_path, "s/summit.txt", ARTICLE)
    write(tmp_path, "s/memo.docx", b"PK")
    result = invoke(runner, "run", "s", "--reference", MINI, "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)  # the whole of stdout is one object
    assert summary == {
        "run": 1,
        "articles": 1,
        "new": 1,
        "changed": 0,
        "unchanged": 0,
        "rechecked": 0,
        "parsed": 1,
        "workers": 1,
        "verdicts": {"contradicted": 0, "outdated": 1, "unverified": 0, "supported": 1},
        "discrepancies": 1,
        "dismissed": 0,
        "skipped": [
            {"source": "s/memo.docx", "reason": f"not a supported type: .docx; {SUPPORTED}"}
        ],
        "reports": {
            "html": "reports/report.html",
            "csv": "reports/findings.csv",
            "jsonl": "reports/findings.jsonl",
            "parquet": None,
        },
    }


def test_flags_json_does_not_go_with_a_subcommand(runner, checked):
    result = invoke(runner, "flags", "--json", "export", "d.csv")
    assert result.exit_code == 2
    assert "--json lists decisions; it does not go with a subcommand" in result.stderr


def test_flags_json_prints_one_object_per_decision(runner, checked):
    outdated = checked["Prime Minister Rudolf Rassendyll"]["finding_id"]
    supported = checked["four members"]["finding_id"]
    invoke(runner, "flag", outdated, "--status", "confirmed", "--note", "gazette", "--by", "ana")
    invoke(runner, "flag", supported, "--status", "dismissed")
    result = invoke(runner, "flags", "--json")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [record["finding_id"] for record in records] == [outdated, supported]
    first = records[0]
    assert set(first) == {"finding_id", "status", "note", "by", "at"} | {
        "article",
        "claim",
        "verdict",
    }
    assert (first["status"], first["note"], first["by"]) == ("confirmed", "gazette", "ana")
    assert (first["article"], first["verdict"]) == ("summit.txt", "outdated")


# -- 9. factcheck.toml ---------------------------------------------------------------------


def test_factcheck_toml_sets_the_defaults(runner, tmp_path):
    write(tmp_path, "s/a.txt", SUPPORTED_ONLY)
    write(tmp_path, "factcheck.toml", f'db = "store/fc.db"\nout = "out"\nreference = "{MINI}"\n')
    result = invoke(runner, "run", "s")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "store" / "fc.db").is_file() and (tmp_path / "out" / "report.html").is_file()
    assert not (tmp_path / "reports").exists()
    assert "No decisions." in invoke(runner, "flags").stdout  # the configured store


def test_command_line_options_override_factcheck_toml(runner, tmp_path):
    write(tmp_path, "s/a.txt", SUPPORTED_ONLY)
    write(tmp_path, "factcheck.toml", 'db = "store/fc.db"\nout = "out"\nreference = "nowhere"\n')
    result = invoke(runner, "run", "s", "--reference", MINI, "--out", "mine")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mine" / "report.html").is_file() and not (tmp_path / "out").exists()
    assert (tmp_path / "store" / "fc.db").is_file()  # not overridden: from the file


def test_pyproject_tool_factcheck_is_read_without_factcheck_toml(runner, tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\nname = "desk"\n\n[tool.factcheck]\ndb = "p.db"\n')
    result = invoke(runner, "flags")
    assert result.exit_code == 2
    assert error_lines(result.stderr) == [
        "factcheck: error: p.db: no store here yet; run `factcheck run` first"
    ]
    write(tmp_path, "factcheck.toml", 'db = "own.db"\n')
    assert "own.db: no store here yet" in invoke(runner, "flags").stderr  # factcheck.toml wins


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "factcheck.toml",
            'db = "fc.db"\nout = \n',
            "factcheck.toml:2:7: not valid TOML: Invalid value",
        ),
        (
            "factcheck.toml",
            'out = "o"\ndb = 3\n',
            "factcheck.toml:2: db must be a non-empty string",
        ),
        (
            "factcheck.toml",
            'dbx = "fc.db"\n',
            "factcheck.toml:1: dbx is not a setting (use db, reference, out, publisher, "
            "publisher_url)",
        ),
        (
            "pyproject.toml",
            '[tool.factcheck]\ndb = "a"\nthis is not toml\n',
            "pyproject.toml:3:6: not valid TOML: Expected '=' after a key in a key/value pair",
        ),
        (
            "pyproject.toml",
            '[tool.factcheck]\nout = ["a"]\n',
            "pyproject.toml:2: tool.factcheck.out must be a non-empty string",
        ),
        (
            "pyproject.toml",
            "[tool]\nfactcheck = 3\n",
            "pyproject.toml: tool.factcheck must be a table ([tool.factcheck])",
        ),
        (
            "factcheck.toml",
            '[publisher]\nname = "Desk"\nweb = "https://a.example.org"\n',
            "factcheck.toml:1: publisher.web is not a key (use name, url, logo)",
        ),
        (
            "factcheck.toml",
            '[publisher]\nname = ""\n',
            "factcheck.toml:1: publisher.name must be a non-empty string",
        ),
        ("factcheck.toml", b'db = "\xff"\n', "factcheck.toml: cannot read: not UTF-8 text"),
    ],
)
def test_a_malformed_config_is_one_line_with_file_and_line(runner, tmp_path, name, text, message):
    write(tmp_path, name, text)
    result = invoke(runner, "flags")
    assert result.exit_code == 2
    assert result.stderr == f"factcheck: error: {message}\n"


def test_a_broken_pyproject_is_refused_only_when_it_has_our_table(runner, tmp_path):
    write(tmp_path, "pyproject.toml", "[project\n")
    assert "reports/factcheck.db: no store here yet" in invoke(runner, "flags").stderr
    write(tmp_path, "pyproject.toml", "[project\n[tool.factcheck]\n")
    result = invoke(runner, "flags")
    assert result.stderr.startswith("factcheck: error: pyproject.toml:1:9: not valid TOML:")


@pytest.mark.parametrize(
    "config",
    [
        'publisher = "Freedonia Checks"\npublisher_url = "https://fc.example.org"\n',
        '[publisher]\nname = "Freedonia Checks"\nurl = "https://fc.example.org"\n'
        'logo = "https://fc.example.org/logo.png"\n',
    ],
    ids=["keys", "table"],
)
def test_factcheck_toml_gives_export_claimreview_its_publisher(runner, checked, tmp_path, config):
    outdated = checked["Prime Minister Rudolf Rassendyll"]["finding_id"]
    invoke(runner, "flag", outdated, "--status", "confirmed")
    write(tmp_path, "factcheck.toml", config)
    result = invoke(runner, "export", "claimreview", "--out", "r.jsonld")
    assert result.exit_code == 0, result.output
    (review,) = json.loads((tmp_path / "r.jsonld").read_text(encoding="utf-8"))
    assert review["author"]["name"] == "Freedonia Checks"
    assert review["url"].startswith("https://fc.example.org#")


def test_a_bad_publisher_url_in_factcheck_toml_names_the_file(runner, tmp_path):
    write(tmp_path, "factcheck.toml", 'publisher = "Desk"\npublisher_url = "ftp://a.example.org"\n')
    result = invoke(runner, "export", "claimreview", "--out", "r.jsonld")
    assert result.exit_code == 2
    assert result.stderr == (
        "factcheck: error: factcheck.toml: publisher.url must be an http(s) URL, not "
        "'ftp://a.example.org'\n"
    )


# -- 10. article URLs, authors and publishers -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            ARTICLE,
            {
                "url": "https://gazette.example.org/pact-summit",
                "author": "Flavia Elphberg",
                "publisher": "Ruritania Gazette",
            },
        ),
        (
            "Canonical URL: <https://a.example.org/x>\nByline: Rudolf Rassendyll\n",
            {
                "url": "https://a.example.org/x",
                "author": "Rudolf Rassendyll",
            },
        ),
        ("URL: ftp://a.example.org/x\nURL: see below\n", {}),
        ("\n".join(["Line."] * 15) + "\nURL: https://late.example.org\n", {}),
    ],
    ids=["labelled", "other-labels", "not-web-urls", "too-far-down"],
)
def test_labelled_lines_near_the_top_give_url_author_and_publisher(text, expected):
    assert find_text_fields(text) == expected


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("story.txt", ARTICLE),
        (
            "story.md",
            "---\ntitle: Pact summit\nurl: https://gazette.example.org/pact-summit\n"
            "author: Flavia Elphberg\npublisher: Ruritania Gazette\ndate: 2024-06-01\n---\n\n"
            "The Northern Pact has 4 members.\n",
        ),
        (
            "story.html",
            "<html><head><title>Pact summit</title>"
            '<meta name="author" content="Flavia Elphberg">'
            '<meta property="og:site_name" content="Ruritania Gazette">'
            '<link rel="canonical" href="https://gazette.example.org/pact-summit"></head>'
            "<body><article><p>The Northern Pact, which now has four members, meets this week in "
            "Strel. Leaders of every member state are expected at the meeting.</p></article>"
            "</body></html>",
        ),
        (
            "batch.jsonl",
            json.dumps(
                {
                    "id": "story",
                    "text": "The Northern Pact has 4 members.",
                    "url": "https://gazette.example.org/pact-summit",
                    "author": "Flavia Elphberg",
                    "publisher": "Ruritania Gazette",
                }
            ),
        ),
    ],
    ids=["text", "front-matter", "html-metadata", "batch-record"],
)
def test_articles_carry_their_url_author_and_publisher(tmp_path, name, text):
    (article,) = iter_articles([write(tmp_path, name, text)])
    assert isinstance(article, Article)
    assert (article.url, article.author, article.publisher) == (
        "https://gazette.example.org/pact-summit",
        "Flavia Elphberg",
        "Ruritania Gazette",
    )


def test_a_text_articles_url_line_takes_its_confirmed_finding_to_claimreview(
    runner, checked, tmp_path
):
    outdated = checked["Prime Minister Rudolf Rassendyll"]["finding_id"]
    invoke(runner, "flag", outdated, "--status", "confirmed")
    result = invoke(runner, "export", "claimreview", "--out", "r.jsonld", *PUBLISHER_OPTIONS)
    assert result.exit_code == 0, result.output
    assert "1 ClaimReview(s) written" in result.stdout
    (review,) = json.loads((tmp_path / "r.jsonld").read_text(encoding="utf-8"))
    item = review["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "Ruritania Gazette"}
    assert item["firstAppearance"] == {
        "@type": "CreativeWork",
        "url": "https://gazette.example.org/pact-summit",
        "datePublished": "2024-06-01",
    }
    assert review["claimReviewed"] == "Prime Minister Rudolf Rassendyll will host the summit."


# -- 11. ClaimReview -----------------------------------------------------------------------

PUBLISHER = Publisher(name="Freedonia Checks", url="https://fc.example.org/checks")
LONG = (
    "Speaking in Strel on Tuesday, the foreign minister of Freedonia told reporters that the "
    "Northern Pact has 3 members and that no other state had applied to join it this year."
)


def review_of(**changes: object) -> dict:
    finding = make_finding(flag_status="confirmed", **changes)
    (review,) = claim_reviews([finding], publisher=PUBLISHER)
    return review


@pytest.mark.parametrize(
    ("changes", "author"),
    [
        (
            {"publisher": "Ruritania Gazette", "author": "Flavia Elphberg"},
            {"@type": "Organization", "name": "Ruritania Gazette"},
        ),
        ({"author": "Flavia  Elphberg"}, {"@type": "Person", "name": "Flavia Elphberg"}),
    ],
    ids=["publisher", "author-only"],
)
def test_item_reviewed_author_is_the_articles_publisher_else_its_author(changes, author):
    assert review_of(**changes)["itemReviewed"]["author"] == author


def test_item_reviewed_first_appearance_is_the_article_with_its_date():
    item = review_of()["itemReviewed"]
    assert item["firstAppearance"] == {
        "@type": "CreativeWork",
        "url": "https://news.example/bridges",
        "headline": "Bridges of Exampletown",
        "datePublished": "2024-03-01",
    }
    assert item["appearance"] == [item["firstAppearance"]]
    assert list(item) == ["@type", "firstAppearance", "appearance", "datePublished"]


def test_claim_reviewed_of_a_long_sentence_is_the_claims_words_under_75_characters():
    text = review_of(sentence=LONG, claim="3 members")["claimReviewed"]
    assert len(text) < CLAIM_REVIEWED_LIMIT
    assert text.startswith("…") and text.endswith("…")
    assert "Northern Pact has 3 members" in text
    assert f" {text.strip('…')} " in f" {LONG} "  # whole words of the sentence


@pytest.mark.parametrize(
    ("sentence", "start", "end", "expected"),
    [
        ("One two three.", 4, 7, "One two three."),
        ("a " * 40 + "end.", 0, 1, "a " * 36 + "a…"),
        ("x" * 90, 0, 90, "x" * 73 + "…"),
        ("word " * 30, 500, 600, "word " * 13 + "word…"),
    ],
    ids=["short", "claim-at-the-start", "one-long-word", "offsets-out-of-range"],
)
def test_claim_reviewed_cuts_at_word_boundaries(sentence, start, end, expected):
    text = claim_reviewed(sentence, start, end)
    assert text == expected and len(text) < CLAIM_REVIEWED_LIMIT


def test_a_stored_article_keeps_its_author_and_publisher(tmp_path):
    finding = make_finding()
    article = Article(
        id="a1",
        text=finding.sentence,
        author="Flavia Elphberg",
        publisher="Ruritania Gazette",
        url=finding.url,
    )
    with Store.open(tmp_path / "fc.db") as store:
        run_id = store.start_run(reference_digest="d", model="m", sources=[])
        store.save_checked(
            article, key="k", run_id=run_id, reference_digest="d", findings=[finding], claims=[]
        )
        (stored,) = store.findings()
        assert (stored.author, stored.publisher) == ("Flavia Elphberg", "Ruritania Gazette")
        moved = dataclasses.replace(article, publisher="Freedonia Post")
        store.touch(moved, run_id)
        assert store.findings()[0].publisher == "Freedonia Post"


def _batch(folder: Path, articles: int) -> Path:
    folder.mkdir(exist_ok=True)
    rows = [
        {
            "id": f"a{n:03}",
            "published": "2024-06-01",
            "text": f"The Northern Pact has 4 members. {n}",
        }
        for n in range(articles)
    ]
    return write(folder, "batch.jsonl", "".join(json.dumps(row) + "\n" for row in rows))


@pytest.mark.parametrize(("articles", "workers"), [(5, 1), (16, 2)])
def test_workers_default_to_one_per_core_for_a_batch_large_enough(
    runner, tmp_path, monkeypatch, articles, workers
):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    batch = _batch(tmp_path / "in", articles)
    result = invoke(
        runner,
        "run",
        batch,
        "--reference",
        MINI,
        "--out",
        tmp_path / "out",
        "--db",
        tmp_path / "s.db",
        "--exit-zero",
        "--json",
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.splitlines()[-1])
    assert (summary["articles"], summary["workers"]) == (articles, workers)


@pytest.mark.parametrize("given", ["0", "two", "-3"])
def test_a_bad_number_of_workers_is_one_clear_line(runner, tmp_path, given):
    result = invoke(
        runner, "run", _batch(tmp_path / "in", 2), "--reference", MINI, "--workers", given
    )
    assert result.exit_code == 2
    assert f"'{given}' is not a number of workers (1 or more) or auto" in result.output
    assert "Traceback" not in result.output
