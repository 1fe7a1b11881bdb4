"""Open a one-map HTML page in real headless Chromium with the network blocked (Playwright).

Every request other than the page's own ``file://`` URL is aborted and recorded, console errors
and uncaught exceptions are collected, so a test can assert the page is truly self-contained.
"""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@dataclass
class Visit:
    """What happened while the page was open."""

    page: Any
    requests: list[str] = field(default_factory=list)  # every request but the page itself
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # console errors and page exceptions

    def count(self, key: str) -> int:
        """Features of layer ``key`` drawn on the map (SVG paths with the layer's class)."""
        return int(self.page.evaluate(f"document.querySelectorAll('path.lg-{key}').length"))


def chromium_path() -> str:
    """The system Chromium (installed by deploy/test-system-deps.sh), or skip."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("chromium not installed; deploy/test-system-deps.sh installs it")
    return exe


@contextlib.contextmanager
def open_page(path: Path, *, size: tuple[int, int] = (1400, 900)) -> Iterator[Visit]:
    """Open ``path`` offline and yield the :class:`Visit` once the map says it is ready."""
    from playwright.sync_api import sync_playwright

    url = path.resolve().as_uri()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": size[0], "height": size[1]}, offline=True)
            page = context.new_page()
            visit = Visit(page)

            def route(r: Any) -> None:
                if r.request.url == url:
                    r.continue_()
                else:
                    visit.requests.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.on("requestfailed", lambda req: visit.failed.append(req.url))
            page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: visit.errors.append(str(exc)))
            page.goto(url)
            page.wait_for_selector("body[data-ready='1']", timeout=30_000)
            yield visit
        finally:
            browser.close()
