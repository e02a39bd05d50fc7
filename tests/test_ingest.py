"""Tests for pipeline.ingest: formats, dates, ids, order and every skip reason."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path

import pytest

from pipeline import ingest
from pipeline.errors import UsageError
from pipeline.ingest import find_text_date, iter_articles, parse_date
from pipeline.models import Article, Skipped

BODY = "The ferry line carries 900 passengers a day across the bay."


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """Write a fixture file (making its folders) and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def read_all(*paths: Path, **options: int) -> list[Article | Skipped]:
    return list(iter_articles(list(paths), **options))


def read_one(path: Path, **options: int) -> Article | Skipped:
    (item,) = read_all(path, **options)
    return item


# trafilatura treats a page with little text as all content, navigation included; real
# articles are longer, so every test page carries this lead.
LEAD = (
    "The harbour board met on Tuesday to review the timetable for the coming season.",
    "Its members heard from captains, ticket staff and a group of regular commuters.",
    "Most of them asked for earlier sailings on weekdays and a later boat on Fridays.",
)


def page(body: str, head: str = "") -> str:
    """A small HTML page: navigation, the lead paragraphs and `body`, and a footer."""
    lead = "".join(f"<p>{sentence}</p>" for sentence in LEAD)
    return (
        f"<html><head><title>Bay Ferry News</title>{head}</head><body>"
        '<nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>'
        f"<article>{lead}{body}</article><footer>Contact the desk</footer></body></html>"
    )


# -- formats ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["story.txt", "story.md", "story.markdown", "STORY.TXT"])
def test_reads_a_text_or_markdown_file(tmp_path: Path, name: str) -> None:
    article = read_one(write(tmp_path, name, BODY + "\n"))
    assert isinstance(article, Article)
    assert article.text == BODY


def test_cleans_the_text_of_a_text_file(tmp_path: Path) -> None:
    raw = "Ferry \u201cfacts\u201d\n\u2022 It\u2019s late\u00a0again"
    article = read_one(write(tmp_path, "story.txt", raw))
    assert article.text == 'Ferry "facts"\n- It\'s late again'


@pytest.mark.parametrize("name", ["page.html", "page.htm"])
def test_reads_the_main_text_of_an_html_page(tmp_path: Path, name: str) -> None:
    body = f"<h2>Ferry record</h2><p>{BODY}</p><p>Is the bay crossing safe?</p>"
    article = read_one(write(tmp_path, name, page(body)))
    expected = [*LEAD, "Ferry record", BODY, "Is the bay crossing safe?"]
    assert article.text.splitlines() == expected


def test_html_keeps_list_items_as_bullet_lines(tmp_path: Path) -> None:
    body = f"<p>{BODY}</p><ul><li>Two boats</li><li>One pier</li></ul>"
    article = read_one(write(tmp_path, "page.html", page(body)))
    assert article.text.splitlines()[-2:] == ["- Two boats", "- One pier"]


def test_html_tables_become_lines_of_cells(tmp_path: Path) -> None:
    table = "<table><tr><th>Boat</th><th>Seats</th></tr><tr><td>Gull</td><td>120</td></tr></table>"
    article = read_one(write(tmp_path, "page.html", page(f"<p>{BODY}</p>{table}")))
    assert article.text.splitlines()[-2:] == ["Boat Seats", "Gull 120"]


def test_html_title_and_url_come_from_the_metadata(tmp_path: Path) -> None:
    head = '<link rel="canonical" href="https://news.example/ferry">'
    article = read_one(write(tmp_path, "page.html", page(f"<p>{BODY}</p>", head)))
    assert (article.title, article.url) == ("Bay Ferry News", "https://news.example/ferry")


def test_html_falls_back_to_the_plain_text_when_extraction_finds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest.trafilatura, "bare_extraction", lambda *a, **k: None)
    markup = (
        f"<html><head><style>p {{}}</style></head><body><p>{BODY}</p><p>Next.</p></body></html>"
    )
    article = read_one(write(tmp_path, "page.html", markup))
    assert article.text == f"{BODY}\nNext."


