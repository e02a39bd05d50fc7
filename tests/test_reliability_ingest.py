"""Reliability of ingest: each input of the tester's issue (numbers are theirs) gives an
article or a skip with its reason, never a merge, a silent loss, a crash, hours of regular
expressions or a record held whole in memory."""

from __future__ import annotations

import csv
import ctypes
import json
import os
import subprocess
import sys
import textwrap
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.ingest import iter_articles
from pipeline.models import Article, Skipped
from pipeline.runner import run

MINI = Path(__file__).parent / "data" / "mini_reference"
AS_OF = date(2024, 6, 1)
GOOD = "Published: June 1, 2024\n\nThe Northern Pact has four members.\n"
CLAIM = "The Northern Pact has four members."


def items_of(*paths: Path, **options: object) -> list[Article | Skipped]:
    return list(iter_articles(list(paths), **options))


def summary(items: list[Article | Skipped]) -> list[str]:
    """Each item as 'id' for an article, 'line: reason' for a skipped record and
    'source: reason' for a skipped file, for short asserts."""
    return [
        item.id if isinstance(item, Article) else f"{_where(item)}: {item.reason}" for item in items
    ]


def _where(item: Skipped) -> str:
    line = item.source.rsplit(":", 1)[-1]
    return line if line.isdigit() else item.source


# -- 1. CSV batches ------------------------------------------------------------------------


def write_csv(folder: Path, raw: str | bytes) -> Path:
    path = folder / "batch.csv"
    path.write_bytes(raw if isinstance(raw, bytes) else raw.encode("utf-8"))
    return path


def test_a_csv_quote_left_open_does_not_merge_the_records_after_it(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        'id,text\nr1,"Ruritania has four members.\nr2,Freedonia joined.\nr3,Sylvania left.\n',
    )
    items = items_of(path)
    assert summary(items) == [
        "2: not valid CSV: a quoted field starts on this line and is never closed",
        "r2",
        "r3",
    ]
    assert [item.text for item in items[1:]] == ["Freedonia joined.", "Sylvania left."]


def test_a_csv_quote_left_open_before_quoted_records_skips_only_its_record(
    tmp_path: Path,
) -> None:
    raw = 'id,text\nr1,"Ruritania has\nr2,"Freedonia joined, they said."\nr3,"Sylvania left."\n'
    items = items_of(write_csv(tmp_path, raw))
    assert summary(items)[1:] == ["r2", "r3"]
    assert summary(items)[0].startswith("2: not valid CSV: ")


def test_a_carriage_return_in_an_unquoted_csv_field_is_text_not_the_end(tmp_path: Path) -> None:
    raw = b"id,text\nr1,First part\rsecond part\nr2,Freedonia joined.\nr3,Sylvania left.\n"
    items = items_of(write_csv(tmp_path, raw))
    assert summary(items) == ["r1", "r2", "r3"]
    assert items[0].text == "First part\nsecond part"


def test_a_character_after_a_closing_quote_skips_only_its_record(tmp_path: Path) -> None:
    raw = 'id,text\nr1,"Sylvania said "no" to it"\nr2,Freedonia joined.\n'
    items = items_of(write_csv(tmp_path, raw))
    assert summary(items) == [
        "2: not valid CSV: 'n' after the closing quote of a field "
        '(a quote inside a quoted field is written twice: "")',
        "r2",
    ]


def test_a_csv_record_with_more_fields_than_the_header_is_skipped(tmp_path: Path) -> None:
    raw = 'id,text\nr1,Ruritania,has four members\nr2,"Freedonia, joined."\n'
    items = items_of(write_csv(tmp_path, raw))
    assert summary(items) == [
        "2: not valid CSV: 3 fields, more than the 2 columns of the header",
        "r2",
    ]


def test_quoted_csv_fields_keep_their_line_breaks_and_quotes(tmp_path: Path) -> None:
    raw = 'id,text\r\nr1,"Ruritania, they said,\r\nhas ""four"" members."\r\nr2,Short\r\n'
    items = items_of(write_csv(tmp_path, raw))
    assert [(item.id, item.text, item.line) for item in items] == [
        ("r1", 'Ruritania, they said,\nhas "four" members.', 2),
        ("r2", "Short", 4),
    ]


# -- 2. folders and links ------------------------------------------------------------------


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """A source folder with links out of it (to a file and a folder), links inside it, and a
    loop through the folder outside."""
    source, outside = tmp_path / "source", tmp_path / "outside"
    (source / "sub").mkdir(parents=True)
    outside.mkdir()
    (source / "good.txt").write_text(GOOD, encoding="utf-8")
    (outside / "private.txt").write_text("Grand Fenwick keeps this.", encoding="utf-8")
    (outside / "back").symlink_to(outside, target_is_directory=True)  # a loop outside
    (source / "leak.txt").symlink_to(outside / "private.txt")
    (source / "elsewhere").symlink_to(outside, target_is_directory=True)
    (source / "alias.txt").symlink_to(source / "good.txt")  # stays inside: read
    (source / "sub" / "up").symlink_to(source, target_is_directory=True)  # inside: read once
    return source


