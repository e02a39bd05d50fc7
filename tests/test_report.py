"""Tests for pipeline.report: CSV and JSONL rows, neutralization, atomic writes, the HTML page."""

from __future__ import annotations

import base64
import csv
import dataclasses
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from factories import make_finding
from hypothesis import given
from hypothesis import strategies as st

from pipeline.models import FINDING_COLUMNS, FLAG_STATUSES, Finding, Skipped
from pipeline.report import (
    ReportPaths,
    RunInfo,
    atomic_write,
    neutralize_cell,
    restore_cell,
    sort_findings,
    write_reports,
)
from pipeline.report.html import render_html, split_sentence

REQUIRED_COLUMNS = (
    "finding_id",
    "article",
    "published",
    "as_of",
    "sentence",
    "start",
    "end",
    "claim",
    "entity",
    "attribute",
    "claimed_value",
    "reference_value",
    "verdict",
    "confidence",
    "fact_id",
    "source",
    "explanation",
)
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
RUN = RunInfo(
    started="2024-05-01T09:30:00+00:00",
    reference="claims",
    reference_digest="0123456789abcdef0123",
    articles=3,
    model="en_core_web_sm",
    version="0.1.0",
    default_date="2024-05-01",
)


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def first_csv_row(finding: Finding, out_dir: Path) -> dict[str, str]:
    return dict(
        zip(FINDING_COLUMNS, read_csv(write_reports([finding], out_dir).csv)[1], strict=True)
    )


def parse(page: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page)


def page_for(*findings: Finding, **options: object) -> lxml.html.HtmlElement:
    return parse(render_html(sort_findings(findings), **options))


# CSV


def test_csv_header_is_finding_columns_with_required_columns_first(tmp_path):
    paths = write_reports([make_finding()], tmp_path)
    header = read_csv(paths.csv)[0]
    assert header == list(FINDING_COLUMNS)
    assert tuple(header[: len(REQUIRED_COLUMNS)]) == REQUIRED_COLUMNS


def test_csv_row_holds_finding_values_with_two_decimal_confidence(tmp_path):
    finding = make_finding()
    paths = write_reports([finding], tmp_path)
    row = dict(zip(FINDING_COLUMNS, read_csv(paths.csv)[1], strict=True))
    assert row["confidence"] == "0.88"
    assert row["start"] == str(finding.start)
    assert row["end"] == str(finding.end)
    assert row["sentence"] == finding.sentence
    assert row["source"] == finding.source
    assert row["verdict"] == "contradicted"


@pytest.mark.parametrize("prefix", DANGEROUS)
def test_csv_neutralizes_formula_text_cells(tmp_path, prefix):
    finding = make_finding(claimed_value=prefix + "cmd|' /C calc'!A0", explanation=prefix + "1")
    row = first_csv_row(finding, tmp_path)
    assert row["claimed_value"] == "'" + prefix + "cmd|' /C calc'!A0"
    assert row["explanation"] == "'" + prefix + "1"


def test_csv_leaves_number_cells_unprefixed(tmp_path):
    finding = make_finding(confidence=-0.5)
    row = first_csv_row(finding, tmp_path)
    assert row["confidence"] == "-0.50"


def test_csv_read_back_with_restore_cell_gives_the_values(tmp_path):
    finding = make_finding(claimed_value="-3", reference_value="'=x", entity="@home")
    row = first_csv_row(finding, tmp_path)
    assert restore_cell(row["claimed_value"]) == "-3"
    assert restore_cell(row["reference_value"]) == "'=x"
    assert restore_cell(row["entity"]) == "@home"


def test_csv_keeps_newlines_and_quotes_inside_cells(tmp_path):
    finding = make_finding(explanation='Line one,\n"line two"')
    row = first_csv_row(finding, tmp_path)
    assert row["explanation"] == 'Line one,\n"line two"'


