"""Bad articles never stop a batch: each bad input, generated here next to good articles, is
read with a decoding fallback or skipped with a clear reason, in the run and in the report."""

from __future__ import annotations

import codecs
import csv
import json
import os
import resource
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.ingest import iter_articles
from pipeline.models import Article, Skipped
from pipeline.runner import RunResult, run

MINI = Path(__file__).parent / "data" / "mini_reference"
AS_OF = date(2024, 6, 1)
MAX_BYTES = 5_000_000  # the default of --max-bytes

GOOD = """Published: June 1, 2024

Northern Pact leaders gather in Strel

The Northern Pact, which now has four members, meets this week in Strel.
Prime Minister Rudolf Rassendyll will host the summit.
"""
DATELINE = "Published: June 1, 2024\n\n"
LATIN_1 = (
    DATELINE + "At the caf\u00e9 in Strel, Ruritania's Prime Minister Flavia Elphberg spoke.\n"
)
UTF_16 = (
    "Published: June 1, 2024\n\nThe Northern Pact was founded in 1990, the Minist\u00e8re said.\n"
)
BAD_UTF_8 = (  # UTF-8 with one stray byte in it
    b"Published: June 1, 2024\n\nThe Northern Pact has three members \x81, "
    b"the caf\xc3\xa9 owner said na\xc3\xafvely.\n"
)
FILLER = "the weather was mild and the markets were calm "
LONG_LINE_BYTES = 2_000_000
LONG_LINE_CLAIM = "The Northern Pact has four members."
NESTING = 10_000
SCRIPT_MARK = "scriptpayloadmarker"
STYLE_MARK = "stylepayloadmarker"
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<html><body><p>&lol9;</p></body></html>
"""
JSONL = [
    json.dumps(
        {
            "id": "record-good",
            "text": "The Northern Pact has four members.",
            "published": "2024-06-01",
        }
    ),
    '{"id": "record-broken", "text": "The Northern Pact has',
    json.dumps({"id": "record-no-text", "title": "Only a title"}),
    json.dumps({"id": "record-last", "text": "The Northern Pact was founded in 1990."}),
]


def nested_page() -> str:
    """A page with NESTING nested tags, scripts and styles around one claim."""
    return (
        "<html><head><title>Deep</title>"
        f"<style>body {{ color: red }} /* {STYLE_MARK} */</style>"
        f"<script>var x = '{SCRIPT_MARK}';</script></head><body>"
        + "<div><span>" * (NESTING // 2)
        + "<p>Deep inside the page, a paragraph of ordinary prose begins.</p>"
        + "</span></div>" * (NESTING // 2)
        + f"<script>document.title = '{SCRIPT_MARK}';</script>"
        "<article><p>The harbour board met on Tuesday to review the timetable for the season.</p>"
        "<p>The Northern Pact, which now has four members, met this week in Strel.</p>"
        "<p>Most of them asked for earlier sailings on weekdays and a later boat on Fridays.</p>"
        f"<style>p {{ margin: 0 }} /* {STYLE_MARK} */</style></article></body></html>"
    )


def long_line() -> str:
    """About 2 MB of one line with no sentence break, and one claim at its end."""
    return FILLER * (LONG_LINE_BYTES // len(FILLER)) + "and then. " + LONG_LINE_CLAIM + "\n"


# Each bad input that is skipped: where it is reported (relative to the batch folder), and a
# word its reason must contain.
BAD = {
    "empty file": ("empty.txt", "empty"),
    "binary bytes named .txt": ("binary.txt", "binary"),
    "50 MB file": ("huge.txt", "larger than max bytes"),
    "entity-expansion bomb": ("bomb.html", "entity-expansion bomb"),
    "broken JSONL line": ("batch.jsonl:2", "not valid JSON"),
    "JSONL record without text": ("batch.jsonl:3", "no text or html"),
    "CSV without an id column": ("no_id.csv", "no id column"),
    "symlink to itself": ("loop.txt", "symbolic link loop"),
}


@dataclass(frozen=True, slots=True)
class Batch:
    """A folder of good and bad inputs, and where each one is."""

    folder: Path
    skipped: dict[str, str]  # source as reported -> a word its reason must contain


def make_batch(folder: Path) -> Batch:
    """Write every bad input of the issue next to good articles into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "latin1.txt").write_bytes(LATIN_1.encode("latin-1"))
    (folder / "utf16.txt").write_bytes(UTF_16.encode("utf-16"))
    (folder / "bad_utf8.txt").write_bytes(BAD_UTF_8)
    with (folder / "huge.txt").open("wb") as stream:  # sparse: 50 MB that cost nothing
        stream.truncate(50_000_000)
    (folder / "long_line.txt").write_text(long_line(), encoding="utf-8")
    (folder / "nested.html").write_text(nested_page(), encoding="utf-8")
    (folder / "bomb.html").write_text(BOMB, encoding="utf-8")
    (folder / "batch.jsonl").write_text("\n".join(JSONL) + "\n", encoding="utf-8")
    (folder / "no_id.csv").write_text(
        "title,text\nA title,The Northern Pact has four members.\n", encoding="utf-8"
    )
    (folder / "loop.txt").symlink_to("loop.txt")  # a symlink to itself
    (folder / "sub").mkdir()
    (folder / "sub" / "inner.txt").write_text(GOOD, encoding="utf-8")
    (folder / "sub" / "back").symlink_to("..", target_is_directory=True)  # a folder cycle
    base = folder.as_posix()
    return Batch(folder=folder, skipped={f"{base}/{name}": word for name, word in BAD.values()})


