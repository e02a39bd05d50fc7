"""Tests for report.html in a real browser: filters, search, sorting, decisions, payloads.

Drives headless Chromium through Selenium. Skipped when selenium, chromium or chromedriver is
missing (CI installs Debian's chromium and chromium-driver, so there they run).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import chromium
import factories
import pytest

from pipeline.models import VERDICTS, Finding
from pipeline.report import write_reports

CHROMIUM, CHROMEDRIVER = chromium.CHROMIUM, chromium.CHROMEDRIVER

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt: chromium)"),
    pytest.mark.skipif(
        CHROMEDRIVER is None, reason="chromedriver is not installed (apt: chromium-driver)"
    ),
]

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')"
)
from selenium.webdriver.common.by import By  # noqa: E402

TITLE = "Fact-check report"
SCRIPT_PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned=2">'
JS_URL_PAYLOAD = "javascript:window.__pwned=3"
CLOSE_SCRIPT_PAYLOAD = "</script><script>document.title='pwned'</script>"
TEMPLATE_PAYLOAD = "{{ 7*7 }}"
PAYLOADS = (SCRIPT_PAYLOAD, IMG_PAYLOAD, JS_URL_PAYLOAD, CLOSE_SCRIPT_PAYLOAD, TEMPLATE_PAYLOAD)
ROWS = "table.findings tbody tr"
WIDTHS = (1280, 390)


def make_finding(finding_id: str, *, confidence: float, **fields: object) -> Finding:
    """A report-test finding with a confidence of its own and this module's title."""
    fields.setdefault("title", "Notes on Exampletown")
    return factories.make_finding(finding_id, confidence=confidence, **fields)