@pytest.mark.parametrize("column", ["flag_note", "flag_by"])
@pytest.mark.parametrize("prefix", DANGEROUS)
def test_csv_neutralizes_formula_decision_text(tmp_path, prefix, column):
    value = prefix + 'HYPERLINK("https://example.org")'
    row = first_csv_row(make_finding(**{column: value}), tmp_path)
    assert row[column] == "'" + value
    assert restore_cell(row[column]) == value


def test_csv_writes_the_decision_columns(tmp_path):
    finding = make_finding(
        flag_status="disputed",
        flag_note="Reference is stale",
        flag_by="ana",
        flagged_at="2024-05-02",
    )
    row = first_csv_row(finding, tmp_path)
    assert [row[c] for c in ("flag_status", "flag_note", "flag_by", "flagged_at")] == [
        "disputed",
        "Reference is stale",
        "ana",
        "2024-05-02",
    ]


def test_jsonl_keeps_the_decision_note_as_written(tmp_path):
    finding = make_finding(flag_status="dismissed", flag_note="=not a claim")
    record = json.loads(write_reports([finding], tmp_path).jsonl.read_text(encoding="utf-8"))
    assert (record["flag_status"], record["flag_note"]) == ("dismissed", "=not a claim")


# neutralize_cell / restore_cell


@pytest.mark.parametrize("prefix", DANGEROUS)
def test_neutralize_cell_prefixes_an_apostrophe(prefix):
    assert neutralize_cell(prefix + "A1") == "'" + prefix + "A1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("plain", "plain"),
        ("1-2", "1-2"),
        (" =A1", "' =A1"),  # OWASP: leading whitespace does not hide a formula
        ("'quoted", "'quoted"),
        ("'=A1", "''=A1"),
        ("''-1", "'''-1"),
    ],
)
def test_neutralize_cell_cases(value, expected):
    assert neutralize_cell(value) == expected


@pytest.mark.parametrize(
    "value",
    ["", "plain", "'", "'quoted", "=SUM(A1)", "+1", "-1", "@cmd", "\tx", "\rx", "'=A1", "''+1"],
)
def test_restore_cell_inverts_neutralize_cell(value):
    assert restore_cell(neutralize_cell(value)) == value


dangerous_text = st.text(alphabet=st.sampled_from(["'", *DANGEROUS, "a", " ", "1"])) | st.text()


@given(dangerous_text)
def test_restore_cell_inverts_neutralize_cell_for_any_text(value):
    assert restore_cell(neutralize_cell(value)) == value


@given(dangerous_text)
def test_neutralized_cell_never_starts_with_a_formula_character(value):
    assert not neutralize_cell(value).startswith(DANGEROUS)


# JSONL


def test_jsonl_records_have_finding_columns_in_order(tmp_path):
    paths = write_reports([make_finding("f1"), make_finding("f2")], tmp_path)
    records = [json.loads(line) for line in paths.jsonl.read_text(encoding="utf-8").splitlines()]
    assert [list(record) for record in records] == [list(FINDING_COLUMNS)] * 2


def test_jsonl_keeps_types_and_is_not_neutralized(tmp_path):
    finding = make_finding(claimed_value="=1+1", sentence="Zürich has 120 bridges.")
    record = json.loads(write_reports([finding], tmp_path).jsonl.read_text(encoding="utf-8"))
    assert record["claimed_value"] == "=1+1"
    assert record["sentence"] == "Zürich has 120 bridges."
    assert record["start"] == finding.start
    assert record["confidence"] == 0.88


# order


def test_sort_findings_puts_discrepancies_first_then_article_then_input_order():
    findings = [
        make_finding("s1", verdict="supported", article="a1"),
        make_finding("u1", verdict="unverified", article="a1"),
        make_finding("o2", verdict="outdated", article="a2"),
        make_finding("c2", verdict="contradicted", article="a2"),
        make_finding("c1", verdict="contradicted", article="a1"),
        make_finding("o1", verdict="outdated", article="a1"),
    ]
    order = [finding.finding_id for finding in sort_findings(findings)]
    assert order == ["c1", "o1", "o2", "c2", "u1", "s1"]