@dataclass(frozen=True, slots=True)
class Outcome:
    """One run over the batch: its result, findings by article, report rows and cost."""

    batch: Batch
    result: RunResult
    findings: dict[str, dict[str, str]]  # article -> claim -> verdict
    report_skipped: dict[str, str]  # source -> reason, from report.html
    seconds: float
    rss_growth_mb: float


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """The batch, run once through pipeline.runner.run."""
    root = tmp_path_factory.mktemp("hardening")
    batch = make_batch(root / "batch")
    out = root / "out"
    rss = _peak_rss_mb()
    started = time.monotonic()
    result = run(
        [batch.folder],
        reference_dir=MINI,
        out_dir=out,
        default_date=AS_OF,
        db=root / "fc.db",
    )
    seconds = time.monotonic() - started
    findings: dict[str, dict[str, str]] = {}
    with (out / "findings.csv").open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            findings.setdefault(row["article"], {})[row["claim"]] = row["verdict"]
    page = lxml.html.parse(str(out / "report.html")).getroot()
    rows = page.xpath('//section[@id="skipped"]//table[@class="skipped"]/tbody/tr')
    report_skipped = {
        row.xpath('td[@class="source"]')[0].text_content(): row.xpath('td[@class="reason"]')[
            0
        ].text_content()
        for row in rows
    }
    return Outcome(batch, result, findings, report_skipped, seconds, _peak_rss_mb() - rss)


# -- the run ------------------------------------------------------------------------------


def test_the_run_completes_quickly_and_in_bounded_memory(outcome: Outcome) -> None:
    assert outcome.seconds < 30
    assert outcome.rss_growth_mb < 500  # an expanded entity bomb would take gigabytes


@pytest.mark.parametrize(
    ("article", "claim", "verdict"),
    [
        ("good.txt", "four members", "supported"),
        ("good.txt", "Prime Minister Rudolf Rassendyll", "outdated"),
        ("sub/inner.txt", "four members", "supported"),
        ("record-good", "four members", "supported"),
        ("record-last", "founded in 1990", "supported"),
    ],
)
def test_good_articles_give_their_findings(
    outcome: Outcome, article: str, claim: str, verdict: str
) -> None:
    assert outcome.findings[article][claim] == verdict


@pytest.mark.parametrize(
    ("article", "claim", "verdict"),
    [
        ("latin1.txt", "Prime Minister Flavia Elphberg", "supported"),
        ("utf16.txt", "founded in 1990", "supported"),
        ("bad_utf8.txt", "three members", "outdated"),
    ],
)
def test_text_in_another_encoding_is_read_not_skipped(
    outcome: Outcome, article: str, claim: str, verdict: str
) -> None:
    assert outcome.findings[article][claim] == verdict
    assert not any(article in item.source for item in outcome.result.skipped)


def test_a_two_megabyte_line_is_read_in_pieces(outcome: Outcome) -> None:
    assert outcome.findings["long_line.txt"]["four members"] == "supported"


def test_deeply_nested_html_is_read_without_its_scripts_and_styles(outcome: Outcome) -> None:
    assert outcome.findings["nested.html"]["four members"] == "supported"
    assert not any("nested.html" in item.source for item in outcome.result.skipped)


