"""Tests for how the report fits a screen: widths, word breaks, anchors, finding ids, large runs.

The browser tests drive headless Chromium through Selenium, as tests/test_browser.py does, and
are skipped when selenium, chromium or chromedriver is missing. The tests of how a large run is
split into pages parse the HTML.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import chromium
import factories
import lxml.html
import pytest

from pipeline.errors import FactcheckError
from pipeline.models import FLAGGED, Finding, Skipped
from pipeline.report import ReportPaths, write_reports
from pipeline.report.pages import PAGE_ROWS, PAGES_DIR, page_name, plan_pages

try:
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # the browser tests skip; the tests that parse pages still run
    webdriver = None

CHROMIUM, CHROMEDRIVER = chromium.CHROMIUM, chromium.CHROMEDRIVER

LONG_URL = (
    "https://statistics.ruritania.example/datasets/northern-pact/membership/2024/annual-review/"
    "appendix-b/table-7?format=html&lang=en&revision=2024-03-01T00:00:00Z"
)
COMPOUND = "Northernpactmembershipratificationcommitteechairpersonship"
WIDE_WIDTHS = (1280, 1920)
ALL_WIDTHS = (*WIDE_WIDTHS, 900, 390)
PAGE_BYTES = 1_000_000  # the bound on every file of a large run's report (3,000 articles)
FIRST_RENDER_MS = 3_000  # DOMContentLoaded of a large run's index and first page
LARGE_ARTICLES = 3_000
FINDINGS_PER_ARTICLE = 5
LARGE_MIX = ("contradicted", "outdated", "unverified", "supported", "supported")
LARGE_FLAGS = ("", "", "confirmed", "disputed", "dismissed")

FINDINGS = (
    factories.make_finding(
        "7b90a73958635258",
        verdict="contradicted",
        article="ruritania-budget.html",
        title="Ruritania's budget debate: what the ministers said about the Northern Pact",
        sentence="The finance minister told parliament that the Northern Pact now has 34 "
        "members, up from 31 a year ago, and that Ruritania would host the next summit.",
        claim="34 members",
        claimed_value="34",
        reference_value="32",
        confidence=0.93,
        explanation="The reference lists 32 members of the Northern Pact on 2024-03-01.",
        fact_id="F-NP-members-2024",
        source=LONG_URL,
        flag_status="confirmed",
        flag_note="Correction sent to the desk.",
        flag_by="ana",
        flagged_at="2024-03-02",
    ),
    factories.make_finding(
        "1c2d3e4f5a6b7c8d",
        verdict="outdated",
        article="ruritania-budget.html",
        sentence=f"According to the {COMPOUND} report, Freedonia's population is 4.1 million.",
        claim="4.1 million",
        confidence=0.71,
        explanation="This was true until 2022; the reference gives 4.35 million from 2023.",
        fact_id="F-FR-pop-2023",
        source="claims/facts.csv",
        flag_status="disputed",
        flag_note=f"The {COMPOUND} used the census of 2021.",
        flag_by="sam",
    ),
    factories.make_finding(
        "a1b2c3d4e5f60718",
        verdict="contradicted",
        article=LONG_URL,
        title="",
        sentence="Freedonia joined the Northern Pact in 1994.",
        claim="1994",
        confidence=0.88,
        explanation="The reference says Freedonia joined the Northern Pact in 1996.",
    ),
    factories.make_finding(
        "0f0e0d0c0b0a0908",
        verdict="unverified",
        article="freedonia-harbour.txt",
        sentence="The harbour handles 12 million tonnes a year.",
        claim="12 million tonnes",
        confidence=0.35,
        explanation="The reference has no value of the harbour's tonnage; check it by hand.",
        source="",
        flag_status="dismissed",
        flag_note="Not a claim: a quotation.",
    ),
    factories.make_finding(
        "9988776655443322",
        verdict="supported",
        article="freedonia-harbour.txt",
        sentence="Freedonia, a member of the Northern Pact since 1996, reopened the harbour.",
        claim="a member of the Northern Pact since 1996",
        confidence=0.97,
        explanation="The reference says Freedonia joined the Northern Pact in 1996.",
    ),
    # Enough ordinary findings that the page scrolls well past each section.
    *(
        factories.make_finding(
            f"5566778899aa{n:04x}",
            verdict="contradicted" if n % 2 else "unverified",
            article=f"freedonia-{n:02}.txt",
            sentence="Members of the Northern Pact: Ruritania, Freedonia and Grand Fenwick.",
            claim="Ruritania, Freedonia and Grand Fenwick",
            confidence=0.64,
        )
        for n in range(24)
    ),
)
SKIPPED = (
    Skipped(source="sources/" + "a-very-long-folder-name-" * 5 + "notes.docx", reason="format"),
    Skipped(source="sources/empty.html", reason="empty after cleaning"),
)


def large_findings() -> list[Finding]:
    """3,000 articles with 5 findings each, every verdict and decision among them."""
    findings = []
    for a in range(LARGE_ARTICLES):
        for k in range(FINDINGS_PER_ARTICLE):
            n = a * FINDINGS_PER_ARTICLE + k
            findings.append(
                factories.make_finding(
                    f"{n:016x}",
                    verdict=LARGE_MIX[k],
                    article=f"article-{a:05}.html",
                    title=f"Ruritania news item {a}",
                    sentence=f"In report {n}, officials of Ruritania said the Northern Pact has "
                    f"{20 + k} members and that Freedonia joined in {1990 + k}.",
                    claim=f"{20 + k} members",
                    confidence=(n % 100) / 100,
                    flag_status=LARGE_FLAGS[(a + k) % len(LARGE_FLAGS)],
                    explanation=f"The reference gives {19 + k} members of the Northern Pact.",
                    source=f"https://reference.example/northern-pact/members/{k}",
                )
            )
    return findings


def parse(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(path)).getroot()


def listed_ids(page: lxml.html.HtmlElement, *, copies: bool = False) -> list[str]:
    """The finding ids a page lists, outside (or only inside) the Disputed section."""
    where = "@id='disputed'" if copies else "@id!='disputed'"
    return page.xpath(
        f"//section[{where}]//table[contains(@class, 'findings')]//tr/@data-finding-id"
    )


def html_files(paths: ReportPaths) -> list[Path]:
    return [paths.html, *sorted(paths.pages.iterdir())] if paths.pages else [paths.html]


# Large runs: split into an index and pages


@pytest.fixture(scope="module")
def large() -> list[Finding]:
    return large_findings()


@pytest.fixture(scope="module")
def large_report(tmp_path_factory: pytest.TempPathFactory, large: list[Finding]) -> ReportPaths:
    """The report set of 3,000 articles x 5 findings, written with the default page size."""
    return write_reports(large, tmp_path_factory.mktemp("large"), skipped=SKIPPED)


def test_a_large_run_is_split_into_pages_no_larger_than_the_bound(
    large_report: ReportPaths,
) -> None:
    assert large_report.pages == large_report.html.parent / PAGES_DIR
    files = html_files(large_report)
    assert len(files) > 2
    sizes = {path.name: path.stat().st_size for path in files}
    assert max(sizes.values()) <= PAGE_BYTES, sizes


def test_each_page_lists_at_most_page_rows_findings(large_report: ReportPaths) -> None:
    for path in sorted(large_report.pages.iterdir()):
        page = parse(path)
        assert 0 < len(listed_ids(page)) + len(listed_ids(page, copies=True)) <= PAGE_ROWS


def test_the_pages_list_every_discrepancy_once_and_each_dispute_beside_it(
    large_report: ReportPaths, large: list[Finding]
) -> None:
    listed: Counter[str] = Counter()
    for path in sorted(large_report.pages.iterdir()):
        page = parse(path)
        ids = listed_ids(page)
        listed.update(ids)
        on_page = {f.article for f in large if f.finding_id in set(ids)}
        assert set(listed_ids(page, copies=True)) == {
            f.finding_id for f in large if f.flag_status == "disputed" and f.article in on_page
        }
    # 9,000 unverified and supported findings are over the row limit: counted, not listed.
    assert listed == Counter(f.finding_id for f in large if f.verdict in FLAGGED)


def test_the_index_has_no_findings_table_and_links_every_page(large_report: ReportPaths) -> None:
    index = parse(large_report.html)
    assert index.xpath("//table[contains(@class, 'findings')]") == []
    hrefs = index.xpath("//section[@id='pages']//a/@href")
    assert hrefs == [f"{PAGES_DIR}/{path.name}" for path in sorted(large_report.pages.iterdir())]
    assert index.xpath("//section[@id='skipped']//tbody/tr/td[1]/text()") == [
        item.source for item in SKIPPED
    ]


def test_every_article_links_to_the_page_that_lists_it(large_report: ReportPaths) -> None:
    index = parse(large_report.html)
    links = index.xpath("//section[@id='articles']//td[@class='article']/a")
    assert len(links) == LARGE_ARTICLES
    for link in links[:: LARGE_ARTICLES // 30]:
        target = urlsplit(link.get("href"))
        assert target.fragment == f"article={link.text}"
        page = parse(large_report.html.parent / target.path)
        assert link.text in page.xpath("//select[@id='filter-article']/option/@value")


def test_pages_are_self_contained_with_relative_links(large_report: ReportPaths) -> None:
    for path in html_files(large_report):
        page = parse(path)
        assert page.xpath("//*[@src]") == [] and page.xpath("//link") == []
        assert len(page.xpath("//script")) == 1
        for href in page.xpath("//a[not(contains(@class, 'source-link'))]/@href"):
            target = urlsplit(href)
            assert not target.scheme and not target.netloc, href
            if target.path:
                assert (path.parent / unquote(target.path)).is_file(), href


def test_pages_link_to_the_index_and_their_neighbours(large_report: ReportPaths) -> None:
    names = [path.name for path in sorted(large_report.pages.iterdir())]
    for number, name in enumerate(names, start=1):
        page = parse(large_report.pages / name)
        assert page.xpath("(//nav[@class='pager']//a)[1]/@href") == ["../report.html"]
        previous = page.xpath("//nav[@class='pager']//a[@rel='prev']/@href")
        following = page.xpath("//nav[@class='pager']//a[@rel='next']/@href")
        assert previous == ([names[number - 2]] if number > 1 else [])
        assert following == ([names[number]] if number < len(names) else [])


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ({"a": 3, "b": 3, "c": 3}, [["a", "b"], ["c"]]),
        ({"a": 9, "b": 1}, [["a"], ["b"]]),  # an article larger than a page has its own
        ({"a": 0, "b": 4, "c": 0, "d": 3}, [["a", "b", "c"], ["d"]]),
        ({"b": 1, "a": 1}, [["a", "b"]]),
    ],
)
def test_plan_pages_groups_articles_in_order_up_to_the_page_size(rows, expected) -> None:
    assert plan_pages(rows, page_rows=6) == expected


@pytest.mark.parametrize(
    ("number", "count", "name"), [(1, 7, "page-001.html"), (12, 1200, "page-0012.html")]
)
def test_page_names_sort_in_page_order(number: int, count: int, name: str) -> None:
    assert page_name(number, count) == name


def test_a_report_within_the_page_size_is_one_page(tmp_path: Path) -> None:
    paths = write_reports(FINDINGS, tmp_path, page_rows=len(FINDINGS) + 1)
    assert paths.pages is None and not (tmp_path / PAGES_DIR).exists()
    assert sorted(listed_ids(parse(paths.html))) == sorted(f.finding_id for f in FINDINGS)


def test_a_one_page_report_removes_the_pages_of_an_earlier_split_one(tmp_path: Path) -> None:
    assert write_reports(FINDINGS, tmp_path, page_rows=4).pages is not None
    write_reports(FINDINGS[:2], tmp_path)
    assert not (tmp_path / PAGES_DIR).exists()
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]


def test_a_split_report_replaces_the_earlier_pages_as_a_whole(tmp_path: Path) -> None:
    write_reports(FINDINGS, tmp_path, page_rows=2)
    many = len(list((tmp_path / PAGES_DIR).iterdir()))
    write_reports(FINDINGS, tmp_path, page_rows=20)
    assert len(list((tmp_path / PAGES_DIR).iterdir())) < many
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_failed_write_keeps_the_earlier_pages(tmp_path: Path) -> None:
    write_reports(FINDINGS, tmp_path, page_rows=4)
    (tmp_path / "findings.csv").unlink()
    (tmp_path / "findings.csv").mkdir()  # a folder in the CSV's place: its move fails
    (tmp_path / "findings.csv" / "keep").write_text("x")
    before = snapshot(tmp_path)
    with pytest.raises(FactcheckError, match="cannot write the report"):
        write_reports(FINDINGS[:12], tmp_path, page_rows=3)  # other pages, moved in first
    assert snapshot(tmp_path) == before


# In the browser

# Elements wider than the window, as "tag.class right-edge", for a readable failure.
OVERFLOW_SCRIPT = """
var limit = window.innerWidth + 1;
var wide = [];
document.querySelectorAll('body *').forEach(function (element) {
  var box = element.getBoundingClientRect();
  if (box.width > 0 && box.right > limit) {
    wide.push(element.tagName + '.' + element.className + ' ' + Math.round(box.right));
  }
});
return [document.documentElement.scrollWidth, window.innerWidth, wide.slice(0, 10)];
"""
# Words of prose (letters only, so no hyphen or slash to break at) split across lines.
BROKEN_WORDS_SCRIPT = """
var broken = [];
document.querySelectorAll(arguments[0]).forEach(function (cell) {
  var walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (var node = walker.nextNode(); node; node = walker.nextNode()) {
    var pattern = /[A-Za-z']+/g, match;
    while ((match = pattern.exec(node.data))) {
      if (match[0].length > 20) { continue; }  // a word longer than a column may break
      var range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      if (range.getClientRects().length > 1) { broken.push(match[0]); }
    }
  }
});
return broken;
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The file:// URL of a realistic one-page report."""
    paths = write_reports(FINDINGS, tmp_path_factory.mktemp("layout"), skipped=SKIPPED)
    return paths.html.resolve().as_uri()


@pytest.fixture(scope="module")
def split_report(tmp_path_factory: pytest.TempPathFactory) -> ReportPaths:
    """The realistic report split into pages of at most 8 findings."""
    return write_reports(FINDINGS, tmp_path_factory.mktemp("split"), page_rows=8)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """One headless Chromium for the module, allowed to use the clipboard."""
    if webdriver is None:
        pytest.skip("selenium is not installed (pip install -e '.[dev]')")
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("chromium or chromedriver is not installed (apt: chromium chromium-driver)")
    browser = chromium.start(
        tmp_path_factory.mktemp("chrome-profile"), extra=["--hide-scrollbars"], timeout=30
    )
    browser.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
    )
    try:
        yield browser
    finally:
        browser.quit()