def test_sort_findings_rejects_an_unknown_verdict():
    with pytest.raises(ValueError, match="unknown verdict 'maybe'"):
        sort_findings([make_finding(verdict="maybe")])


def test_sort_findings_rejects_an_unknown_flag_status():
    with pytest.raises(ValueError, match="unknown flag_status 'Confirmed'"):
        sort_findings([make_finding(flag_status="Confirmed")])


@pytest.mark.parametrize("flag_status", ["", *FLAG_STATUSES])
def test_sort_findings_accepts_each_flag_status(flag_status):
    assert sort_findings([make_finding(flag_status=flag_status)])[0].flag_status == flag_status


def test_csv_rows_follow_report_order(tmp_path):
    findings = [make_finding("s", verdict="supported"), make_finding("c", verdict="contradicted")]
    rows = read_csv(write_reports(findings, tmp_path).csv)
    assert [row[0] for row in rows[1:]] == ["c", "s"]


# write_reports and atomic_write


def test_write_reports_creates_the_folder_and_returns_the_paths(tmp_path):
    out_dir = tmp_path / "nested" / "reports"
    paths = write_reports([], out_dir)
    assert paths == ReportPaths(
        csv=out_dir / "findings.csv",
        jsonl=out_dir / "findings.jsonl",
        html=out_dir / "report.html",
    )
    assert all(path.is_file() for path in dataclasses.astuple(paths) if path is not None)


def test_write_reports_consumes_a_one_shot_iterator(tmp_path):
    paths = write_reports(iter([make_finding()]), tmp_path)
    assert len(read_csv(paths.csv)) == 2
    assert len(paths.jsonl.read_text(encoding="utf-8").splitlines()) == 1


def test_atomic_write_replaces_the_file(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")
    with atomic_write(path) as handle:
        handle.write("new")
    assert path.read_text(encoding="utf-8") == "new"
    assert list(tmp_path.iterdir()) == [path]


def test_atomic_write_keeps_the_old_file_on_exception(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(path) as handle:
        handle.write("half")
        raise RuntimeError("boom")
    assert path.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [path]


def test_atomic_write_creates_nothing_on_exception(tmp_path):
    with pytest.raises(RuntimeError), atomic_write(tmp_path / "new.txt"):
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


# HTML


def section_ids(doc: lxml.html.HtmlElement) -> list[str]:
    return [section.get("id") for section in doc.iter("section")]


def rows_in(doc: lxml.html.HtmlElement, section_id: str) -> list[lxml.html.HtmlElement]:
    return doc.xpath(f"//section[@id='{section_id}']//tbody/tr")


def test_html_discrepancies_section_precedes_unverified_and_supported():
    ids = section_ids(page_for(make_finding(), make_finding("s", verdict="supported")))
    assert ids.index("discrepancies") < ids.index("unverified") < ids.index("supported")


@pytest.mark.parametrize(
    ("verdict", "section_id"),
    [
        ("contradicted", "discrepancies"),
        ("outdated", "discrepancies"),
        ("unverified", "unverified"),
        ("supported", "supported"),
    ],
)
def test_html_finding_row_lands_in_its_section(verdict, section_id):
    rows = rows_in(page_for(make_finding(verdict=verdict)), section_id)
    assert [(row.get("data-verdict"), row.get("data-article")) for row in rows] == [(verdict, "a1")]


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        ("The town has 120 bridges.", "120 bridges"),
        ("120 bridges span the river.", "120 bridges"),
        ("The river has 120 bridges", "120 bridges"),
        ("Fish & chips cost <5> pounds.", "<5>"),
    ],
)
def test_html_mark_holds_exactly_the_claim(sentence, claim):
    doc = page_for(make_finding(sentence=sentence, claim=claim))
    (cell,) = doc.xpath("//td[contains(concat(' ', @class, ' '), ' sentence ')]")
    assert [mark.text_content() for mark in cell.iter("mark")] == [claim]
    assert cell.text_content() == sentence


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [(-4, 3, ("", "abc", "def")), (4, 99, ("abcd", "ef", "")), (5, 2, ("abcde", "", "f"))],
)
def test_split_sentence_clamps_offsets(start, end, expected):
    assert split_sentence("abcdef", start, end) == expected


