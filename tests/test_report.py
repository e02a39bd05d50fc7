"""Tests for pipeline.report: CSV and JSONL rows, neutralization, atomic writes, the HTML page."""

from __future__ import annotations

import base64
import csv
import dataclasses
import hashlib
import json
import re
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.models import FINDING_COLUMNS, Finding, Skipped
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


def make_finding(
    finding_id: str = "f1",
    *,
    verdict: str = "contradicted",
    article: str = "a1",
    sentence: str = "The town has 120 bridges.",
    claim: str = "120 bridges",
    source: str = "https://example.org/bridges",
    **changes: object,
) -> Finding:
    """A hand-made finding whose claim offsets point at `claim` inside `sentence`."""
    start = sentence.index(claim)
    fields = {
        "finding_id": finding_id,
        "article": article,
        "published": "2024-03-01",
        "as_of": "2024-03-01",
        "sentence": sentence,
        "start": start,
        "end": start + len(claim),
        "claim": claim,
        "entity": "Exampletown",
        "attribute": "bridges",
        "claimed_value": "120",
        "reference_value": "80",
        "verdict": verdict,
        "confidence": 0.8765,
        "fact_id": "F001",
        "source": source,
        "explanation": "The reference says 80 bridges.",
        "kind": "value",
        "title": "Bridges of Exampletown",
        "url": "https://news.example/bridges",
    }
    fields.update(changes)
    return Finding(**fields)


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
        (" =A1", " =A1"),
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
    assert all(path.is_file() for path in dataclasses.astuple(paths))


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
    (cell,) = doc.xpath("//td[@data-label='Sentence']")
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
    (cell,) = doc.xpath("//td[@data-label='Sentence']")
    assert cell.text_content() == sentence
    assert doc.xpath("//td[@data-label='Claimed']")[0].text_content() == "{{ 7*7 }}"
    assert "49" not in cell.text_content()


@pytest.mark.parametrize(
    "source",
    ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,hi", "claims/facts.csv", ""],
)
def test_html_source_that_is_not_http_is_plain_text(source):
    doc = page_for(make_finding(source=source))
    (cell,) = doc.xpath("//td[@data-label='Source']")
    assert cell.xpath(".//a") == []
    assert cell.text_content() == source


@pytest.mark.parametrize("source", ["https://example.org/a?b=1&c=2", "http://example.org/"])
def test_html_http_source_is_a_link(source):
    doc = page_for(make_finding(source=source))
    (link,) = doc.xpath("//td[@data-label='Source']//a")
    assert link.get("href") == source
    assert link.text_content() == source


def test_html_csp_hash_matches_the_inline_script():
    doc = page_for(make_finding())
    (meta,) = doc.xpath("//meta[@http-equiv='Content-Security-Policy']")
    (script,) = doc.xpath("//script")
    digest = base64.b64encode(hashlib.sha256(script.text.encode("utf-8")).digest()).decode()
    policy = dict(part.strip().split(" ", 1) for part in meta.get("content").split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == f"'sha256-{digest}'"


def test_html_script_is_the_same_whatever_the_findings():
    scripts = {
        parse(render_html(sort_findings(findings))).xpath("//script")[0].text
        for findings in ([], [make_finding()], [make_finding(sentence="a {{ x }} 120 bridges")])
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
            element.tag == "a" and "source-link" in element.classes and href == element.text
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
    assert len(doc.xpath("//section[@id='discrepancies']//th//button[@class='sort']")) == 10


def test_html_header_shows_the_run():
    doc = page_for(make_finding(), run=RUN)
    header = doc.xpath("//header")[0].text_content()
    assert RUN.started in header
    assert RUN.model in header
    assert RUN.reference_digest[:12] in header


def test_html_row_shows_the_finding_fields():
    doc = page_for(make_finding())
    (row,) = rows_in(doc, "discrepancies")
    cells = {cell.get("data-label"): cell.text_content().strip() for cell in row}
    assert cells == {
        "Verdict": "✗ Contradicted",
        "Article": "a1Bridges of Exampletown",
        "As of": "2024-03-01",
        "Sentence": "The town has 120 bridges.",
        "Claimed": "120",
        "Reference": "80",
        "Explanation": "The reference says 80 bridges.",
        "Confidence": "0.88",
        "Source": "https://example.org/bridges",
        "Fact": "F001",
    }


def test_html_written_by_write_reports_parses(tmp_path):
    paths = write_reports([make_finding()], tmp_path, run=RUN)
    doc = parse(paths.html.read_text(encoding="utf-8"))
    assert doc.xpath("//title")[0].text == "Fact-check report"