def test_a_link_leaving_the_folders_given_is_listed_not_read(linked: Path) -> None:
    items = items_of(linked)
    base, outside = linked.as_posix(), (linked.parent / "outside").as_posix()
    assert summary(items) == [
        "alias.txt",
        f"{base}/elsewhere: symbolic link to a folder outside the folders given ({outside}); "
        "not followed: give --follow-links to read it",
        "good.txt",
        f"{base}/leak.txt: symbolic link to a file outside the folders given "
        f"({outside}/private.txt); not read: give --follow-links to read it",
    ]
    assert not any("Grand Fenwick" in getattr(item, "text", "") for item in items)


def test_follow_links_reads_links_leaving_the_folders_without_looping(linked: Path) -> None:
    items = items_of(linked, follow_links=True)
    assert summary(items) == ["alias.txt", "elsewhere/private.txt", "good.txt", "leak.txt"]


def test_a_folder_given_through_a_link_is_read(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "inner.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "shortcut").symlink_to(tmp_path / "real", target_is_directory=True)
    assert summary(items_of(tmp_path / "shortcut")) == ["inner.txt"]


def test_an_inner_link_to_a_folder_above_is_outside_when_only_the_inner_folder_is_given(
    linked: Path,
) -> None:
    (linked / "sub" / "inner.txt").write_text(GOOD, encoding="utf-8")
    assert summary(items_of(linked / "sub")) == [
        "inner.txt",
        f"{linked.as_posix()}/sub/up: symbolic link to a folder outside the folders given "
        f"({linked.as_posix()}); not followed: give --follow-links to read it",
    ]


def read_as_unprivileged(folder: Path) -> list[list[str]]:
    """iter_articles over `folder` in a process without the power to read any folder (root
    drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH): [id] or [source, reason] per item."""
    code = textwrap.dedent(
        f"""
        import json
        from pipeline.ingest import iter_articles
        items = iter_articles([{str(folder)!r}])
        print(json.dumps([[i.id] if hasattr(i, "id") else [i.source, i.reason] for i in items]))
        """
    )

    def drop_read_powers() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            if libc.prctl(24, capability, 0, 0, 0):  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "prctl")

    root = os.geteuid() == 0
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
        preexec_fn=drop_read_powers if root else None,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def test_an_unreadable_folder_is_listed(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    locked.chmod(0)
    try:
        items = read_as_unprivileged(tmp_path)
    finally:
        locked.chmod(0o755)
    assert items == [
        ["good.txt"],
        [locked.as_posix(), "cannot read folder: Permission denied"],
    ]


def cli_run(folder: Path, out: Path, *options: str):
    args = ["run", str(folder), "--reference", str(MINI), "--out", str(out / "report")]
    args += ["--db", str(out / "fc.db"), "--default-date", AS_OF.isoformat(), *options]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def findings_of(out: Path) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    with (out / "report" / "findings.csv").open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            found.setdefault(row["article"], {})[row["claim"]] = row["verdict"]
    return found


def test_the_follow_links_option_of_run(linked: Path, tmp_path: Path) -> None:
    (linked.parent / "outside" / "private.txt").write_text(GOOD, encoding="utf-8")
    without = cli_run(linked, tmp_path / "without")
    assert without.exit_code == 0, without.output
    assert f"skipped: {linked.as_posix()}/leak.txt: symbolic link" in without.stderr
    assert set(findings_of(tmp_path / "without")) == {"alias.txt", "good.txt"}
    followed = cli_run(linked, tmp_path / "with", "--follow-links")
    assert followed.exit_code == 0, followed.output
    assert "skipped:" not in followed.stderr
    assert findings_of(tmp_path / "with")["leak.txt"] == {"four members": "supported"}


# -- 3. records that crashed a batch -------------------------------------------------------

CRASHERS = {
    "an integer of 5,000 digits": (
        '{"id": "n", "text": "x", "count": 1' + "0" * 5000 + "}",
        "not valid JSON: a number has more than 4300 digits",
    ),
    "JSON nested 100,000 deep": (
        '{"id": "d", "text": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "not valid JSON: nested too deep to read",
    ),
    "a lone surrogate in the text": (
        '{"id": "s", "text": "Ruritania \\ud800 has four members."}',
        "field 'text' holds an unpaired surrogate (\\ud800), which is not text",
    ),
    "a lone surrogate in the id": (
        '{"id": "s\\udfff", "text": "Ruritania has four members."}',
        "field 'id' holds an unpaired surrogate (\\udfff), which is not text",
    ),
    "a lone surrogate in the title": (
        '{"id": "s", "title": "\\ud800", "text": "Ruritania has four members."}',
        "field 'title' holds an unpaired surrogate (\\ud800), which is not text",
    ),
}


@pytest.mark.parametrize(("line", "reason"), CRASHERS.values(), ids=list(CRASHERS))
def test_a_record_that_crashed_the_batch_is_skipped(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "batch.jsonl"
    good = json.dumps({"id": "good", "text": CLAIM})
    path.write_text(f"{line}\n{good}\n", encoding="utf-8")
    assert summary(items_of(path)) == [f"1: {reason}", "good"]


BAD_NAME = b"caf\xe9 \xff.txt"  # latin-1, not UTF-8


def test_a_file_name_that_is_not_utf8_gives_an_escaped_id(tmp_path: Path) -> None:
    with open(os.fsencode(tmp_path) + b"/" + BAD_NAME, "wb") as stream:
        stream.write(GOOD.encode("utf-8"))
    (article,) = items_of(tmp_path)
    assert article.id == "caf\\xe9 \\xff.txt"
    assert article.source == f"{tmp_path.as_posix()}/caf\\xe9 \\xff.txt"
    article.source.encode("utf-8")  # the store and the report can hold it


@pytest.fixture(scope="module")
def odd_run(tmp_path_factory: pytest.TempPathFactory):
    """`factcheck run` on a folder with a good article, a file named in latin-1, and a
    batch of the records that crashed runs, with two records of one id."""
    root = tmp_path_factory.mktemp("odd")
    folder = root / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    with open(os.fsencode(folder) + b"/" + BAD_NAME, "wb") as stream:
        stream.write(GOOD.replace("four", "three").encode("utf-8"))
    lines = [line for line, _ in CRASHERS.values()]
    lines += [json.dumps({"id": "twice", "text": CLAIM, "published": "2024-06-01"})] * 2
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return cli_run(folder, root), root, folder


def test_a_run_over_odd_names_and_records_completes(odd_run) -> None:
    result, root, _ = odd_run
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    found = findings_of(root)
    assert found["good.txt"] == {"four members": "supported"}
    assert found["caf\\xe9 \\xff.txt"] == {"three members": "outdated"}
    assert found["twice"] == {"four members": "supported"}


def test_a_run_lists_each_odd_record_with_its_line(odd_run) -> None:
    result, _, folder = odd_run
    for number, (_, reason) in enumerate(CRASHERS.values(), start=1):
        assert f"skipped: {folder.as_posix()}/wire.jsonl:{number}: {reason}" in result.stderr


# -- 4. Markdown in linear time ------------------------------------------------------------

# Lines of the shapes that made the Markdown rules backtrack (the tester's 96 KB file took
# 59 s): five megabytes of prose whose brackets never close, and a megabyte each of markers
# that open a span and never close, brackets, backticks, a heading padded with spaces.
PROSE = (
    "The *Northern Pact* has **four** members, says [the charter](https://x.example/a_b) "
    "of `Ruritania`, ~~three~~ since 2005. "
)
STRAY = "The *Northern Pact* has **four** members [sic, says `Ruritania`. "
MEGABYTE = 1_000_000
SHAPES = {
    "prose with stray brackets, 5 MB": STRAY * (5 * MEGABYTE // len(STRAY)),
    "emphasis never closed": "*a " * (MEGABYTE // 3),
    "strong never closed": "**a " * (MEGABYTE // 4),
    "underscores never closed": "_a " * (MEGABYTE // 3),
    "strike-through never closed": "~~a " * (MEGABYTE // 4),
    "backticks": "a" + "`" * MEGABYTE,
    "brackets": "[" * MEGABYTE,
    "image openers": "![a](" * (MEGABYTE // 5),
    "autolink openers": "<http:" * (MEGABYTE // 6),
    "heading padded with spaces": "# x" + " " * MEGABYTE + "y",
}
SECONDS = 10.0


@pytest.fixture(scope="module")
def markdown_seconds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    """Seconds to read each shape as a .md file, in a subprocess stopped after a minute."""
    folder = tmp_path_factory.mktemp("markdown")
    for index, line in enumerate(SHAPES.values()):
        (folder / f"{index}.md").write_text(line + "\n", encoding="utf-8")
    code = textwrap.dedent(
        f"""
        import json, time
        from pathlib import Path
        from pipeline.ingest import iter_articles
        seconds = []
        for index in range({len(SHAPES)}):
            started = time.monotonic()
            (item,) = iter_articles([Path({str(folder)!r}) / f"{{index}}.md"], max_bytes=10**8)
            assert item.text, item
            seconds.append(time.monotonic() - started)
        print(json.dumps(seconds))
        """
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
            capture_output=True,
            text=True,
            timeout=60 + SECONDS * len(SHAPES),
            check=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("reading the Markdown lines did not finish")
    return dict(zip(SHAPES, json.loads(done.stdout), strict=True))


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_long_markdown_line_is_read_in_seconds(markdown_seconds, shape: str) -> None:
    assert markdown_seconds[shape] < SECONDS


def test_markdown_markup_is_still_removed_on_a_long_line(tmp_path: Path) -> None:
    path = tmp_path / "long.md"
    path.write_text(PROSE * 1000, encoding="utf-8")
    (article,) = items_of(path)
    assert article.text.startswith(
        "The Northern Pact has four members, says the charter of Ruritania, three since 2005. "
    )


# -- 5. batch records and --max-bytes ------------------------------------------------------

BIG = 60_000_000
MAX_BYTES = 5_000_000


def peak_reading(path: Path) -> tuple[list[str], float]:
    """The items of `path` read with max bytes 5 MB, and the peak of memory it took (MB)."""
    tracemalloc.start()
    try:
        items = summary(items_of(path, max_bytes=MAX_BYTES))
        return items, tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def test_a_60_mb_jsonl_record_is_skipped_without_being_held(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    big = json.dumps({"id": "big", "text": "x" * BIG}) + "\n"
    with path.open("w", encoding="utf-8") as stream:
        stream.write(big + json.dumps({"id": "good", "text": CLAIM}) + "\n")
    items, peak_mb = peak_reading(path)
    assert items == [
        f"1: larger than max bytes (a record of {len(big)} bytes; with max bytes 5000000, "
        "a record's lines may have at most 10065536); not read",
        "good",
    ]
    assert peak_mb < 25  # at most the 10 MB a line may have, never the 60 MB line


def test_a_60_mb_csv_record_is_skipped_and_reading_goes_on_after_it(tmp_path: Path) -> None:
    path = tmp_path / "batch.csv"
    big = 'big,"' + "y" * BIG + '\nRuritania, said the paper.\n"\n'  # three lines
    with path.open("w", encoding="utf-8") as stream:
        stream.write(f"id,text\n{big}good,{CLAIM}\n")
    items, peak_mb = peak_reading(path)
    assert items == [
        f"2: larger than max bytes (a record of {len(big)} bytes; with max bytes 5000000, "
        "a record's lines may have at most 10065536); not read",
        "good",
    ]
    assert peak_mb < 25


def test_a_record_within_the_line_limit_still_names_its_text_size(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "y" * 101}) + "\n", encoding="utf-8")
    assert summary(items_of(path, max_bytes=100)) == ["1: larger than max bytes (101 > 100)"]


# -- 6. smaller ones -----------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_text(tmp_path: Path, codec: str) -> None:
    (tmp_path / "story.txt").write_bytes(f"{GOOD}Caf\u00e9 in Strel.\n".encode(codec))
    (tmp_path / "batch.jsonl").write_bytes(json.dumps({"id": "r", "text": CLAIM}).encode(codec))
    batch, story = items_of(tmp_path)
    assert (batch.id, batch.text) == ("r", CLAIM)
    assert story.text == f"{GOOD.strip()}\nCaf\u00e9 in Strel."


def test_a_text_with_one_nul_byte_is_text(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(b"The Northern Pact has four\x00 members.\n")
    assert items_of(path) == [
        Article(id="story.txt", text=CLAIM, source=path.as_posix()),
    ]


def test_bytes_with_nuls_and_controls_are_still_binary(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(bytes(range(256)) * 4)
    assert summary(items_of(path)) == [f"{path.as_posix()}: binary file"]


@pytest.mark.parametrize(
    ("value", "kind"), [(["a", "b"], "an array"), ({"a": "b"}, "an object")], ids=["list", "dict"]
)
def test_a_jsonl_text_that_is_not_a_string_is_skipped(
    tmp_path: Path, value: object, kind: str
) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"id": "x", "text": value}) + "\n", encoding="utf-8")
    assert summary(items_of(path)) == [f"1: field 'text' is {kind}, not text"]


def test_a_duplicate_id_skip_names_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    record = json.dumps({"id": "x", "text": CLAIM, "published": "2024-06-01"})
    (folder / "wire.jsonl").write_text(f"{record}\n\n{record}\n", encoding="utf-8")
    result = run([folder], reference_dir=MINI, out_dir=tmp_path / "out", default_date=AS_OF)
    source = f"{folder.as_posix()}/wire.jsonl"
    assert result.skipped == [
        Skipped(
            source,
            f"duplicate article id 'x' at line 3, already read in this run ({source}, line 1); "
            "rename one, or check the folders in separate runs",
        )
    ]