def test_html_sentence_markup_and_template_syntax_stay_text():
    sentence = "<script>alert(1)</script> {{ 7*7 }} says 120 bridges."
    doc = page_for(make_finding(sentence=sentence, claimed_value="{{ 7*7 }}"))
    assert len(doc.xpath("//script")) == 1
    (cell,) = doc.xpath("//td[contains(concat(' ', @class, ' '), ' sentence ')]")
    assert cell.text_content() == sentence
    assert (
        doc.xpath("//dd[contains(concat(' ', @class, ' '), ' claimed ')]")[0].text_content()
        == "{{ 7*7 }}"
    )
    assert "49" not in cell.text_content()


@pytest.mark.parametrize(
    "source",
    ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,hi", "claims/facts.csv", ""],
)
def test_html_source_that_is_not_http_is_plain_text(source):
    doc = page_for(make_finding(source=source))
    (cell,) = doc.xpath("//dd[contains(concat(' ', @class, ' '), ' source ')]")
    assert cell.xpath(".//a") == []
    assert cell.text_content() == source


@pytest.mark.parametrize("source", ["https://example.org/a?b=1&c=2", "http://example.org/"])
def test_html_http_source_is_a_link(source):
    doc = page_for(make_finding(source=source))
    (link,) = doc.xpath("//dd[contains(concat(' ', @class, ' '), ' source ')]//a")
    assert link.get("href") == source
    assert link.text_content() == "example.org"  # the site; the href carries the page


