"""Headless Chromium for the browser tests (Selenium), started one way for all of them."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-sync",
    "--disable-component-update",
    "--window-size=1280,900",
)


def start(
    profile: Path, *, extra: Iterable[str] = (), console_log: bool = False, timeout: float = 15
):
    """A headless Chromium with a fresh profile in `profile`, these `extra` arguments, and
    (with `console_log`) the browser console kept for the test to read."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for argument in (*ARGUMENTS, *extra, f"--user-data-dir={profile}"):
        options.add_argument(argument)
    if console_log:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(timeout)
    return browser
