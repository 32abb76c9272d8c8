"""Sections that apps above relationships add to a customer's page (as saleor's plugin
manager lets apps extend a page, in small): billing adds the customer's orders and the
order form. Registered when the app is ready, so relationships never imports them."""

from collections.abc import Callable
from dataclasses import dataclass, field


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