def test_html_without_any_text_is_skipped(tmp_path: Path) -> None:
    skipped = read_one(write(tmp_path, "page.html", "<html><body><img src='a.png'></body></html>"))
    assert skipped == Skipped(str(tmp_path / "page.html"), "no text found")


MARKDOWN = [
    ("front matter", "---\ntitle: Ferries\nauthor: A. Writer\n---\nBody line.", "Body line."),
    ("heading marks", "## Ferry timetable ##\nBody line.", "Ferry timetable\nBody line."),
    ("emphasis", "A **bold** and *soft* and __strong__ and _mild_ word.", None),
    ("links", 'See [the timetable](https://x.example/t "T") now.', "See the timetable now."),
    ("images", "Before ![a boat](boat.png) after.", "Before after."),
    ("inline code", "Run `ferry` daily.", "Run ferry daily."),
    ("block quote", "> Quoted line.", "Quoted line."),
    ("bullets", "* one item\n+ two item", "- one item\n- two item"),
    ("code fence", "Intro.\n```python\nboats = 3  # *not* emphasis\n```\nOutro.", None),
    ("table", "| Boat | Seats |\n|---|---:|\n| Gull | 120 |", "Boat Seats\nGull 120"),
    ("entities", "Fish &amp; chips", "Fish & chips"),
]
MARKDOWN_EXPECTED = {
    "emphasis": "A bold and soft and strong and mild word.",
    "code fence": "Intro.\nboats = 3 # *not* emphasis\nOutro.",
}


@pytest.mark.parametrize(("case", "raw", "expected"), MARKDOWN, ids=[m[0] for m in MARKDOWN])
def test_markdown_markup_is_removed(
    tmp_path: Path, case: str, raw: str, expected: str | None
) -> None:
    article = read_one(write(tmp_path, "story.md", raw))
    assert article.text == (expected or MARKDOWN_EXPECTED[case])


def test_markdown_title_comes_from_front_matter(tmp_path: Path) -> None:
    raw = '---\ntitle: "Ferry fares"\n---\n# Another heading\nBody.'
    assert read_one(write(tmp_path, "story.md", raw)).title == "Ferry fares"


def test_markdown_title_falls_back_to_the_first_heading(tmp_path: Path) -> None:
    raw = "Intro line\n\n# Ferry *fares*\n\nBody."
    assert read_one(write(tmp_path, "story.md", raw)).title == "Ferry fares"


def test_text_file_title_is_empty(tmp_path: Path) -> None:
    assert read_one(write(tmp_path, "story.txt", "Ferry fares\n\nBody.")).title == ""


def test_reads_each_jsonl_record(tmp_path: Path) -> None:
    lines = [
        {"id": "f-1", "text": BODY, "title": "Ferries", "url": "https://news.example/1"},
        {"id": 2, "html": page(f"<p>{BODY}</p>")},
    ]
    path = write(tmp_path, "batch.jsonl", "\n".join(json.dumps(line) for line in lines))
    first, second = read_all(path)
    assert (first.id, first.text, first.title, first.url) == (
        "f-1",
        BODY,
        "Ferries",
        "https://news.example/1",
    )
    assert (second.id, second.text.splitlines()[-1], second.title) == ("2", BODY, "Bay Ferry News")


def test_reads_each_csv_record(tmp_path: Path) -> None:
    raw = f'ID,Title,Text\nc-1,Ferries,"{BODY}"\nc-2,,"Two lines\nin one field."\n'
    path = write(tmp_path, "batch.csv", raw)
    assert [(a.id, a.title, a.text) for a in read_all(path)] == [
        ("c-1", "Ferries", BODY),
        ("c-2", "", "Two lines\nin one field."),
    ]


def test_a_record_prefers_its_text_to_its_html(tmp_path: Path) -> None:
    record = {"id": "x", "text": "From the text field.", "html": page("<p>From the html.</p>")}
    (article,) = read_all(write(tmp_path, "batch.jsonl", json.dumps(record)))
    assert article.text == "From the text field."


