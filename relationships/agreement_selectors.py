"""Reads of customers' acceptance of the Microsoft Customer Agreement: the templates partners
confirm, Partner Center's agreement metadata of them, and a customer's confirmations (read
through ``selectors.customer_for``, so another partner's customer is not found: 404)."""

from django.db.models import QuerySet

from enrollment.agreement_types import AgreementMetadata

from .customer_agreements import AgreementType, CustomerAgreementAcceptance, CustomerAgreementTemplate
from .selectors import CustomerRow

# Partner Center's ``agreementType`` filter: ``*`` is every type.
ALL_TYPES = "*"


def current_templates(agreement_type: str = AgreementType.MICROSOFT_CUSTOMER_AGREEMENT):
    """The templates partners confirm now, newest version first."""
    return CustomerAgreementTemplate.objects.current(agreement_type).order_by("-version_rank", "pk")


def current_template() -> CustomerAgreementTemplate | None:
    """The newest template of the Microsoft Customer Agreement (what the page's form confirms)."""
    return current_templates().first()


def mca_metadata(language: str = "en") -> list[AgreementMetadata]:
    """Partner Center's agreement metadata of the Microsoft Customer Agreement's current
    templates, the source ``GET /v1/agreements?agreementType=MicrosoftCustomerAgreement``
    reads (registered with enrollment's agreement types in ``apps.ready``): one query. The
    templates are one per version; their link serves every language."""
    return [
        AgreementMetadata(
            template_id=str(template.template_id),
            agreement_type=template.agreement_type,
            agreement_link=template.agreement_link,
            version_rank=template.version_rank,
        )
        for template in current_templates()
    ]


def customer_agreements(row: CustomerRow, agreement_type: str | None = None) -> QuerySet:
    """The confirmations recorded for the caller's customer (a row of
    ``selectors.customer_for``), newest first, with their templates: one query whatever
    their number. ``agreement_type``: only that type (None or ``*``: all)."""
    acceptances = CustomerAgreementAcceptance.objects.filter(customer=row.customer).select_related("template")
    if agreement_type and agreement_type != ALL_TYPES:
        acceptances = acceptances.filter(template__agreement_type=agreement_type)
    return acceptances.order_by("-recorded_at", "id")


def latest_customer_agreement(row: CustomerRow) -> CustomerAgreementAcceptance | None:
    """The customer's current confirmation of the Microsoft Customer Agreement, or None."""
    return customer_agreements(row, AgreementType.MICROSOFT_CUSTOMER_AGREEMENT).first()
