"""Fixtures shared by the browser tests: one browser context per person, and numbered
screenshots of every page into var/screenshots/."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def shoot(request):
    """shoot(page, "name") saves that page as var/screenshots/<NN>-name.png.

    Each test numbers from its own start (its module's SHOT_START, up to the next start or
    SHOT_END), so the numbers do not depend on which tests run, in which order, or on
    which xdist worker."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    starts, end_of_module = request.module.SHOT_START, request.module.SHOT_END
    start = starts[request.node.originalname]
    end = min(n for n in [*starts.values(), end_of_module] if n > start)
    numbers = iter(range(start, end))

    def _shoot(page: Page, name: str) -> Path:
        page.wait_for_load_state("load")
        number = next(numbers, None)
        assert number is not None, f"{request.node.originalname} took more screenshots than its block"
        path = SCREENSHOTS / f"{number:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shoot


@pytest.fixture
def new_page(browser: Browser):
    """new_page() opens a page in a browser context of its own: one person's browser."""
    contexts = []

    def _new_page() -> Page:
        context = browser.new_context()
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()
