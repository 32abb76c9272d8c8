"""Customers' acceptance of the Microsoft Customer Agreement (Partner Center's *Confirm
customer acceptance of the Microsoft Customer Agreement*): a partner records that its
customer accepted the agreement, who accepted it (first and last name, email, optionally a
phone number) and on which date.

Who may: a global admin or an admin agent of a partner that is one of the customer's resellers
of record (a direct-bill partner, the indirect provider or the indirect reseller: in Partner
Center each of a customer's partners confirms its acceptance); another partner's customer is
not found (404). Every confirmation is kept, as Partner Center "confirms or reconfirms" (a new
contact, a new date, a newer template); the very same confirmation again (a second click, a
retried request) records nothing new and answers the one recorded.

Domain errors raised: ``InvalidInput`` (400, by field: ``template_id``, ``date_agreed``,
``contact.first_name``, ``contact.last_name``, ``contact.email``, ``contact.phone_number``),
``NotPermitted`` (403), ``NotFound`` (404).
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from enrollment.rules import Errors, email_errors, name_errors, normalize_phone
from partnercenter.core.errors import InvalidInput
from partnercenter.core.text_fields import FIRST_NAME, LAST_NAME

from .. import events, selectors
from ..customer_agreements import AgreementType, CustomerAgreementAcceptance, CustomerAgreementTemplate
from ..models import Customer
from ..permissions import acting_partner, require_roles
from .common import record

EMAIL_MAX = 254  # RFC 5321's limit of a forward path, and the column's


@dataclass(frozen=True)
class Confirmed:
    acceptance: CustomerAgreementAcceptance
    created: bool  # False: the very same confirmation was already recorded


def _template(template_id, errors: Errors) -> CustomerAgreementTemplate | None:
    """A current template of the Microsoft Customer Agreement ("you must obtain the templateId
    of the Microsoft Customer Agreement": Partner Center's agreement metadata)."""
    try:
        pk = uuid.UUID(str(template_id)) if template_id not in (None, "") else None
    except ValueError:
        pk = None
    template = (
        CustomerAgreementTemplate.objects.current(AgreementType.MICROSOFT_CUSTOMER_AGREEMENT)
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if template is None:
        errors.add(
            "template_id",
            _(
                "Use the templateId of the current Microsoft Customer Agreement (its agreement "
                "metadata gives it)."
            ),
        )
    return template


def _contact(contact, country: str, errors: Errors) -> dict:
    """The customer's user who accepted: first and last name (1 to 50 characters), a valid
    email, and a phone number (optional) valid with its country code."""
    contact = contact if isinstance(contact, dict) else {}
    text = {key: value.strip() if isinstance(value, str) else "" for key, value in contact.items()}
    for key, text_field in (("first_name", FIRST_NAME), ("last_name", LAST_NAME)):
        for message in name_errors(text.get(key), text_field):
            errors.add(f"contact.{key}", message)
    email = text.get("email", "")
    for message in email_errors(email):
        errors.add("contact.email", message)
    if len(email) > EMAIL_MAX:  # the standard's limit (a valid address may be longer than a mailbox)
        errors.add(
            "contact.email",
            ngettext(
                "Shorten the email address to at most %(max)d character.",
                "Shorten the email address to at most %(max)d characters.",
                EMAIL_MAX,
            )
            % {"max": EMAIL_MAX},
        )
    phone = text.get("phone_number", "")
    if phone:
        phone, messages = normalize_phone(phone, country)
        for message in messages:
            errors.add("contact.phone_number", message)
    return {
        "contact_first_name": text.get("first_name", ""),
        "contact_last_name": text.get("last_name", ""),
        "contact_email": text.get("email", "").lower(),
        "contact_phone": phone,
    }


def _date_agreed(value, template: CustomerAgreementTemplate | None, errors: Errors) -> date | None:
    """The day the customer accepted: not after today, and not before the template it accepted
    was published (no one accepted a version before it existed)."""
    if not isinstance(value, date):
        errors.add("date_agreed", _("Enter the date the customer accepted the agreement."))
        return None
    if isinstance(value, datetime):  # Partner Center sends a UTC date and time: its day
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    day = value
    if day > timezone.localdate():
        errors.add("date_agreed", _("The date the customer accepted can't be in the future."))
    elif template is not None and day < template.published_on:
        errors.add(
            "date_agreed",
            _("This version of the agreement was published on %(date)s: the customer accepted it later.")
            % {"date": date_format(template.published_on, "DATE_FORMAT")},
        )
    return day


def customer_agreement_confirm(
    *, actor, customer: Customer | uuid.UUID | str, template_id, contact: dict, date_agreed
) -> Confirmed:
    """Record that ``customer`` (one of the actor's partner's customers) accepted the
    Microsoft Customer Agreement's template ``template_id`` on ``date_agreed`` (a date),
    ``contact`` (``first_name``, ``last_name``, ``email``, ``phone_number``) accepting.
    One audit row, in the partner's history; none when it was already recorded."""
    partner = acting_partner(actor)
    # Another partner's customer, or one whose relationship ended: NotFound (404).
    row = selectors.customer_for(partner, getattr(customer, "pk", customer))
    require_roles(actor)  # a global admin or an admin agent confirms (403)
    errors = Errors()
    template = _template(template_id, errors)
    fields = _contact(contact, row.tenant.country.code, errors)
    day = _date_agreed(date_agreed, template, errors)
    if errors:
        raise InvalidInput(errors.tree)
    with transaction.atomic():
        # One confirmation at a time per customer: two identical ones sent at once record one.
        Customer.objects.select_for_update().filter(pk=row.customer.pk).first()
        same = CustomerAgreementAcceptance.objects.filter(
            customer=row.customer, template=template, date_agreed=day, **fields
        ).first()
        if same is not None:
            return Confirmed(same, created=False)
        acceptance = CustomerAgreementAcceptance.objects.create(
            customer=row.customer,
            template=template,
            date_agreed=day,
            recorded_by=actor,
            recorded_by_partner=partner,
            **fields,
        )
        record(
            acceptance,
            events.CUSTOMER_AGREEMENT_CONFIRMED,
            actor=actor,
            partner=partner,
            to_state="confirmed",
            customer=row.customer.company_name,
            customer_id=str(row.customer.pk),
            template_id=str(template.pk),
            date_agreed=day.isoformat(),
            contact=acceptance.contact_name,
        )
    return Confirmed(acceptance, created=True)