@pytest.mark.parametrize(
    "findings",
    [
        [],
        [make_finding()],
        [
            make_finding("d", flag_status="disputed", flag_note="<script>x</script>"),
            make_finding("x", flag_status="dismissed"),
        ],
    ],
)
def test_html_csp_hash_matches_the_inline_script(findings):
    doc = page_for(*findings)
    (meta,) = doc.xpath("//meta[@http-equiv='Content-Security-Policy']")
    (script,) = doc.xpath("//script")
    digest = base64.b64encode(hashlib.sha256(script.text.encode("utf-8")).digest()).decode()
    policy = dict(part.strip().split(" ", 1) for part in meta.get("content").split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == f"'sha256-{digest}'"


def test_html_script_is_the_same_whatever_the_findings():
    scripts = {
        parse(render_html(sort_findings(findings))).xpath("//script")[0].text
        for findings in (
            [],
            [make_finding()],
            [make_finding(sentence="a {{ x }} 120 bridges")],
            [make_finding(flag_status="disputed", flag_note="{{ x }}", fact_id="F9")],
        )
    }
    assert len(scripts) == 1


def test_html_script_does_not_use_inner_html():
    script = page_for(make_finding()).xpath("//script")[0].text
    assert "innerHTML" not in script
    assert "outerHTML" not in script


def test_html_loads_nothing_external():
    doc = page_for(make_finding(source="https://example.org/a"), make_finding("b", source="x.csv"))
    assert doc.xpath("//*[@src]") == []
    assert doc.xpath("//link") == []
    for element in doc.xpath("//*[@href]"):
        href = element.get("href")
        assert href.startswith("#") or (
            element.tag == "a"
            and "source-link" in element.classes
            and element.text == urlsplit(href).hostname
        )


def test_html_has_viewport_meta():
    doc = page_for(make_finding())
    assert doc.xpath("//meta[@name='viewport']/@content") == ["width=device-width, initial-scale=1"]


def test_html_lists_skipped_inputs():
    skipped = [
        Skipped(source="notes.docx", reason="unsupported format"),
        Skipped("a.html", "empty"),
    ]
    doc = page_for(make_finding(), skipped=skipped)
    rows = doc.xpath("//section[@id='skipped']//tbody/tr")
    assert [[cell.text_content() for cell in row] for row in rows] == [
        ["notes.docx", "unsupported format"],
        ["a.html", "empty"],
    ]


def test_html_summary_counts_each_verdict_with_text():
    doc = page_for(make_finding("c1"), make_finding("c2"), make_finding("s", verdict="supported"))
    items = {
        item.get("data-verdict"): re.sub(r"\s+", " ", item.text_content()).strip()
        for item in doc.xpath("//ul[@class='strip']/li")
    }
    assert items["contradicted"].endswith("Contradicted2")
    assert items["supported"].endswith("Supported1")
    assert items["outdated"].endswith("Outdated0")


def test_html_chart_has_one_bar_per_verdict_scaled_to_the_largest():
    doc = page_for(make_finding("c1"), make_finding("c2"), make_finding("s", verdict="supported"))
    bars = {bar.get("data-verdict"): bar for bar in doc.xpath("//svg//g[@data-verdict]")}
    widths = {verdict: float(bar.xpath(".//rect")[0].get("width")) for verdict, bar in bars.items()}
    assert list(widths) == ["contradicted", "outdated", "unverified", "supported"]
    assert widths["supported"] * 2 == widths["contradicted"]
    assert widths["outdated"] == 0


def test_html_article_table_counts_verdicts_per_article():
    doc = page_for(
        make_finding("a", article="a1"),
        make_finding("b", article="a1", verdict="supported"),
        make_finding("c", article="a2", verdict="unverified", published="2023-12-31"),
    )
    rows = doc.xpath("//section[@id='articles']//tbody/tr")
    cells = [[cell.text_content() for cell in row] for row in rows]
    assert cells == [
        ["a1Bridges of Exampletown", "2024-03-01", "1", "0", "0", "1", "2"],
        ["a2Bridges of Exampletown", "2023-12-31", "0", "0", "1", "0", "1"],
    ]


def test_html_article_filter_offers_each_article_once():
    doc = page_for(make_finding("a", article="b2"), make_finding("b", article="a1"), make_finding())
    options = doc.xpath("//select[@id='filter-article']/option/@value")
    assert options == ["", "a1", "b2"]


def test_html_controls_cover_verdict_article_and_search():
    doc = page_for(make_finding())
    boxes = doc.xpath("//input[@type='checkbox'][@name='verdict']/@value")
    assert boxes == ["contradicted", "outdated", "unverified", "supported"]
    assert doc.xpath("//input[@type='search'][@id='filter-search']")
    assert len(doc.xpath("//section[@id='discrepancies']//th//button[@class='sort']")) == 7


def test_html_header_shows_the_run():
    doc = page_for(make_finding(), run=RUN)
    header = doc.xpath("//header")[0].text_content()
    assert RUN.started in header
    assert RUN.model in header
    assert RUN.reference_digest[:12] in header


def test_html_row_shows_the_finding_fields():
    doc = page_for(make_finding())
    (row,) = rows_in(doc, "discrepancies")
    labels = [
        th.text_content().strip() for th in doc.xpath("//section[@id='discrepancies']//thead//th")
    ]
    cells = {label: cell.text_content().strip() for label, cell in zip(labels, row, strict=False)}
    assert cells == {
        "Verdict": "✗ Contradicted",
        "Article": "a1Bridges of Exampletown",
        "Sentence": "The town has 120 bridges.",
        "Correction": "The reference says 80 bridges.",
        "Decision": "Open",
        "Confidence": "0.88",
        "Finding": "f1Copy",
    }
    details = {
        dt.text_content(): dt.getnext().text_content()
        for dt in row.xpath("./td[@class='more']//dt")
    }
    assert details == {
        "As of": "2024-03-01",
        "Claimed": "120",
        "Reference": "80",
        "Fact": "F001",
        "Source": "example.org https://example.org/bridges",
    }


def test_html_written_by_write_reports_parses(tmp_path):
    paths = write_reports([make_finding()], tmp_path, run=RUN)
    doc = parse(paths.html.read_text(encoding="utf-8"))
    assert doc.xpath("//title")[0].text == "Fact-check report"


# HTML: editors' decisions


def disputed(finding_id: str, fact_id: str = "F001", note: str = "", **changes: object) -> Finding:
    return make_finding(
        finding_id, flag_status="disputed", flag_note=note, fact_id=fact_id, **changes
    )


def decision_cell(doc: lxml.html.HtmlElement, finding_id: str = "f1") -> lxml.html.HtmlElement:
    (cell,) = doc.xpath(
        f"//section[@id!='disputed']//tr[@data-finding-id='{finding_id}']"
        "/td[contains(concat(' ', @class, ' '), ' decision ')]"
    )
    return cell


def ids_in(doc: lxml.html.HtmlElement, section_id: str) -> list[str]:
    return [row.get("data-finding-id") for row in rows_in(doc, section_id)]


def squeeze(element: lxml.html.HtmlElement) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


@pytest.mark.parametrize(
    ("flag_status", "flag"),
    [
        ("", "open"),
        ("open", "open"),
        ("confirmed", "confirmed"),
        ("disputed", "disputed"),
        ("dismissed", "dismissed"),
    ],
)
def test_html_row_carries_its_decision_as_data_flag(flag_status, flag):
    doc = page_for(make_finding(flag_status=flag_status))
    assert [row.get("data-flag") for row in rows_in(doc, "discrepancies")] == [flag]


@pytest.mark.parametrize(
    ("flag_status", "badge"),
    [
        ("", "Open"),
        ("confirmed", "Confirmed"),
        ("disputed", "Disputed"),
        ("dismissed", "Dismissed"),
    ],
)
def test_html_decision_cell_shows_a_badge_with_text(flag_status, badge):
    cell = decision_cell(page_for(make_finding(flag_status=flag_status)))
    (span,) = cell.find_class("flag")
    assert span.text_content() == badge
    assert f"flag-{badge.lower()}" in span.classes


def test_html_decision_cell_shows_note_who_and_when():
    finding = make_finding(
        flag_status="confirmed",
        flag_note="Correction sent.",
        flag_by="ana",
        flagged_at="2024-05-02",
    )
    cell = decision_cell(page_for(finding))
    assert [span.text_content() for span in cell.iter("span")] == [
        "Confirmed",
        "Correction sent.",
        "by ana, 2024-05-02",
    ]


def test_html_decision_cell_without_a_decision_shows_only_the_open_badge():
    cell = decision_cell(page_for(make_finding()))
    assert [span.text_content() for span in cell.iter("span")] == ["Open"]


@pytest.mark.parametrize("column", ["flag_note", "flag_by", "flagged_at"])
def test_html_decision_markup_and_template_syntax_stay_text(column):
    value = "<script>alert(1)</script> {{ 7*7 }} <b>x</b>"
    doc = page_for(make_finding(flag_status="disputed", **{column: value}))
    assert len(doc.xpath("//script")) == 1
    assert doc.xpath("//b") == []
    cells = doc.xpath("//td[contains(concat(' ', @class, ' '), ' decision ')]")
    assert len(cells) == 2  # the Discrepancies row and its copy in Disputed
    assert all(value in cell.text_content() for cell in cells)
    assert all("49" not in cell.text_content() for cell in cells)


@pytest.mark.parametrize(
    ("flag_status", "dismissed"),
    [("dismissed", True), ("", False), ("confirmed", False), ("disputed", False)],
)
def test_html_only_dismissed_rows_have_the_dismissed_class(flag_status, dismissed):
    (row,) = rows_in(page_for(make_finding(flag_status=flag_status)), "discrepancies")
    assert ("dismissed" in row.classes) is dismissed


@pytest.mark.parametrize(
    ("verdict", "section_id"),
    [("contradicted", "discrepancies"), ("unverified", "unverified"), ("supported", "supported")],
)
def test_html_dismissed_finding_stays_in_its_verdict_section(verdict, section_id):
    doc = page_for(make_finding(verdict=verdict, flag_status="dismissed"))
    assert ids_in(doc, section_id) == ["f1"]


def test_html_disputed_section_follows_discrepancies():
    ids = section_ids(page_for(make_finding()))
    assert ids.index("discrepancies") + 1 == ids.index("disputed")
    assert ids.index("disputed") < ids.index("unverified")


def test_html_disputed_section_lists_exactly_the_disputed_findings_in_report_order():
    doc = page_for(
        disputed("s", verdict="supported"),
        make_finding("c", flag_status="confirmed"),
        disputed("o", verdict="outdated"),
        make_finding("x", flag_status="dismissed"),
        make_finding("n"),
        disputed("u", verdict="unverified"),
    )
    assert ids_in(doc, "disputed") == ["o", "u", "s"]
    assert {row.get("data-flag") for row in rows_in(doc, "disputed")} == {"disputed"}
    assert ids_in(doc, "discrepancies") == ["c", "o", "x", "n"]


def test_html_disputed_row_is_the_same_as_in_its_verdict_section():
    doc = page_for(disputed("d", note="Old figure", flag_by="ana"))
    (copy,) = rows_in(doc, "disputed")
    (original,) = rows_in(doc, "discrepancies")
    assert lxml.html.tostring(copy) == lxml.html.tostring(original)


def test_html_disputed_section_says_none_when_nothing_is_disputed():
    doc = page_for(make_finding(flag_status="confirmed"))
    assert rows_in(doc, "disputed") == []
    assert doc.xpath("//section[@id='disputed']/p[@class='none']/text()") == ["None."]


def test_html_summary_counts_each_decision():
    doc = page_for(
        disputed("d1"),
        disputed("d2", verdict="supported"),
        make_finding("x", flag_status="dismissed"),
        make_finding("o1", flag_status="open"),
        make_finding("o2"),
    )
    strip = doc.xpath("//ul[contains(@class, 'decisions')]/li")
    assert {item.get("data-flag"): squeeze(item) for item in strip} == {
        "confirmed": "Confirmed0",
        "disputed": "Disputed2",
        "dismissed": "Dismissed1",
        "open": "Open2",
    }


def test_html_controls_offer_a_checked_box_per_decision():
    doc = page_for(make_finding())
    boxes = doc.xpath("//div[@id='controls']//input[@type='checkbox'][@name='flag']")
    assert [box.get("value") for box in boxes] == list(FLAG_STATUSES)
    assert all(box.checked for box in boxes)


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ([make_finding("c1"), make_finding("c2")], "2 discrepancies"),
        ([make_finding("c1")], "1 discrepancy"),
        ([make_finding(verdict="supported")], "0 discrepancies"),
        (
            [
                make_finding("c1", flag_status="dismissed"),
                make_finding("o1", verdict="outdated", flag_status="dismissed"),
                make_finding("c2", flag_status="disputed"),
                make_finding("s1", verdict="supported", flag_status="dismissed"),
            ],
            "3 discrepancies (2 dismissed)",
        ),
    ],
)
def test_html_header_counts_discrepancies_and_the_dismissed_ones(findings, expected):
    (count,) = page_for(*findings).xpath("//header//span[@class='discrepancy-count']")
    assert squeeze(count) == expected


