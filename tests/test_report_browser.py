"""The flagship report in headless Chromium: no console errors, no network, not blank.

Chromium and chromedriver are Debian's (`apt-get install chromium chromium-driver`), driven
by selenium.  Network requests are read from the DevTools performance log (CDP ``Network``
events) and, as a second guard, every host name resolves to nowhere.  The screenshot is kept:
it is written to ``$NEGOTIATE_ARTEFACTS`` when that is set, else under pytest's tmp dir, and
its path is printed (and copied to ``report/screenshot-top.png`` when that directory exists,
a local artefact never committed).  At a 1280 px window nothing overflows sideways and the
page, its details closed, is under 8,000 px tall.  Without chromium the test is skipped,
unless ``CI`` is set.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from negotiate.reports import report

MODELS = Path(__file__).resolve().parent.parent / "models"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def _require_browser() -> None:
    missing = [n for n, p in (("chromium", CHROMIUM), ("chromedriver", DRIVER)) if p is None]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (PyPI)")
    if missing:
        message = "browser test needs " + ", ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)


@pytest.mark.heavy
def test_flagship_report_in_headless_chromium(tmp_path: Path) -> None:
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    rep = report(MODELS / "us_iran_2025.toml")
    rep.write(tmp_path / "report")
    page = (tmp_path / "report" / "report.html").resolve()

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--window-size=1280,2400",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    try:
        driver.set_window_size(1280, 2400)
        driver.get(page.as_uri())
        text = driver.execute_script("return document.body.innerText")
        svgs = driver.execute_script("return document.querySelectorAll('svg').length")
        layout = driver.execute_script(
            "const d = document.documentElement;"
            "return {inner: window.innerWidth, scroll: d.scrollWidth, client: d.clientWidth,"
            " height: d.scrollHeight,"
            " open: document.querySelectorAll('details[open]').length,"
            " details: document.querySelectorAll('details').length,"
            " wide: Array.from(document.querySelectorAll('.negotiate-report *'))"
            "   .filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0"
            "     && getComputedStyle(e).overflowX !== 'visible').length};"
        )
        shot_dir = Path(os.environ.get("NEGOTIATE_ARTEFACTS", tmp_path))
        shot_dir.mkdir(parents=True, exist_ok=True)
        shot = shot_dir / "us_iran_2025_report.png"
        assert driver.save_screenshot(str(shot))
        print(f"screenshot: {shot}")
        keep = Path(__file__).resolve().parent.parent / "report"
        if keep.is_dir():  # a local artefact for reviewers, never committed
            shutil.copyfile(shot, keep / "screenshot-top.png")
        console = driver.get_log("browser")
        performance = driver.get_log("performance")
    finally:
        driver.quit()

    # the layout at 1280 px: nothing scrolls sideways, and the page with its details closed is
    # short enough to read (the certificate table and the long tables are collapsed)
    assert layout["details"] >= 1 and layout["open"] == 0, layout
    assert layout["scroll"] <= layout["client"], layout
    assert layout["wide"] == 0, layout
    assert layout["height"] < 8000, layout
    print(f"layout at 1280 px: {layout}")
    errors = [e for e in console if e.get("level") == "SEVERE"]
    assert not errors, errors
    requests = []  # (url, document that made it)
    for entry in performance:
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            params = message["params"]
            requests.append((params["request"]["url"], params.get("documentURL", "")))
    ours = [url for url, doc in requests if doc == page.as_uri()]
    assert page.as_uri() in ours, "the DevTools log did not record the page itself"
    fetched = [u for u in ours if u != page.as_uri() and not u.startswith("data:")]
    assert not fetched, fetched
    network = [url for url, _ in requests if url.split(":", 1)[0] in ("http", "https", "ws", "wss")]
    assert not network, network
    assert text.lstrip().startswith(rep.findings.title)
    assert "Summary" in text and "What happens?" in text and "Glossary" in text
    assert "stalemate" in text and len(text) > 3000
    assert svgs == len(rep.figures) >= 2
    from matplotlib.image import imread

    pixels = imread(shot)
    assert pixels.shape[0] > 1000 and float(np.std(pixels)) > 0.01
