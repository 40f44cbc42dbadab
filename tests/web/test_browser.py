"""Both journeys in a real browser: Debian's chromium driven by Playwright, the app under uvicorn.

A victim files a statement in Kazakh with a screenshot and gets a number; an investigator logs in,
registers the case, sees the fraud finding and a linked case, and verifies custody. With
``TERGEU_SCREENSHOTS=1`` the pages are also saved to ``docs/screenshots/`` for the README.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import PASSWORD, other_statement
from tests.web.helpers import KK_FORM, png

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (os.path.exists(CHROMIUM) or shutil.which("chromium")), reason="Debian chromium not installed"
    ),
]


def _classifier_double(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the messages area's classifier when installed; otherwise a test double with its contract."""
    try:
        import tergeu.messages.classify  # noqa: F401

        return
    except ImportError:
        pass

    def classify_text(text: str) -> Any:
        hit = any(w in text.lower() for w in ("код", "code"))
        return types.SimpleNamespace(
            verdict="fraud" if hit else "legit",
            score=0.9 if hit else 0.05,
            scheme="otp_request" if hit else None,
            lang="kk",
            cues=[{"text": "asks for the SMS code", "span": [0, 1]}] if hit else [],
        )

    mod = types.ModuleType("tergeu.messages.classify")
    mod.classify_text = classify_text  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tergeu.messages.classify", mod)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    import uvicorn

    from tergeu.db import session_scope
    from tergeu.web.accounts import create_user
    from tergeu.web.app import create_app
    from tergeu.web.portal import file_statement

    _classifier_double(monkeypatch)
    with session_scope() as s:
        create_user(s, "aseitkali", PASSWORD, "investigator", full_name="Lt. A. Seitkali")
        file_statement(s, other_statement(), [], "127.0.0.1")  # shares the phone number: a linked case
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="kk-KZ")
        context.set_default_timeout(15_000)
        yield context.new_page()
        context.close()
        browser.close()


def _shot(page: Any, name: str, tmp_path: Path) -> None:
    if os.environ.get("TERGEU_SCREENSHOTS") != "1":
        page.screenshot(path=str(tmp_path / f"{name}.png"))
        return
    import io

    from PIL import Image

    SHOTS.mkdir(parents=True, exist_ok=True)
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB").quantize(colors=96)
    image.save(SHOTS / f"{name}.png", optimize=True)  # palette PNG: a fraction of the size, same text


def test_victim_and_investigator_journeys(server: str, page: Any, tmp_path: Path) -> None:
    page.goto(f"{server}/?lang=kk")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert "Кибершабуыл" in page.locator("h1").inner_text()
    _shot(page, "01-portal-kk", tmp_path)

    # --- the victim, in Kazakh, with a screenshot
    page.click("#start")
    for field in ("victim_name", "victim_iin", "victim_phone", "description", "messages"):
        page.fill(f"#{field}", str(KK_FORM[field]))
    page.select_option("#channel", "call")
    page.fill("#suspect_value_0", "+7 705 123 45 67")
    page.fill("#tx_amount_0", "185000")
    page.fill("#tx_bank_0", "Kaspi")
    page.fill("#tx_recipient_0", "4400 4301 2345 6789")
    shot = tmp_path / "скриншот.png"
    shot.write_bytes(png(40, 30))
    page.set_input_files("#files", str(shot))
    page.check("#confirm_truth")
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, "02-statement-form-kk", tmp_path)
    page.click("#submit")
    page.wait_for_url("**/statement/done")
    number = page.inner_text("#statement-number")
    assert number.startswith("ST-")
    assert "Арызыңыз қабылданды" in page.inner_text("h1")
    _shot(page, "03-statement-filed-kk", tmp_path)
    page.click("#track-link")
    assert number in page.inner_text("h1")

    # --- the investigator, in Russian
    page.goto(f"{server}/login?lang=ru")
    page.fill("#username", "aseitkali")
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_url("**/work")
    _shot(page, "04-queue-ru", tmp_path)
    page.click(f"text={number}")
    assert "ст. 190 ч. 2 п. 4" in page.inner_text("#suggestions")
    _shot(page, "05-statement-qualification-ru", tmp_path)
    page.fill("#erdr_number", "261750031000123")
    page.click("#register")
    page.wait_for_url("**/work/cases/TG-*")
    assert page.inner_text("#erdr") == "261750031000123"
    assert "190-2-4" in page.inner_text("#articles")
    findings = page.locator("tr.finding[data-kind=fraud_script]")
    assert findings.count() >= 1
    linked = page.inner_text("#linked-cases")
    assert "+77051234567" in linked
    page.click("#verify")
    page.wait_for_load_state()
    assert "Проверено" in page.inner_text("p.flash.ok")
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, "06-case-ru", tmp_path)
    page.goto(page.url.split("#")[0] + "?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    _shot(page, "07-case-en", tmp_path)
