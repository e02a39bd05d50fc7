"""`factcheck serve` in a real browser: a real uvicorn server (`python -m pipeline serve` in a
subprocess) over a store made by a real `factcheck run` of small fictional articles, driven
by headless Chromium through Selenium. Articles, titles, addresses and notes carry script
payloads; none may run.

Skipped when selenium, chromium or chromedriver is missing. Screenshots of the queue and an
article view at 1280 and 390 px go to /tmp/serve-shots/.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import chromium
import pytest
from click.testing import CliRunner

from pipeline.cli import cli

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
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini_reference"
SHOTS = Path("/tmp/serve-shots")
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
JS_URL = "javascript:window.__pwned=3"
NOTE = '<img src=x onerror="window.__pwned=4"> checked with the Strelsau desk'
EDITOR = "Rita <b>Ruritania</b>"
PACT_TEXT = (
    f"The Northern Pact has 3 members, officials said. It was founded in 1992. {SCRIPT}\n"
    f"Ruritania's Prime Minister Rudolf Rassendyll met Sylvanian envoys. {IMG} Ruritania is "
    "the second largest economy in the region."
)
LEAGUE_TEXT = (
    "The Southern League was founded in 2009. The Southern League has 6 members. "
    "Grand Fenwick joined the Northern Pact in 2007."
)
RECORDS = (
    {
        "id": "pact-news",
        "title": f"Pact grows {SCRIPT}",
        "url": JS_URL,
        "published": "2024-03-01",
        "text": PACT_TEXT,
    },
    {
        "id": "league-notes",
        "title": f"League notes {IMG}",
        "url": "https://news.example/league",
        "published": "2023-05-01",
        "text": LEAGUE_TEXT,
    },
)
SYLVANIA = "The Northern Pact has 5 members, a Sylvanian minister said on Tuesday.\n"
CARDS = "li.finding"
WIDTHS = (1280, 390)


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store made by `factcheck run` over three fictional articles."""
    folder = tmp_path_factory.mktemp("serve-run")
    sources = folder / "sources"
    sources.mkdir()
    batch = "".join(json.dumps(record) + "\n" for record in RECORDS)
    (sources / "batch.jsonl").write_text(batch, encoding="utf-8")
    (sources / "sylvania.txt").write_text(SYLVANIA, encoding="utf-8")
    db = folder / "factcheck.db"
    result = CliRunner().invoke(
        cli,
        [
            *("run", str(sources), "--reference", str(MINI), "--out", str(folder / "out")),
            *("--db", str(db), "--default-date", "2024-06-01"),
        ],
    )
    assert result.exit_code == 1, result.output  # discrepancies found
    return db


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(checked: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(the address, the store) of `factcheck serve` on a copy of the checked store."""
    db = tmp_path / "factcheck.db"
    shutil.copy(checked, db)
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "pipeline", "serve", "--db", str(db)),
            *("--port", str(port), "--reference", str(MINI)),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, server)
        yield url, db
    finally:
        server.terminate()
        try:
            server.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()


def _wait_for(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"factcheck serve stopped: {server.communicate()[1]}")
        try:
            with urllib.request.urlopen(url + "/static/serve.css", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError("factcheck serve did not start in 60 s")


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    browser = chromium.start(
        tmp_path_factory.mktemp("chrome-profile"), console_log=True, timeout=20
    )
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture
def browser(driver: webdriver.Chrome) -> webdriver.Chrome:
    """The browser at desktop width, its log emptied."""
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.get_log("browser")
    return driver


def press(driver: webdriver.Chrome, key: str) -> None:
    ActionChains(driver).send_keys(key).perform()


def cards(driver: webdriver.Chrome) -> list[str]:
    return [
        card.get_attribute("data-finding") for card in driver.find_elements(By.CSS_SELECTOR, CARDS)
    ]


def status_of(driver: webdriver.Chrome, finding_id: str) -> str:
    card = driver.find_element(By.CSS_SELECTOR, f'li.finding[data-finding="{finding_id}"]')
    return card.get_attribute("data-status")


def wait_status(driver: webdriver.Chrome, finding_id: str, status: str) -> None:
    WebDriverWait(driver, 10).until(lambda d: status_of(d, finding_id) == status)


def assert_nothing_ran(driver: webdriver.Chrome) -> None:
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert driver.title != "pwned"
    errors = [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]
    ]
    assert errors == []


def test_the_queue_lists_the_open_discrepancies(browser, served):
    url, _ = served
    browser.get(url + "/")
    assert browser.title == "Queue · factcheck"
    assert len(cards(browser)) == 7  # 5 contradicted and 2 outdated claims, all open
    verdicts = {
        card.find_element(By.CSS_SELECTOR, ".badge").text
        for card in browser.find_elements(By.CSS_SELECTOR, CARDS)
    }
    assert verdicts == {"contradicted", "outdated"}
    assert_nothing_ran(browser)


def test_the_article_view_marks_the_claims_in_the_text(browser, served):
    url, _ = served
    browser.get(url + "/articles/pact-news")
    text = browser.find_element(By.CSS_SELECTOR, ".article-text .text-block")
    assert SCRIPT in text.text and "<img src=x" in text.text  # shown as text
    marks = text.find_elements(By.CSS_SELECTOR, "a.claim")
    assert [m.text for m in marks] == [
        "3 members",
        "founded in 1992",
        "Prime Minister Rudolf Rassendyll",
        "largest economy",
    ]
    marks[1].click()
    selected = browser.find_element(By.CSS_SELECTOR, "li.finding.selected")
    assert selected.get_attribute("data-finding") == marks[1].get_attribute("data-findings")
    assert "active" in marks[1].get_attribute("class")
    address = browser.find_element(By.CSS_SELECTOR, "dl.meta").text
    assert JS_URL in address
    assert not browser.find_elements(By.CSS_SELECTOR, 'a[href^="javascript"]')
    assert_nothing_ran(browser)


def test_an_editor_decides_with_the_keyboard_undoes_and_the_store_keeps_it(
    browser, served, tmp_path
):
    url, db = served
    browser.get(url + "/")
    browser.execute_script("window.localStorage.clear()")
    browser.refresh()
    editor = browser.find_element(By.ID, "editor")
    editor.send_keys(EDITOR)
    first, second, third = cards(browser)[:3]

    # 1. j selects the first finding; a note is typed; c, d and x decide three in turn.
    editor.send_keys(Keys.ESCAPE)
    press(browser, "j")
    note = browser.find_element(By.CSS_SELECTOR, f'li.finding[data-finding="{first}"] .note')
    note.send_keys(NOTE)
    note.send_keys(Keys.ESCAPE)
    press(browser, "c")
    wait_status(browser, first, "confirmed")
    press(browser, "d")
    wait_status(browser, second, "disputed")
    press(browser, "x")
    wait_status(browser, third, "dismissed")

    # 2. u undoes the last one.
    press(browser, "u")
    wait_status(browser, third, "open")
    assert "Undone" in browser.find_element(By.ID, "toast").text

    # 3. After a reload the decisions stand, the note and name shown as text.
    browser.get(url + "/?status=any")
    assert [status_of(browser, fid) for fid in (first, second, third)] == [
        "confirmed",
        "disputed",
        "open",
    ]
    assert browser.find_element(By.ID, "editor").get_attribute("value") == EDITOR
    browser.get(url + f"/findings/{third}")
    history = browser.find_elements(By.CSS_SELECTOR, 'ol[data-role="history"] li')
    assert [item.text.split()[0] for item in history] == ["dismissed", "open"]
    browser.get(url + f"/findings/{first}")
    entry = browser.find_element(By.CSS_SELECTOR, 'ol[data-role="history"] li')
    assert NOTE in entry.get_attribute("textContent") and EDITOR in entry.get_attribute(
        "textContent"
    )
    assert_nothing_ran(browser)

    # 4. The store has them, for `factcheck flags` and `flags export`.
    listed = CliRunner().invoke(cli, ["flags", "--db", str(db)])
    assert listed.exit_code == 0
    lines = {
        line.split()[0]: line.split()[1] for line in listed.stdout.splitlines() if line[:1] != " "
    }
    assert lines == {first: "confirmed", second: "disputed", third: "open"}
    out = tmp_path / "decisions.csv"
    exported = CliRunner().invoke(cli, ["flags", "export", str(out), "--db", str(db)])
    assert exported.exit_code == 0
    rows = {r["finding_id"]: r for r in csv.DictReader(out.read_text("utf-8").splitlines())}
    assert rows[first]["flag_note"] == NOTE and rows[first]["flag_by"] == EDITOR
    assert {fid: rows[fid]["flag_status"] for fid in rows} == lines


def test_slash_focuses_the_search_and_keys_wait_while_typing(browser, served):
    url, _ = served
    browser.get(url + "/")
    press(browser, "/")
    search = browser.switch_to.active_element
    assert search.get_attribute("id") == "search"
    search.send_keys("jcdx")  # typed, not shortcuts
    assert not browser.find_elements(By.CSS_SELECTOR, "li.finding.selected")
    search.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: "q=jcdx" in d.current_url)
    assert cards(browser) == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("name", "path"), [("queue", "/"), ("article", "/articles/pact-news")])
def test_pages_fit_the_screen_and_are_photographed(browser, served, width, name, path):
    url, _ = served
    SHOTS.mkdir(parents=True, exist_ok=True)
    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    browser.get(url + path)
    press(browser, "j")
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0  # nothing sticks out sideways
    browser.save_screenshot(str(SHOTS / f"{name}-{width}.png"))  # the first screen
    height = browser.execute_script("return document.documentElement.scrollHeight")
    whole = {**metrics, "height": min(height, 5000)}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", whole)
    browser.save_screenshot(str(SHOTS / f"{name}-{width}-full.png"))  # the whole page
    assert_nothing_ran(browser)
