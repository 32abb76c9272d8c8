"""Accessibility and phone-width checks of the browser tests.

- ``AxeAudit`` runs axe-core (bundled by axe-playwright-python: no internet) on a page and
  fails on any violation. It watches every page of a test: each document the page loads
  must be audited before the test ends (``shoot`` audits, and ``audit(page)`` audits a page
  the test passes without a screenshot), so no visited page goes unchecked.
- It also fails when an ``aria-describedby``, ``aria-labelledby`` or ``label[for]`` points
  at an id the page does not have (errors and help tied to their fields).
- ``check_phone_width`` fails when a page scrolls sideways at 390 px or clips *Sign out*.

``AXE_REPORT=<file>`` appends the violations to that file instead of failing (to list
everything at once while fixing).
"""

import os
import re
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

DESKTOP = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}

# Path segments that name one object (uuids, tokens, numbers): one page for the audit.
_ONE_OBJECT = re.compile(r"^([0-9a-f-]{36}|\d+|[A-Za-z0-9_-]{20,})$")


def page_of(url: str) -> str:
    """The page a URL shows: its path with object ids and tokens replaced by ``*``."""
    parts = urlsplit(url).path.split("/")
    return "/".join("*" if _ONE_OBJECT.match(part) else part for part in parts)


class AxeAudit:
    """axe-core on the pages of one test."""

    axe = Axe()

    def __init__(self):
        self.loaded: dict[str, str] = {}  # page -> the first URL that showed it
        self.audited: set[str] = set()

    def watch(self, page: Page) -> Page:
        page._axe_audit = self  # audit(page) finds its test's audit
        page.on("load", lambda loaded: self.loaded.setdefault(page_of(loaded.url), loaded.url))
        return page

    def check(self, page: Page) -> None:
        page.wait_for_load_state("load")
        dangling = dangling_references(page)
        assert not dangling, f"On {page.url}, references to ids that do not exist: {dangling}"
        results = self.axe.run(page)
        if os.environ.get("AXE_REPORT"):
            with open(os.environ["AXE_REPORT"], "a", encoding="utf-8") as report:
                report.write(f"== {page.url}\n{results.generate_snapshot()}\n{results.generate_report()}\n")
        else:
            assert results.violations_count == 0, f"axe-core on {page.url}:\n{results.generate_report()}"
        self.audited.add(page_of(page.url))

    def unaudited(self) -> list[str]:
        return sorted(url for path, url in self.loaded.items() if path not in self.audited)


def dangling_references(page: Page) -> list[str]:
    """aria-describedby, aria-labelledby and label[for] that point at no element."""
    return page.evaluate(
        """() => {
          const missing = [];
          for (const attr of ['aria-describedby', 'aria-labelledby']) {
            for (const el of document.querySelectorAll(`[${attr}]`)) {
              for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                if (!document.getElementById(id)) missing.push(`${el.tagName.toLowerCase()}[${attr}=${id}]`);
              }
            }
          }
          for (const label of document.querySelectorAll('label[for]')) {
            if (!document.getElementById(label.htmlFor)) missing.push(`label[for=${label.htmlFor}]`);
          }
          return missing;
        }"""
    )


def audit(page: Page) -> None:
    """Run axe-core on the page as it is now (a page the test passes without a screenshot)."""
    page._axe_audit.check(page)


def sideways_overflow(page: Page) -> str | None:
    """What makes the page scroll sideways, or None."""
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          if (root.scrollWidth <= root.clientWidth) return null;
          const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
            .slice(0, 6).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
          return `scrollWidth ${root.scrollWidth} > clientWidth ${root.clientWidth}: ${wide.join(', ')}`;
        }"""
    )


def sign_out_clipped(page: Page) -> str | None:
    """Why the header's Sign out button is not shown whole, or None (also when signed out)."""
    return page.evaluate(
        """() => {
          const button = document.querySelector('header form.sign-out button');
          if (!button) return null;
          window.scrollTo(0, 0);
          const box = button.getBoundingClientRect(), width = document.documentElement.clientWidth;
          if (box.width === 0 || box.left < 0 || box.right > width) {
            return `Sign out at ${box.left}-${box.right} of ${width}`;
          }
          const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
          return button.contains(hit) ? null : `Sign out is covered by ${hit && hit.outerHTML.slice(0, 80)}`;
        }"""
    )


def check_phone_width(page: Page) -> None:
    """At phone width nothing scrolls sideways and Sign out shows whole."""
    problem = sideways_overflow(page) or sign_out_clipped(page)
    assert problem is None, f"At {page.viewport_size['width']} px, {page.url}: {problem}"


def nav_lines(page: Page) -> int:
    """On how many lines the header's navigation links lie."""
    return page.evaluate(
        "() => new Set([...document.querySelectorAll('header nav.topnav a')]"
        ".map(a => Math.round(a.getBoundingClientRect().top))).size"
    )