def test_record_source_is_the_batch_file(tmp_path: Path) -> None:
    path = write(tmp_path, "batch.jsonl", json.dumps({"id": "x", "text": BODY}))
    assert read_one(path).source == str(path)


def test_blank_jsonl_lines_are_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, "batch.jsonl", f"\n{json.dumps({'id': 'x', 'text': BODY})}\n\n")
    assert [item.id for item in read_all(path)] == ["x"]


# -- dates ------------------------------------------------------------------------------

DATE_LINES = [
    "Date Published: April 29, 2024",
    "Published: 2024-04-29",
    "Published on 29 April 2024",
    "Posted on April 29, 2024",
    "Date: 2024-04-29",
    "Updated: 29 April 2024",
    "\u2022 Date Published: April 29, 2024",
    "published 29 April 2024 | By A. Writer",
    "Posted on April 29, 2024 at 10:15 am",
    "Publication date: 2024-04-29T08:00:00Z",
]


@pytest.mark.parametrize("line", DATE_LINES)
def test_dated_line_near_the_top_gives_the_date(tmp_path: Path, line: str) -> None:
    article = read_one(write(tmp_path, "story.txt", f"Ferry news\n{line}\n\n{BODY}"))
    assert (article.published, article.date_source) == (date(2024, 4, 29), "text")


def test_published_wins_over_updated() -> None:
    text = "Updated: 2024-05-02\nPublished: 2024-04-29\n" + BODY
    assert find_text_date(text) == date(2024, 4, 29)


def test_updated_is_used_when_there_is_no_published_line() -> None:
    assert find_text_date("Last updated on 2 May 2024\n" + BODY) == date(2024, 5, 2)


def test_a_dated_line_below_the_top_is_ignored() -> None:
    filler = "\n".join(f"Line {n}." for n in range(15))
    assert find_text_date(f"{filler}\nPublished: 2024-04-29") is None


@pytest.mark.parametrize(
    "text",
    [
        "The ferry first sailed on 3 May 2021 and never stopped.",
        "Published: sometime last spring",
        "Date: May 2024",
        "Posted on the quay wall was a notice.",
    ],
)
def test_no_date_is_guessed_from_body_text(text: str) -> None:
    assert find_text_date(text) is None


def test_text_without_a_date_has_no_date(tmp_path: Path) -> None:
    article = read_one(write(tmp_path, "story.txt", BODY))
    assert (article.published, article.date_source) == (None, "")


@pytest.mark.parametrize(
    "front_matter",
    ["date: 2024-04-29", "date: '2024-04-29T09:30:00+02:00'", "published: April 29, 2024"],
)
def test_markdown_front_matter_gives_the_date(tmp_path: Path, front_matter: str) -> None:
    article = read_one(write(tmp_path, "story.md", f"---\n{front_matter}\n---\n{BODY}"))
    assert (article.published, article.date_source) == (date(2024, 4, 29), "text")


def test_markdown_front_matter_prefers_the_published_date(tmp_path: Path) -> None:
    raw = f"+++\nlastmod = 2024-06-01\ndate = 2024-04-29\n+++\n{BODY}"
    assert read_one(write(tmp_path, "story.md", raw)).published == date(2024, 4, 29)


HTML_DATES = [
    ('<meta property="article:published_time" content="2023-11-08T06:00:00Z">', ""),
    (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "NewsArticle", "headline": "Ferries", "datePublished": "2023-11-08"}</script>',
        "",
    ),
    ("", '<time datetime="2023-11-08">8 November</time>'),
]


@pytest.mark.parametrize(("head", "before"), HTML_DATES, ids=["meta", "json-ld", "time"])
def test_html_metadata_gives_the_date(tmp_path: Path, head: str, before: str) -> None:
    article = read_one(write(tmp_path, "page.html", page(f"{before}<p>{BODY}</p>", head)))
    assert (article.published, article.date_source) == (date(2023, 11, 8), "html")


