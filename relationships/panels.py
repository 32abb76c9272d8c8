"""Sections that apps above relationships add to a customer's page (as saleor's plugin
manager lets apps extend a page, in small): billing adds the customer's orders and the
order form. Registered when the app is ready, so relationships never imports them."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from partnercenter.core.markup import escaped


@dataclass(frozen=True)
class Section:
    template: str
    context: dict = field(default_factory=dict)


# A section: (request, customer row) -> a Section to show, or None.
CustomerSection = Callable[..., Section | None]
_CUSTOMER_SECTIONS: list[CustomerSection] = []


def customer_section(section: CustomerSection) -> CustomerSection:
    """Declare a section of the customer page."""
    if section not in _CUSTOMER_SECTIONS:
        _CUSTOMER_SECTIONS.append(section)
    return section


def customer_sections(request, row) -> list[Section]:
    return [found for section in _CUSTOMER_SECTIONS if (found := section(request, row)) is not None]


# --- Summaries on the customer list, per row -----------------------------------------------------

# A row summary: (request, the page's customer rows) -> {customer id: the HTML it adds to the
# row} for the rows it has something to say about. It sees the whole page at once, so that it
# reads what it shows in a constant number of queries (aggregates over the page's customer
# ids), never one per row; and it writes its HTML in Python, safe and with every value escaped
# (issue 12: a template included per row was a quarter of the list's rendering).
CustomerRowSummary = Callable[..., dict]
_CUSTOMER_ROW_SUMMARIES: list[CustomerRowSummary] = []


def customer_row_summary(summary: CustomerRowSummary) -> CustomerRowSummary:
    """Declare a summary of the customer list's rows (billing: subscriptions, licenses, users)."""
    if summary not in _CUSTOMER_ROW_SUMMARIES:
        _CUSTOMER_ROW_SUMMARIES.append(summary)
    return summary


def customer_row_summaries(request, rows) -> list[SafeString]:
    """Per row of ``rows`` (in their order), the HTML every declared summary adds to it."""
    rows = list(rows)
    found = [summary(request, rows) for summary in _CUSTOMER_ROW_SUMMARIES] if rows else []
    return [
        mark_safe("".join(escaped(by_row[row.id]) for by_row in found if row.id in by_row))  # noqa: S308 - escaped
        for row in rows
    ]
