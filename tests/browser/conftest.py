"""Fixtures shared by the browser tests: one browser context per person, in the test's
language; axe-core on every page a test visits (tests/browser/a11y.py); numbered
screenshots of every page at desktop and phone width into var/screenshots/.

- ``language``: the language of the people's browsers ("en" unless a test is
  parametrized with another); their browsers carry the portal's language cookie.
- ``axe_audit``: fails the test when a page it opened loaded a document that was never
  audited (``shoot`` and ``audit(page)`` audit).
- ``shoot(page, "name")``: audits the page, saves it at desktop width (1280 px), then at
  phone width (390 px) checks that nothing scrolls sideways and *Sign out* shows whole,
  and saves that too.
"""

from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page

from .a11y import DESKTOP, PHONE, AxeAudit, check_phone_width

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
LANGUAGE_COOKIE = "portal_language"  # settings.LANGUAGE_COOKIE_NAME


@pytest.fixture
def language():
    """The language of the people's browsers; parametrize a test to change it."""
    return "en"


@pytest.fixture(autouse=True)
def _test_language(language):
    """The test reads the portal's texts in its language too (tests/browser/helpers.py's
    ``_``); tests/conftest.py deactivates it afterwards."""
    translation.activate(language)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_passed = report.passed
    return report


@pytest.fixture
def axe_audit(request):
    audit = AxeAudit()
    yield audit
    if getattr(request.node, "call_passed", False):  # a failed test has said enough
        missed = audit.unaudited()
        assert not missed, "Pages visited but never checked by axe-core: " + ", ".join(missed)


def _in_language(page: Page, language: str, request) -> Page:
    if language != "en":
        url = request.getfixturevalue("live_server").url
        page.context.add_cookies([{"name": LANGUAGE_COOKIE, "value": language, "url": url}])
    return page


@pytest.fixture
def csp_violations(request):
    """What the Content-Security-Policy refused on the test's pages (Chromium says it on the
    console): the test fails if anything was, since a refused script or style is a broken page."""
    refused: list[str] = []
    yield refused
    if getattr(request.node, "call_passed", False):
        assert not refused, "Refused by the Content-Security-Policy: " + " | ".join(refused)


def _watch_csp(page: Page, refused: list[str]) -> Page:
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and refused.append(f"{page.url}: {message.text}")
        ),
    )
    return page


@pytest.fixture
def page(page: Page, axe_audit, language, request, csp_violations):
    """pytest-playwright's page, audited, watched for refusals of the policy, in the test's language."""
    return _watch_csp(axe_audit.watch(_in_language(page, language, request)), csp_violations)


@pytest.fixture
def new_page(browser: Browser, axe_audit, language, request, csp_violations):
    """new_page() opens a page in a browser context of its own: one person's browser."""
    contexts = []

    def _new_page() -> Page:
        context = browser.new_context(viewport=DESKTOP)
        contexts.append(context)
        return _watch_csp(
            axe_audit.watch(_in_language(context.new_page(), language, request)), csp_violations
        )

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def shoot(request, axe_audit, language):
    """shoot(page, "name") audits the page and saves it as var/screenshots/<NN>-name.png
    (another language: var/screenshots/<language>/), then checks it at phone width and
    saves that as .../phone/<NN>-name.png.

    Each test numbers from its own start (its module's SHOT_START, up to the next start or
    SHOT_END), so the numbers do not depend on which tests run, in which order, or on
    which xdist worker."""
    folder = SCREENSHOTS if language == "en" else SCREENSHOTS / language
    (folder / "phone").mkdir(parents=True, exist_ok=True)
    starts, end_of_module = request.module.SHOT_START, request.module.SHOT_END
    start = starts[request.node.originalname]
    end = min(n for n in [*starts.values(), end_of_module] if n > start)
    numbers = iter(range(start, end))

    def _shoot(page: Page, name: str) -> Path:
        axe_audit.check(page)
        number = next(numbers, None)
        assert number is not None, f"{request.node.originalname} took more screenshots than its block"
        path = folder / f"{number:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        desktop = page.viewport_size
        page.set_viewport_size(PHONE)
        try:
            check_phone_width(page)
            page.screenshot(path=str(folder / "phone" / path.name), full_page=True)
        finally:
            page.set_viewport_size(desktop)
        return path

    return _shoot