def test_html_without_a_metadata_date_uses_a_dated_line(tmp_path: Path) -> None:
    body = f"<p>Published: 8 November 2023</p><p>{BODY}</p>"
    article = read_one(write(tmp_path, "page.html", page(body)))
    assert (article.published, article.date_source) == (date(2023, 11, 8), "text")


def test_html_body_dates_are_not_guessed(tmp_path: Path) -> None:
    body = f"<p>{BODY}</p><p>The pier was built on 8 November 1923.</p>"
    assert read_one(write(tmp_path, "page.html", page(body))).published is None


def test_record_published_field_wins(tmp_path: Path) -> None:
    head = '<meta property="article:published_time" content="2023-11-08">'
    record = {"id": "x", "html": page(f"<p>{BODY}</p>", head), "published": "2022-01-31"}
    article = read_one(write(tmp_path, "batch.jsonl", json.dumps(record)))
    assert (article.published, article.date_source) == (date(2022, 1, 31), "record")


def test_record_html_metadata_gives_the_date(tmp_path: Path) -> None:
    head = '<meta property="article:published_time" content="2023-11-08">'
    record = {"id": "x", "html": page(f"<p>{BODY}</p>", head)}
    article = read_one(write(tmp_path, "batch.jsonl", json.dumps(record)))
    assert (article.published, article.date_source) == (date(2023, 11, 8), "html")


def test_record_text_gives_the_date_when_no_field_does(tmp_path: Path) -> None:
    record = {"id": "x", "text": f"Posted on 1 March 2024\n{BODY}"}
    article = read_one(write(tmp_path, "batch.jsonl", json.dumps(record)))
    assert (article.published, article.date_source) == (date(2024, 3, 1), "text")


def test_record_with_a_published_value_that_is_not_a_date_is_skipped(tmp_path: Path) -> None:
    path = write(
        tmp_path, "batch.jsonl", json.dumps({"id": "x", "text": BODY, "published": "soon"})
    )
    assert read_one(path) == Skipped(f"{path}:1", "published 'soon' is not a date (use YYYY-MM-DD)")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-04-29", date(2024, 4, 29)),
        ("April 29, 2024", date(2024, 4, 29)),
        ("29 Apr. 2024", date(2024, 4, 29)),
        ("2024-04-29T23:30:00-05:00", date(2024, 4, 29)),
        ("29/04/2024", date(2024, 4, 29)),
        ("04/04/2024", date(2024, 4, 4)),
    ],
)
def test_parse_date_reads_a_full_date(value: str, expected: date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    ["", "2024", "April 2024", "29 April", "Tuesday", "03/04/2024", "2024-02-30", "soon", "0"],
)
def test_parse_date_rejects_a_partial_ambiguous_or_invalid_date(value: str) -> None:
    assert parse_date(value) is None


# -- ids, recursion and order ------------------------------------------------------------


def test_id_of_a_file_in_a_folder_is_its_relative_posix_path(tmp_path: Path) -> None:
    write(tmp_path, "desk/2024/story.txt", BODY)
    assert [item.id for item in read_all(tmp_path)] == ["desk/2024/story.txt"]


def test_id_of_a_file_given_directly_is_its_name(tmp_path: Path) -> None:
    path = write(tmp_path, "desk/story.txt", BODY)
    assert read_one(path).id == "story.txt"


def test_folders_are_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ["b.txt", "a/z.md", "a/b/c.html", "a.txt", "c/d.txt"]:
        write(tmp_path, name, page(f"<p>{BODY}</p>") if name.endswith(".html") else BODY)
    ids = [item.id for item in read_all(tmp_path)]
    assert ids == ["a/b/c.html", "a/z.md", "a.txt", "b.txt", "c/d.txt"]