def test_a_folder_symlink_cycle_is_not_followed(outcome: Outcome) -> None:
    assert not any("back" in article for article in outcome.findings)
    assert not any("/back/" in item.source for item in outcome.result.skipped)


@pytest.mark.parametrize(("name", "word"), list(BAD.values()), ids=list(BAD))
def test_each_bad_input_is_skipped_with_its_reason(outcome: Outcome, name: str, word: str) -> None:
    reasons = {item.source: item.reason for item in outcome.result.skipped}
    reason = reasons[f"{outcome.batch.folder.as_posix()}/{name}"]
    assert word in reason
    assert "Traceback" not in reason


def test_only_the_bad_inputs_are_skipped(outcome: Outcome) -> None:
    assert {item.source for item in outcome.result.skipped} == set(outcome.batch.skipped)


def test_the_report_lists_every_skipped_input_with_its_reason(outcome: Outcome) -> None:
    expected = {item.source: item.reason for item in outcome.result.skipped}
    assert outcome.report_skipped == expected


# -- single inputs ------------------------------------------------------------------------


def test_the_too_large_file_names_the_limit(outcome: Outcome) -> None:
    (item,) = [i for i in outcome.result.skipped if i.source.endswith("huge.txt")]
    assert item.reason == f"larger than max bytes (50000000 > {MAX_BYTES})"


def test_decoded_text_keeps_its_characters(tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes(LATIN_1.encode("latin-1"))
    (tmp_path / "utf16.txt").write_bytes(codecs.BOM_UTF16_BE + UTF_16.encode("utf-16-be"))
    (tmp_path / "bad_utf8.txt").write_bytes(BAD_UTF_8)
    texts = {item.id: item.text for item in iter_articles([tmp_path])}
    assert "caf\u00e9 in Strel" in texts["latin1.txt"]
    assert "Minist\u00e8re said" in texts["utf16.txt"]
    assert "caf\u00e9 owner" in texts["bad_utf8.txt"]  # valid UTF-8 around a bad byte


def test_html_scripts_styles_and_the_entity_bomb_leave_no_text(tmp_path: Path) -> None:
    (tmp_path / "nested.html").write_text(nested_page(), encoding="utf-8")
    (tmp_path / "bomb.html").write_text(BOMB, encoding="utf-8")
    started = time.monotonic()
    nested, bomb = iter_articles([tmp_path / "nested.html", tmp_path / "bomb.html"])
    assert time.monotonic() - started < 30
    assert isinstance(nested, Article) and isinstance(bomb, Skipped)
    assert nested.title == "Deep"  # the head survives the deep nesting
    assert SCRIPT_MARK not in nested.text and STYLE_MARK not in nested.text
    assert "entity-expansion bomb" in bomb.reason


def test_an_unreadable_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(GOOD, encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root (or with CAP_DAC_OVERRIDE): chmod 000 does not stop reads")
        items = list(iter_articles([tmp_path]))
    finally:
        path.chmod(0o644)
    assert items == [Skipped(path.as_posix(), "cannot read: Permission denied")]


def test_a_symlink_loop_given_on_the_command_line_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "b.txt").symlink_to("a.txt")
    items = list(iter_articles([tmp_path]))
    assert [item.source for item in items] == [
        (tmp_path / "a.txt").as_posix(),
        (tmp_path / "b.txt").as_posix(),
    ]
    assert all(isinstance(item, Skipped) and "symbolic link" in item.reason for item in items)


# -- the command line ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    return make_batch(tmp_path_factory.mktemp("cli") / "batch")


@pytest.mark.parametrize(("strict", "code"), [(False, 1), (True, 2)])
def test_the_command_line_lists_skips_and_strict_makes_them_fatal(
    cli_batch: Batch, tmp_path: Path, strict: bool, code: int
) -> None:
    args = ["run", str(cli_batch.folder), "--reference", str(MINI), "--out", str(tmp_path / "out")]
    args += ["--db", str(tmp_path / "fc.db"), "--default-date", AS_OF.isoformat()]
    args += ["--strict"] if strict else []
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == code, result.output
    assert f"{len(cli_batch.skipped)} failed or skipped" in result.stdout
    for source in cli_batch.skipped:
        assert f"skipped: {source}: " in result.stderr
    assert "Traceback" not in result.output
    if strict:
        assert "--strict was given" in result.stderr