def disputed_fact_rows(doc: lxml.html.HtmlElement) -> list[tuple[str, str, list[str], str]]:
    rows = doc.xpath("//section[@id='disputed-facts']//tbody/tr")
    return [
        (
            row.xpath("./td[@class='fact']")[0].text_content(),
            row.find_class("count")[0].text_content(),
            [item.text_content() for item in row.xpath(".//ul[@class='notes']/li")],
            "".join(more.text_content() for more in row.find_class("more")),
        )
        for row in rows
    ]


def test_html_most_disputed_facts_count_and_order_by_count_then_fact_id():
    doc = page_for(
        disputed("a", "F2", "a2"),
        disputed("b", "F1", "b1"),
        disputed("c", "F3", "c3", verdict="supported"),
        disputed("d", "F2", "d2", verdict="unverified"),
        disputed("e", "F9"),
        disputed("f", "F1", "f1"),
        disputed("g", "F9"),
        disputed("h", "F9", "h9"),
    )
    assert disputed_fact_rows(doc) == [
        ("F9", "3", ["h9"], ""),
        ("F1", "2", ["b1", "f1"], ""),
        ("F2", "2", ["a2", "d2"], ""),
        ("F3", "1", ["c3"], ""),
    ]


def test_html_most_disputed_facts_count_only_disputed_findings_with_a_fact():
    doc = page_for(
        disputed("a", "F1"),
        disputed("b", ""),
        make_finding("c", fact_id="F2", flag_status="confirmed"),
        make_finding("d", fact_id="F3", flag_status="dismissed"),
        make_finding("e", fact_id="F4"),
    )
    assert disputed_fact_rows(doc) == [("F1", "1", [], "")]