def test_hidden_files_and_folders_are_skipped_silently(tmp_path: Path) -> None:
    write(tmp_path, ".draft.txt", BODY)
    write(tmp_path, ".cache/story.txt", BODY)
    write(tmp_path, "kept.txt", BODY)
    assert [item.id for item in read_all(tmp_path)] == ["kept.txt"]


def test_other_extensions_in_a_folder_are_listed_as_skipped(tmp_path: Path) -> None:
    for name in ["notes.pdf", "data.json", "README", "kept.txt"]:
        write(tmp_path, name, BODY)
    items = read_all(tmp_path)
    assert [item.id for item in items if isinstance(item, Article)] == ["kept.txt"]
    assert [Path(item.source).name for item in items if isinstance(item, Skipped)] == [
        "README",
        "data.json",
        "notes.pdf",
    ]


def test_paths_are_read_in_the_order_given(tmp_path: Path) -> None:
    second = write(tmp_path, "b/one.txt", BODY)
    first = write(tmp_path, "a/two.txt", BODY)
    assert [item.id for item in read_all(second, first)] == ["one.txt", "two.txt"]


def test_records_keep_their_order_among_files(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "b.jsonl", "\n".join(json.dumps({"id": i, "text": BODY}) for i in "yx"))
    write(tmp_path, "c.txt", BODY)
    assert [item.id for item in read_all(tmp_path)] == ["a.txt", "y", "x", "c.txt"]


def test_reading_is_lazy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ["a.txt", "b.txt", "c.txt"]:
        write(tmp_path, name, BODY)
    reads: list[str] = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or original(self))
    articles = iter_articles([tmp_path])
    assert reads == []
    next(articles)
    assert reads == ["a.txt"]


# -- skips and errors --------------------------------------------------------------------


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"no-such\.txt: no such file or folder"):
        iter_articles([tmp_path / "no-such.txt"])


def test_max_bytes_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="max_bytes must be a positive number"):
        iter_articles([tmp_path], max_bytes=0)


UNSUPPORTED = (
    "not a supported type: .pdf; supported: .txt, .md, .markdown, .html, .htm, .jsonl, .csv"
)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\n", "empty file"),
        ("empty.jsonl", b"", "empty file"),
        ("binary.txt", b"ferry\x00\x01\x02", "binary file"),
        ("binary.html", b"<p>\x00\x01\x02</p>", "binary file"),
        ("binary.jsonl", b'{"id": "x"}\x00\x01', "binary file"),
        ("notes.pdf", b"%PDF-1.4", UNSUPPORTED),
    ],
)
def test_a_file_that_is_not_an_article_is_skipped(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = write(tmp_path, name, content)
    assert read_one(path) == Skipped(str(path), reason)


def test_a_file_larger_than_max_bytes_is_skipped_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "long.txt", "x" * 101)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file too large"))
    assert read_one(path, max_bytes=100) == Skipped(str(path), "larger than max bytes (101 > 100)")


def test_a_file_of_exactly_max_bytes_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "long.txt", "x" * 100)
    assert isinstance(read_one(path, max_bytes=100), Article)


def test_a_record_larger_than_max_bytes_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "batch.jsonl", json.dumps({"id": "x", "text": "y" * 101}))
    assert read_one(path, max_bytes=100) == Skipped(
        f"{path}:1", "larger than max bytes (101 > 100)"
    )


def test_an_unreadable_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "story.txt", BODY)

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert read_one(path) == Skipped(str(path), "cannot read: Permission denied")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ({"text": BODY}, "missing id"),
        ({"id": "", "text": BODY}, "missing id"),
        ({"id": None, "text": BODY}, "missing id"),
        ({"id": "x"}, "record has no text or html"),
        ({"id": "x", "text": "  ", "html": ""}, "record has no text or html"),
    ],
)
def test_a_jsonl_record_without_id_or_text_is_skipped(
    tmp_path: Path, line: dict[str, object], reason: str
) -> None:
    path = write(tmp_path, "batch.jsonl", json.dumps(line))
    assert read_one(path) == Skipped(f"{path}:1", reason)


