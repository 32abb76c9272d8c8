"""Billing's models: the price list, orders, subscriptions (and Azure reservations) with the
customer tenant's users and their licenses, invoices and credits."""

from .catalog import (
    KIND_BILLING,
    KIND_TERMS,
    MONEY_DIGITS,
    MONEY_PLACES,
    TERM_MONTHS,
    BillingFrequency,
    Offer,
    Price,
    Product,
    ProductKind,
    Term,
)
from .invoices import Credit, Invoice, InvoiceLine, InvoiceLineKind, InvoiceRun, InvoiceSequence
from .orders import (
    IDEMPOTENCY_KEY_MAX,
    LINES_MAX,
    QUANTITY_MAX,
    QUANTITY_MIN,
    Order,
    OrderLine,
    OrderStatus,
    ReservationScope,
)
from .subscriptions import (
    CustomerUser,
    CustomerUserStatus,
    LicenseAssignment,
    Subscription,
    SubscriptionStatus,
    SubscriptionTerm,
)

__all__ = [
    "KIND_BILLING",
    "KIND_TERMS",
    "MONEY_DIGITS",
    "MONEY_PLACES",
    "TERM_MONTHS",
    "IDEMPOTENCY_KEY_MAX",
    "LINES_MAX",
    "QUANTITY_MAX",
    "QUANTITY_MIN",
    "BillingFrequency",
    "Credit",
    "CustomerUser",
    "CustomerUserStatus",
    "Invoice",
    "InvoiceLine",
    "InvoiceLineKind",
    "InvoiceRun",
    "InvoiceSequence",
    "LicenseAssignment",
    "Offer",
    "Order",
    "OrderLine",
    "OrderStatus",
    "Price",
    "Product",
    "ProductKind",
    "ReservationScope",
    "Subscription",
    "SubscriptionStatus",
    "SubscriptionTerm",
    "Term",
]