@pytest.mark.parametrize(("notes", "more"), [(1, ""), (5, ""), (6, "+1 more"), (9, "+4 more")])
def test_html_most_disputed_facts_show_at_most_five_notes(notes, more):
    doc = page_for(*(disputed(f"d{i}", note=f"note {i}") for i in range(notes)))
    assert disputed_fact_rows(doc) == [
        ("F001", str(notes), [f"note {i}" for i in range(min(notes, 5))], more)
    ]


def test_html_most_disputed_facts_leave_out_empty_notes_but_count_their_findings():
    doc = page_for(disputed("a", note="stale"), disputed("b"), disputed("c", note="  "))
    assert disputed_fact_rows(doc) == [("F001", "3", ["stale"], "")]


def test_html_most_disputed_fact_notes_are_escaped():
    note = "<script>alert(1)</script> {{ 7*7 }} & <i>x</i>"
    doc = page_for(disputed("d", note=note))
    assert len(doc.xpath("//script")) == 1
    assert doc.xpath("//i") == []
    assert disputed_fact_rows(doc)[0][2] == [note]


def test_html_most_disputed_facts_say_so_when_there_are_none():
    doc = page_for(make_finding(flag_status="confirmed"), disputed("d", ""))
    assert disputed_fact_rows(doc) == []
    assert doc.xpath("//section[@id='disputed-facts']/p[@class='none']/text()") == [
        "No reference fact is disputed."
    ]