def open_at(driver: webdriver.Chrome, url: str, width: int, height: int = 900) -> None:
    """Load `url` in a viewport of this size (a phone's when narrow)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    driver.get(url)


def open_all_details(driver: webdriver.Chrome) -> None:
    driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")


@pytest.mark.parametrize("details", [False, True], ids=["closed", "open"])
@pytest.mark.parametrize("width", ALL_WIDTHS)
def test_nothing_is_wider_than_the_window(
    driver: webdriver.Chrome, report: str, width: int, details: bool
) -> None:
    open_at(driver, report, width)
    if details:
        open_all_details(driver)
    scroll_width, inner_width, wide = driver.execute_script(OVERFLOW_SCRIPT)
    assert inner_width == width  # a phone did not widen its layout viewport to fit the page
    assert scroll_width <= inner_width
    assert wide == []


@pytest.mark.parametrize("width", (1280, 390))
def test_the_pages_of_a_split_report_fit_the_window(
    driver: webdriver.Chrome, split_report: ReportPaths, width: int
) -> None:
    for path in html_files(split_report)[:3]:
        open_at(driver, path.resolve().as_uri(), width)
        scroll_width, inner_width, wide = driver.execute_script(OVERFLOW_SCRIPT)
        assert (scroll_width, inner_width, wide) == (width, width, []), path.name


@pytest.mark.parametrize("width", (1280, 390))
def test_long_words_and_urls_stay_inside_their_boxes(
    driver: webdriver.Chrome, report: str, width: int
) -> None:
    open_at(driver, report, width)
    open_all_details(driver)
    overflowing = driver.execute_script(
        "return Array.from(document.querySelectorAll("
        "'td, dd, .flag-note, .title, code, .url'), e => e)"
        ".filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow"
        " === 'visible').map(e => e.className + ': ' + e.textContent.slice(0, 40))"
    )
    assert overflowing == []


@pytest.mark.parametrize("width", ALL_WIDTHS)
def test_prose_breaks_only_between_words(driver: webdriver.Chrome, report: str, width: int) -> None:
    open_at(driver, report, width)
    cells = "td.sentence, td.explanation, .title, .flag-note"
    assert driver.execute_script(BROKEN_WORDS_SCRIPT, cells) == []


@pytest.mark.parametrize(
    ("selector", "wrap", "hyphens"),
    [
        ("td.sentence", "break-word", "auto"),
        ("td.explanation", "break-word", "auto"),
        (".flag-note", "break-word", "auto"),
        ("code.finding-id", "anywhere", "manual"),
        ("dd.source", "anywhere", "manual"),
        ("td.article .id", "anywhere", "manual"),
    ],
)
def test_only_ids_and_urls_may_break_anywhere(
    driver: webdriver.Chrome, report: str, selector: str, wrap: str, hyphens: str
) -> None:
    open_at(driver, report, 1280)
    assert driver.execute_script("return document.documentElement.lang") == "en"
    style = driver.execute_script(
        "var s = getComputedStyle(document.querySelector(arguments[0]));"
        " return [s.overflowWrap, s.hyphens, s.wordBreak];",
        selector,
    )
    assert style == [wrap, hyphens, "normal"]


def sticky_bar_bottom(driver: webdriver.Chrome) -> float:
    return driver.execute_script(
        "return document.getElementById('controls').getBoundingClientRect().bottom"
    )


@pytest.mark.parametrize("width", (1280, 900))
@pytest.mark.parametrize("section", ["discrepancies", "disputed", "unverified", "supported"])
def test_a_section_link_lands_below_the_sticky_bar(
    driver: webdriver.Chrome, report: str, section: str, width: int
) -> None:
    open_at(driver, report, width)
    driver.find_element(By.CSS_SELECTOR, f'header nav a[href="#{section}"]').click()
    WebDriverWait(driver, 5).until(lambda d: d.execute_script("return window.scrollY") > 0)
    top = driver.execute_script(
        f"return document.getElementById('{section}').getBoundingClientRect().top"
    )
    assert driver.execute_script(
        "return document.getElementById('controls').getBoundingClientRect().top"
    ) == pytest.approx(0, abs=1)  # the bar is stuck to the top
    assert top >= sticky_bar_bottom(driver)
    at_bottom = driver.execute_script(
        "var e = document.documentElement; return scrollY + innerHeight >= e.scrollHeight - 1"
    )
    assert at_bottom or top <= sticky_bar_bottom(driver) + 16  # just below it


def test_the_skipped_inputs_link_lands_below_the_sticky_bar(
    driver: webdriver.Chrome, report: str
) -> None:
    open_at(driver, report, 1280, height=500)
    driver.find_element(By.CSS_SELECTOR, 'header nav a[href="#skipped"]').click()
    WebDriverWait(driver, 5).until(lambda d: d.execute_script("return window.scrollY") > 0)
    top = driver.execute_script(
        "return document.getElementById('skipped').getBoundingClientRect().top"
    )
    assert top >= sticky_bar_bottom(driver)


def test_the_finding_id_is_visible_monospace_selectable_text(
    driver: webdriver.Chrome, report: str
) -> None:
    open_at(driver, report, 1280)
    rows = driver.find_elements(By.CSS_SELECTOR, "table.findings tbody tr")
    assert rows
    for row in rows[:8]:
        code = row.find_element(By.CSS_SELECTOR, "code.finding-id")
        assert code.is_displayed()
        assert code.text == row.get_attribute("data-finding-id")
        style = driver.execute_script(
            "var s = getComputedStyle(arguments[0]); return [s.fontFamily, s.userSelect];", code
        )
        assert "mono" in style[0].lower() and style[1] == "all"


@pytest.mark.parametrize("width", (1280, 390))
def test_the_copy_button_copies_the_finding_id(
    driver: webdriver.Chrome, report: str, width: int
) -> None:
    open_at(driver, report, width)
    row = driver.find_element(By.CSS_SELECTOR, "section#discrepancies tbody tr:nth-child(2)")
    finding_id = row.get_attribute("data-finding-id")
    button = row.find_element(By.CSS_SELECTOR, "button.copy")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    assert driver.execute_script("return String(window.getSelection())") == finding_id
    WebDriverWait(driver, 5).until(lambda d: button.text == "Copied")
    clipboard = driver.execute_async_script(
        "var done = arguments[0];"
        " navigator.clipboard.readText().then(done, function (e) { done('refused: ' + e); });"
    )
    assert clipboard == finding_id


def test_the_copy_buttons_have_no_inline_handlers(report: str) -> None:
    page = lxml.html.parse(urlsplit(report).path).getroot()
    handlers = [
        (element.tag, name)
        for element in page.iter()
        if isinstance(element.tag, str)
        for name in element.attrib
        if name.lower().startswith("on")
    ]
    assert handlers == []
    assert page.xpath("//button[contains(@class, 'copy')]")


def test_clicking_details_shows_the_values_source_and_fact(
    driver: webdriver.Chrome, report: str
) -> None:
    open_at(driver, report, 1280)
    row = driver.find_element(
        By.CSS_SELECTOR, 'section#discrepancies tr[data-finding-id="7b90a73958635258"]'
    )
    source = row.find_element(By.CSS_SELECTOR, "dd.source")
    assert not source.is_displayed()
    row.find_element(By.CSS_SELECTOR, "td.more summary").click()
    assert source.is_displayed()
    assert LONG_URL in source.text
    assert row.find_element(By.CSS_SELECTOR, "dd.fact").text == "F-NP-members-2024"
    assert row.find_element(By.CSS_SELECTOR, "dd.reference").text == "32"


def test_an_article_link_opens_its_page_filtered_to_it(
    driver: webdriver.Chrome, split_report: ReportPaths
) -> None:
    open_at(driver, split_report.html.resolve().as_uri(), 1280)
    driver.find_element(By.LINK_TEXT, "freedonia-harbour.txt").click()
    WebDriverWait(driver, 5).until(lambda d: PAGES_DIR in d.current_url)
    assert driver.find_element(By.ID, "filter-article").get_attribute("value") == (
        "freedonia-harbour.txt"
    )
    shown = {
        row.get_attribute("data-article")
        for row in driver.find_elements(By.CSS_SELECTOR, "table.findings tbody tr")
        if row.is_displayed()
    }
    assert shown == {"freedonia-harbour.txt"}


def test_filters_and_search_work_on_a_page(
    driver: webdriver.Chrome, split_report: ReportPaths
) -> None:
    first = sorted(split_report.pages.iterdir())[0]
    open_at(driver, first.resolve().as_uri(), 1280)
    rows = driver.find_elements(By.CSS_SELECTOR, "table.findings tbody tr")
    driver.find_element(By.ID, "filter-search").send_keys(rows[0].get_attribute("data-finding-id"))
    assert [row for row in rows if row.is_displayed()] == [rows[0]]


@pytest.mark.parametrize("page", ["report.html", f"{PAGES_DIR}/page-001.html"])
def test_a_large_run_first_renders_in_reasonable_time(
    driver: webdriver.Chrome, large_report: ReportPaths, page: str
) -> None:
    url = (large_report.html.parent / page).resolve().as_uri()
    timings = []
    for _ in range(3):
        open_at(driver, url, 1280)
        WebDriverWait(driver, 30).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )
        time.sleep(0.1)
        timings.append(
            driver.execute_script(
                "return performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
            )
        )
    print(f"{page}: DOMContentLoaded after {timings} ms")
    assert sorted(timings)[1] < FIRST_RENDER_MS, timings
