"""A real headless browser for the dashboard's tests: Debian's chromium driven by Playwright.

Playwright's synchronous API lives in one thread of its own, so one browser serves every test
of a pytest worker while each test's own event loop runs the bot's server; the tests await
the browser's steps (`Phone.call`) and the server answers meanwhile.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's own browser download does not work here; Debian's chromium, quiet and offline.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
Result = TypeVar("Result")


class Browser:
    """One chromium in one thread; `new_phone` gives a fresh page at phone width."""

    def __init__(self) -> None:
        if not CHROMIUM.exists() and shutil.which("chromium") is None:
            raise RuntimeError(
                "Debian's chromium is missing: `make install` (or `make test`) installs it "
                "with apt-get"
            )
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self.browser: Any = self.thread.submit(self._launch).result(timeout=60)

    def _launch(self) -> Any:
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        return self.playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=FLAGS, headless=True
        )

    async def call(self, step: Callable[[], Result]) -> Result:
        """Run one browser step in the browser's thread while this event loop serves."""
        return await asyncio.wrap_future(self.thread.submit(step))

    async def new_phone(self) -> Phone:
        """A page at phone width that never reaches the internet."""

        def open_page() -> Any:
            context = self.browser.new_context(
                viewport=PHONE, device_scale_factor=2, locale="id-ID"
            )
            # telegram-web-app.js comes from telegram.org in production; tests run without it.
            context.route("http*://**/*", _only_loopback)
            return context.new_page()

        return Phone(self, await self.call(open_page))

    def close(self) -> None:
        """Close the browser and stop its thread."""
        self.thread.submit(self._close).result(timeout=30)
        self.thread.shutdown()

    def _close(self) -> None:
        self.browser.close()
        self.playwright.stop()


def _only_loopback(route: Any) -> None:
    url = route.request.url
    if url.startswith(("http://127.0.0.1", "http://localhost")):
        route.continue_()
    else:
        route.abort()


class Phone:
    """One page of the browser, with the steps the tests take as coroutines."""

    def __init__(self, browser: Browser, page: Any) -> None:
        self.browser = browser
        self.page = page

    async def call(self, step: Callable[[Any], Result]) -> Result:
        """Run `step(page)` in the browser's thread."""
        return await self.browser.call(lambda: step(self.page))

    async def open(self, url: str) -> None:
        """Load `url`."""
        await self.call(lambda page: page.goto(url))

    async def text(self, selector: str) -> str:
        """The visible text of the first element matching `selector` (waits for it)."""
        return str(await self.call(lambda page: page.locator(selector).first.inner_text()))

    async def texts(self, selector: str) -> list[str]:
        """The texts of every element matching `selector` now."""
        return list(await self.call(lambda page: page.locator(selector).all_inner_texts()))

    async def wait_for_text(self, selector: str, text: str) -> None:
        """Wait until the element shows `text`."""
        from playwright.sync_api import expect

        await self.call(lambda page: expect(page.locator(selector).first).to_contain_text(text))

    async def click(self, selector: str) -> None:
        """Tap the first element matching `selector`."""
        await self.call(lambda page: page.locator(selector).first.click())

    async def fill(self, selector: str, value: str) -> None:
        """Type `value` into a field."""
        await self.call(lambda page: page.locator(selector).first.fill(value))

    async def screenshot(self, path: Path) -> None:
        """Save what the phone shows (the viewport) as a PNG."""
        await self.call(lambda page: page.screenshot(path=str(path)))

    async def close(self) -> None:
        """Close the page and its context."""
        await self.call(lambda page: page.context.close())