FINDINGS = (
    make_finding(
        "f-contradicted",
        verdict="contradicted",
        article="alpha.txt",
        sentence="The town has 120 bridges.",
        claim="120 bridges",
        confidence=0.91,
        flag_status="confirmed",
        flag_note="Checked against the city archive.",
        flag_by="rita",
        flagged_at="2024-03-02",
    ),
    make_finding(
        "f-outdated",
        verdict="outdated",
        article="alpha.txt",
        sentence=f"{SCRIPT_PAYLOAD} The league has 29 members.",
        claim="29 members",
        confidence=0.55,
        source=JS_URL_PAYLOAD,
        flag_status="disputed",
        flag_note=IMG_PAYLOAD,
        flag_by="sam",
    ),
    make_finding(
        "f-open",
        verdict="contradicted",
        article="beta.html",
        sentence="The canal is 12 km long.",
        claim="12 km",
        confidence=0.72,
        title=TEMPLATE_PAYLOAD,
    ),
    make_finding(
        "f-unverified",
        verdict="unverified",
        article="beta.html",
        sentence=f"The river is 400 km long, says {CLOSE_SCRIPT_PAYLOAD}.",
        claim="400 km",
        confidence=0.3,
        flag_status="dismissed",
        flag_note=f"Not a claim {TEMPLATE_PAYLOAD}",
    ),
    make_finding(
        "f-supported",
        verdict="supported",
        article="beta.html",
        sentence="The harbour opened in 1901 to welcome zebras.",
        claim="1901",
        confidence=0.99,
        source=IMG_PAYLOAD,
    ),
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The file:// URL of a report.html written from FINDINGS."""
    paths = write_reports(FINDINGS, tmp_path_factory.mktemp("report"))
    return paths.html.resolve().as_uri()


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """One headless Chromium for the module, with a fresh profile and the console log kept."""
    browser = chromium.start(tmp_path_factory.mktemp("chrome-profile"), console_log=True)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture
def page(driver: webdriver.Chrome, report: str) -> webdriver.Chrome:
    """The report freshly loaded at desktop width, filters and sorting reset."""
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.get_log("browser")  # drop what earlier tests logged
    driver.get(report)
    return driver


def shown(driver: webdriver.Chrome) -> list[str]:
    """The finding ids of the rows on screen, in page order (Disputed copies included)."""
    return [
        row.get_attribute("data-finding-id")
        for row in driver.find_elements(By.CSS_SELECTOR, ROWS)
        if row.is_displayed()
    ]


def row(driver: webdriver.Chrome, finding_id: str, section: str = "") -> object:
    """The row of one finding, in a given section when it is listed twice."""
    scope = f"section#{section} " if section else ""
    return driver.find_element(By.CSS_SELECTOR, f'{scope}tr[data-finding-id="{finding_id}"]')


def toggle(driver: webdriver.Chrome, name: str, value: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f'#controls input[name="{name}"][value="{value}"]').click()


def test_every_row_is_shown_at_first(page: webdriver.Chrome) -> None:
    assert sorted(set(shown(page))) == sorted(f.finding_id for f in FINDINGS)
    assert page.find_element(By.ID, "filter-shown").text == "5 of 5 findings shown"


@pytest.mark.parametrize("verdict", VERDICTS)
def test_unchecking_a_verdict_hides_its_rows_only(page: webdriver.Chrome, verdict: str) -> None:
    toggle(page, "verdict", verdict)
    expected = {f.finding_id for f in FINDINGS if f.verdict != verdict}
    assert set(shown(page)) == expected
    hidden = [r for r in page.find_elements(By.CSS_SELECTOR, ROWS) if not r.is_displayed()]
    assert hidden
    assert {r.get_attribute("data-verdict") for r in hidden} == {verdict}


def test_checking_a_verdict_again_shows_its_rows(page: webdriver.Chrome) -> None:
    toggle(page, "verdict", "supported")
    toggle(page, "verdict", "supported")
    assert "f-supported" in shown(page)


def test_search_narrows_rows_to_the_matching_sentence(page: webdriver.Chrome) -> None:
    page.find_element(By.ID, "filter-search").send_keys("ZEBRAS")
    assert shown(page) == ["f-supported"]
    assert page.find_element(By.ID, "filter-shown").text == "1 of 5 findings shown"
    assert page.find_element(By.CSS_SELECTOR, "section#discrepancies p.empty").is_displayed()


def test_article_select_keeps_that_articles_rows(page: webdriver.Chrome) -> None:
    page.find_element(By.CSS_SELECTOR, '#filter-article option[value="beta.html"]').click()
    assert set(shown(page)) == {"f-open", "f-unverified", "f-supported"}


def test_unchecking_dismissed_hides_dismissed_rows(page: webdriver.Chrome) -> None:
    toggle(page, "flag", "dismissed")
    assert set(shown(page)) == {f.finding_id for f in FINDINGS} - {"f-unverified"}


def confidences(driver: webdriver.Chrome) -> list[float]:
    cells = driver.find_elements(By.CSS_SELECTOR, "section#discrepancies td.confidence")
    return [float(cell.text) for cell in cells]


def test_clicking_a_header_sorts_ascending_then_descending(page: webdriver.Chrome) -> None:
    header = page.find_element(
        By.XPATH, "//section[@id='discrepancies']//th[button[normalize-space()='Confidence']]"
    )
    header.find_element(By.TAG_NAME, "button").click()
    assert confidences(page) == [0.55, 0.72, 0.91]
    assert header.get_attribute("aria-sort") == "ascending"
    header.find_element(By.TAG_NAME, "button").click()
    assert confidences(page) == [0.91, 0.72, 0.55]
    assert header.get_attribute("aria-sort") == "descending"


@pytest.mark.parametrize(
    ("finding_id", "words"),
    [
        ("f-contradicted", ("Confirmed", "Checked against the city archive.", "by rita")),
        ("f-outdated", ("Disputed", IMG_PAYLOAD, "by sam")),
        ("f-unverified", ("Dismissed", f"Not a claim {TEMPLATE_PAYLOAD}")),
        ("f-open", ("Open",)),
    ],
)
def test_decisions_and_notes_show(
    page: webdriver.Chrome, finding_id: str, words: tuple[str, ...]
) -> None:
    cell = row(page, finding_id).find_element(By.CSS_SELECTOR, "td.decision")
    assert cell.is_displayed()
    for word in words:
        assert word in cell.text


def test_disputed_finding_is_repeated_in_the_disputed_section(page: webdriver.Chrome) -> None:
    assert row(page, "f-outdated", "disputed").is_displayed()
    assert row(page, "f-outdated", "discrepancies").is_displayed()


def test_console_has_no_errors(page: webdriver.Chrome) -> None:
    toggle(page, "verdict", "outdated")
    page.find_element(By.ID, "filter-search").send_keys("km")
    page.find_element(By.CSS_SELECTOR, "section#discrepancies th button.sort").click()
    errors = [entry for entry in page.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


def test_controls_are_revealed_by_the_script(page: webdriver.Chrome) -> None:
    assert page.find_element(By.ID, "controls").is_displayed()


def test_payloads_never_run(page: webdriver.Chrome) -> None:
    assert page.execute_script("return typeof window.__pwned") == "undefined"
    assert page.title == TITLE
    assert page.execute_script("return document.scripts.length") == 1
    assert page.find_elements(By.CSS_SELECTOR, "main img") == []
    assert page.find_elements(By.CSS_SELECTOR, "a[href^='javascript' i]") == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_show_as_text(page: webdriver.Chrome, payload: str) -> None:
    assert payload in page.find_element(By.TAG_NAME, "main").text


def test_claim_is_highlighted_in_its_sentence(page: webdriver.Chrome) -> None:
    cell = row(page, "f-outdated", "discrepancies").find_element(By.CSS_SELECTOR, "td.sentence")
    assert cell.find_element(By.TAG_NAME, "mark").text == "29 members"
    assert cell.text == f"{SCRIPT_PAYLOAD} The league has 29 members."


def set_viewport(driver: webdriver.Chrome, width: int, height: int = 900) -> None:
    """Emulate a viewport of this size (a phone's when narrow)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def test_findings_tables_fit_a_desktop_window(page: webdriver.Chrome) -> None:
    set_viewport(page, 1280)
    page.get(page.current_url)
    overflow = page.execute_script(
        "return Array.from(document.querySelectorAll('table.findings'),"
        " t => t.offsetWidth - t.parentNode.clientWidth)"
    )
    assert overflow
    assert max(overflow) <= 0


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshot_fits_the_width(page: webdriver.Chrome, width: int, tmp_path: Path) -> None:
    set_viewport(page, width)
    page.get(page.current_url)
    height = page.execute_script("return document.documentElement.scrollHeight")
    set_viewport(page, width, min(height, 8000))
    path = tmp_path / f"report-{width}.png"
    assert page.save_screenshot(str(path))
    print(f"screenshot: {path}")
    assert path.stat().st_size > 0
    assert page.execute_script("return document.documentElement.scrollWidth") <= width
