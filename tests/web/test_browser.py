"""The dashboard in headless Chromium (Debian's, driven by Playwright): sign in, load every page, screenshot."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from conftest import token_for
from digest_data import HOSTILE

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    # Locally a machine without Chromium skips; in CI (CI set) a missing browser is a failure.
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason=f"{CHROMIUM} not installed"
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(app):
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def test_dashboard_in_chromium(server, session_factory, portfolio, tmp_path):
    from playwright.sync_api import sync_playwright

    token = token_for(session_factory, "U0PM", "pm")
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(f"{server}/dashboard/projects/SEPSIS")
            assert "/login" in page.url  # signed out: sent to the login form, remembering where to go
            page.fill("#token", token)
            page.click("button[type=submit]")
            page.wait_for_url(f"{server}/dashboard/projects/SEPSIS")
            cookies = {c["name"]: c for c in page.context.cookies()}
            assert cookies["pmo_session"]["httpOnly"] is True
            assert page.evaluate("document.cookie") == ""  # invisible to scripts

            assert page.locator("h1").inner_text().startswith("SEPSIS")
            register = page.locator("#risk-register tbody tr")
            assert register.count() == 5
            assert register.first.locator("td").first.inner_text() == "SEPSIS-R1"
            assert HOSTILE in page.locator("#risk-register").inner_text()  # shown as text, never run
            heat = page.locator("img.heatmap")
            heat.scroll_into_view_if_needed()
            assert page.evaluate("(img) => img.complete && img.naturalWidth > 300", heat.element_handle())
            page.screenshot(path=str(shots / "project.png"), full_page=True)

            page.click("#risk-register th >> text=Due")  # sort by due date
            page.wait_for_url("**sort=due**")
            assert (
                page.locator("#risk-register tbody tr").first.locator("td").first.inner_text() == "SEPSIS-R1"
            )
            page.select_option("select[name=status]", "closed")
            page.click("form.filters button[type=submit]")
            page.wait_for_url("**status=closed**")
            assert page.locator("#risk-register tbody tr").count() == 1

            page.goto(f"{server}/dashboard")
            assert page.locator("section.card").count() == 2
            assert "Sepsis Early Warning" in page.locator("[data-project=SEPSIS]").inner_text()
            page.screenshot(path=str(shots / "portfolio.png"), full_page=True)

            page.click("text=SEPSIS-R1")
            page.wait_for_url("**/dashboard/risks/SEPSIS-R1")
            assert "Logged SEPSIS-R1" in page.locator("#history").inner_text()
            page.screenshot(path=str(shots / "risk.png"), full_page=True)
            for path, text in (("change-requests/SEPSIS-CR2", "Approved SEPSIS-CR2"),
                               ("milestones/SEPSIS-M4", "Governance review")):  # fmt: skip
                page.goto(f"{server}/dashboard/{path}")
                assert text in page.content()
            page.goto(f"{server}/dashboard/risks/SEPSIS-R5")
            assert HOSTILE in page.locator("h1").inner_text()
            page.screenshot(path=str(shots / "hostile.png"), full_page=True)
            assert dialogs == []  # the hostile title never ran

            page.click("text=Sign out")
            page.goto(f"{server}/dashboard")
            assert "/login" in page.url
        finally:
            browser.close()
    saved = sorted(p.name for p in shots.iterdir())
    assert saved == ["hostile.png", "portfolio.png", "project.png", "risk.png"]
    assert all((shots / n).stat().st_size > 10_000 for n in saved)
    keep = os.environ.get("PMO_SCREENSHOT_DIR")
    if keep:  # handy for a look at them after a run
        for n in saved:
            Path(keep).mkdir(parents=True, exist_ok=True)
            (Path(keep) / n).write_bytes((shots / n).read_bytes())