def test_a_broken_json_line_is_skipped_and_the_others_still_read(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": BODY}),
        "{broken",
        json.dumps({"id": "b", "text": BODY}),
    ]
    path = write(tmp_path, "batch.jsonl", "\n".join(lines))
    first, broken, last = read_all(path)
    assert (first.id, last.id) == ("a", "b")
    assert broken.source == f"{path}:2"
    assert broken.reason.startswith("not valid JSON")


def test_a_json_line_that_is_not_an_object_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "batch.jsonl", '["a", "list"]')
    assert read_one(path) == Skipped(f"{path}:1", "not a JSON object but list")


def test_a_csv_record_without_id_is_skipped_by_line(tmp_path: Path) -> None:
    path = write(tmp_path, "batch.csv", f'id,text\na,"{BODY}"\n,"{BODY}"\nc,\n')
    assert [item.id if isinstance(item, Article) else item for item in read_all(path)] == [
        "a",
        Skipped(f"{path}:3", "missing id"),
        Skipped(f"{path}:4", "record has no text or html"),
    ]


def test_a_csv_without_an_id_column_is_one_skip(tmp_path: Path) -> None:
    path = write(tmp_path, "batch.csv", f'name,text\na,"{BODY}"\nb,"{BODY}"\n')
    assert read_all(path) == [
        Skipped(str(path), "no id column (columns: name, text); add an id column")
    ]


def test_a_csv_without_a_text_or_html_column_is_one_skip(tmp_path: Path) -> None:
    path = write(tmp_path, "batch.csv", "id,title\na,Ferries\n")
    assert read_all(path) == [Skipped(str(path), "no text or html column; add one of them")]


# -- encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoded",
    [
        "Caf\u00e9 ferry.".encode("utf-8-sig"),
        "Caf\u00e9 ferry.".encode("utf-16"),
        "Caf\u00e9 ferry.".encode("utf-16-be").join([b"\xfe\xff", b""]),
    ],
    ids=["utf-8 bom", "utf-16 le bom", "utf-16 be bom"],
)
def test_a_byte_order_mark_picks_the_encoding(tmp_path: Path, encoded: bytes) -> None:
    assert read_one(write(tmp_path, "story.txt", encoded)).text == "Caf\u00e9 ferry."


def test_bytes_that_are_not_utf8_fall_back_to_cp1252_with_a_note(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(tmp_path, "story.txt", "Caf\u00e9 \u201cferry\u201d.".encode("cp1252"))
    with caplog.at_level(logging.WARNING, logger="pipeline.ingest"):
        article = read_one(path)
    assert article.text == 'Caf\u00e9 "ferry".'
    assert "not valid UTF-8, read as cp1252" in caplog.text


def test_a_utf16_batch_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "batch.jsonl", json.dumps({"id": "x", "text": BODY}).encode("utf-16"))
    assert read_one(path).text == BODY


def test_a_cp1252_line_in_a_batch_is_read(tmp_path: Path) -> None:
    raw = 'id,text\nx,"Caf\u00e9 ferry."\n'.encode("cp1252")
    assert read_one(write(tmp_path, "batch.csv", raw)).text == "Caf\u00e9 ferry."


def test_ids_are_relative_to_their_root_whatever_else_is_given(tmp_path):
    for name in ("first", "second"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / f"{name}.txt").write_text("A sentence about the weather.", encoding="utf-8")
    alone = list(iter_articles([tmp_path / "first"]))
    both = list(iter_articles([tmp_path / "first", tmp_path / "second"]))
    assert [a.id for a in alone] == ["first.txt"]
    assert [a.id for a in both] == ["first.txt", "second.txt"]


def test_control_characters_in_html_are_dropped(tmp_path):
    page = tmp_path / "a.html"
    page.write_bytes(b"<p>The pact has 4 members.</p>\x01\x02")
    (article,) = iter_articles([tmp_path], max_bytes=10_000)
    assert "The pact has 4 members." in article.text