def test_large_runs_also_write_parquet(tmp_path, monkeypatch):
    import pandas as pd

    import pipeline.report as report

    monkeypatch.setattr(report, "PARQUET_FROM", 5)
    many = [make_finding(finding_id=f"f{n:03}", verdict="supported") for n in range(12)]
    paths = report.write_reports(lambda: iter(many), tmp_path)
    assert paths.parquet is not None
    frame = pd.read_parquet(paths.parquet)
    assert len(frame) == 12 and list(frame.columns) == list(FINDING_COLUMNS)
    assert frame["start"].dtype.kind == "i"
    few = report.write_reports(many[:3], tmp_path)
    assert few.parquet is None and not (tmp_path / "findings.parquet").exists()


def test_a_large_report_lists_discrepancies_and_counts_the_rest():
    from pipeline.report.html import render_html

    findings = [make_finding(finding_id=f"s{n}", verdict="supported") for n in range(30)]
    findings += [make_finding(finding_id="c1", verdict="contradicted")]
    page = lxml.html.fromstring(render_html(findings, row_limit=10))
    assert page.xpath("//section[@id='discrepancies']//tbody/tr")
    assert not page.xpath("//section[@id='supported']//tbody/tr")
    note = page.xpath("//section[@id='supported']//p[@class='summarised']")[0].text_content()
    assert note.startswith("30 findings")
