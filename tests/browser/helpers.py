"""Helpers shared by the browser journeys: signing in, the wizard's buttons, the timeline,
the emailed links.

Texts of the portal go through ``_`` (Django's gettext): under the test's language (the
``language`` fixture activates it) they are what the page shows in that language, so one
journey walks in English and in another language.
"""

import re

from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

from .a11y import PHONE, audit

_MARKUP = re.compile(r"<[^>]+>")
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")

STEP_COUNT = 7  # program, mpn, business, contact, support, bank, review


def sign_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/sign-in/")
    fill_sign_in(page, email, password)


def fill_sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Fill in and send the sign-in form the page shows; both pages are audited."""
    audit(page)
    page.get_by_label(_("Work email")).fill(email)
    page.get_by_label(_("Password")).fill(password)
    page.locator("main").get_by_role("button", name=_("Sign in")).click()
    expect(page.get_by_role("button", name=_("Sign out"))).to_be_visible()
    audit(page)


def text(msgid: str, **params) -> str:
    """What a page shows for ``msgid`` in the active language: translated, filled in with
    ``params``, without its markup ("gets <strong>administrator access</strong>")."""
    translated = _(msgid)
    return _MARKUP.sub("", translated % params if params else translated)


def text_n(singular: str, plural: str, n: int) -> str:
    """A count line ("2 providers") in the active language."""
    return ngettext(singular, plural, n) % {"counter": n}


def like(msgid: str, **params) -> re.Pattern:
    """``text(msgid, **params)`` as a whole-text pattern where the placeholders not given
    (dates the page formats) stand for any text."""
    pieces = _PLACEHOLDER.split(_MARKUP.sub("", _(msgid)))
    # split() puts the placeholders' names at the odd places.
    return re.compile(
        "^"
        + "".join(
            (re.escape(params[piece]) if piece in params else ".+?") if i % 2 else re.escape(piece)
            for i, piece in enumerate(pieces)
        )
        + "$"
    )


def dot(*parts: str) -> str:
    """A title the pages join with middle dots: "Indirect reseller · In review"."""
    return " · ".join(parts)


def colon(lead: str, title: str) -> str:
    """A heading the pages join with a colon: "What comes next: Verification in progress"."""
    return f"{lead}: {title}"


# Each body cell of a table: the name of its column, and what shows before the cell's value.
_CELL_LABELS = """table => {
    const columns = [...table.tHead.rows[0].cells].map(th => th.textContent.trim());
    return [...table.tBodies[0].rows].flatMap(row => [...row.cells].map((td, i) =>
        [columns[i], getComputedStyle(td, "::before").content, getComputedStyle(td).display]));
}"""


def expect_labelled_cells(page: Page, table: str) -> None:
    """At phone width the rows of ``table.<table>`` stack, and every cell shows the name of
    its column before its value: "Domain: ...", in Chinese "網域：..."."""
    separator = "：" if translation.get_language().startswith("zh") else ": "
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        cells = page.locator(f"table.{table}").evaluate(_CELL_LABELS)
    finally:
        page.set_viewport_size(desktop)
    assert cells, f"table.{table} has no cells"
    assert cells == [[column, f'"{column}{separator}"', "block"] for column, *_ in cells], cells


def open_enrollments(n: int) -> str:
    """The review queue's count line."""
    return ngettext(
        "%(counter)s open enrollment: oldest due first.", "%(counter)s open enrollments: oldest due first.", n
    ) % {"counter": n}


def h1(page: Page):
    return page.get_by_role("heading", level=1)


def flash(page: Page):
    """The messages at the top of the page ("The check is passed." ...)."""
    return page.locator("ul.messages")


def event(page: Page, kind: str):
    """The entry (or entries) of this kind in the page's first timeline (the review page
    shows the partner's history across all its objects below the enrollment's own)."""
    timeline = page.locator("ol.timeline").first
    return timeline.locator(":scope > li").filter(has=page.get_by_text(kind, exact=True))


def expect_step(page: Page, n: int, title: str) -> None:
    """The wizard shows step ``n`` with its title and the progress indicator."""
    expect(page.locator(".stepcount")).to_have_text(_("Step %(n)s of %(m)s") % {"n": n, "m": STEP_COUNT})
    expect(h1(page)).to_have_text(title)
    expect(page.locator('.progress [aria-current="step"]')).to_have_text(title)


def next_button(page: Page):
    return page.locator("#wizard-form").get_by_role("button", name=_("Next"), exact=True)


def back_button(page: Page):
    return page.locator("#wizard-form").get_by_role("button", name=_("Back"), exact=True)


def field_error(page: Page, name: str):
    """The inline error(s) of the field named ``name``."""
    return page.locator(f'.field.has-error:has([name="{name}"]) .error')


def verification_links(base_url: str, recipient: str) -> list[str]:
    """The email-confirmation links sent to ``recipient``, oldest first."""
    pattern = re.compile(re.escape(base_url) + r"/verify-email/[A-Za-z0-9_-]+/")
    return [link for m in mail.outbox if recipient in m.to for link in pattern.findall(m.body)]


def emailed_status_link(base_url: str, recipient: str, subject: str) -> str:
    """The status-page link of the one email with ``subject`` sent to ``recipient``."""
    [message] = [m for m in mail.outbox if recipient in m.to and m.subject == subject]
    return re.search(re.escape(base_url) + r"/enrollments/[0-9a-f-]{36}/", message.body).group(0)
