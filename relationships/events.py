"""The audit event kinds of the provider and reseller model and of customers, declared once,
by sub-domain. Each renders its sentence from the event's parameters in the reader's
language."""

from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from partnercenter.audit.kinds import listed, register
from partnercenter.core.l10n import format_list

from .models import CustomerRole

# --- Providers: authorization and the listing (services.providers) ------------------------------

# The listing's fields, as the listing's form names them (``changed`` stores the field names).
LISTING_FIELDS = {
    "countries": _("Countries and regions you serve"),
    "offers": _("What you offer resellers"),
    "description": _("Description"),
    "website": _("Website"),
}

PROVIDER_AUTHORIZED = register("provider_authorized", _("Authorized as indirect provider"))
PROVIDER_WITHDRAWN = register("provider_withdrawn", _("Indirect provider authorization withdrawn"))
LISTING_UPDATED = register(
    "provider_listing_updated",
    _("Provider listing updated"),
    lambda d: gettext("Changed: %(fields)s.") % {"fields": listed(d["changed"], LISTING_FIELDS)},
)

# --- Reseller invitations (services.reseller_invitations) -----------------------------------------

INVITATION_SENT = register(
    "reseller_invitation_sent",
    _("Reseller invitation sent"),
    lambda d: gettext("To %(invitee)s.") % {"invitee": d["email"] or gettext("MPN ID %(mpn_id)s") % d},
)
INVITATION_RESENT = register("reseller_invitation_resent", _("Reseller invitation sent again"))
INVITATION_REVOKED = register("reseller_invitation_revoked", _("Reseller invitation revoked"))
INVITATION_EXPIRED = register("reseller_invitation_expired", _("Reseller invitation expired"))
# The reseller accepted an invitation: the relationship with the provider is active.
RESELLER_AUTHORIZED = register(
    "reseller_authorized_provider",
    _("Indirect provider authorized"),
    lambda d: gettext("%(reseller)s authorized %(provider)s, with administrator access.") % d,
)

# --- Administrator access: DAP and GDAP (services.admin_access) ------------------------------------

ADMIN_ACCESS_REMOVED = register(
    "admin_access_removed",
    _("Administrator access removed"),
    lambda d: gettext("%(provider)s no longer has administrator access to the tenant of %(reseller)s.") % d,
)
GDAP_PROPOSED = register(
    "gdap_proposed",
    _("Granular admin roles requested"),
    lambda d: (
        ngettext(
            "%(name)s: %(roles)s for %(days)d day.",
            "%(name)s: %(roles)s for %(days)d days.",
            d["duration_days"],
        )
        % {"name": d["name"], "roles": format_list(d["roles"]), "days": d["duration_days"]}
    ),
)
GDAP_APPROVED = register("gdap_approved", _("Granular admin roles granted"))
GDAP_TERMINATION_REQUESTED = register("gdap_termination_requested", _("Granular admin termination requested"))
GDAP_TERMINATED = register("gdap_terminated", _("Granular admin relationship terminated"))
GDAP_EXPIRING = register("gdap_expiring", _("Granular admin relationship expiring"))
GDAP_EXPIRED = register("gdap_expired", _("Granular admin relationship expired"))
GDAP_EXTENDED = register(
    "gdap_extended",
    _("Granular admin relationship extended"),
    lambda d: (
        gettext("It now ends on %(date)s.")
        % {"date": date_format(parse_datetime(d["ends_at"]), "DATE_FORMAT")}
    ),
)

# --- Customers (services.customers, services.customer_invitations) ---------------------------------


def _relationships(data) -> str:
    labels = dict(CustomerRole.choices)
    return format_list(
        pgettext("a partner and its role", "%(partner)s (%(role)s)")
        % {"partner": r["partner"], "role": labels.get(r["role"], r["role"])}
        for r in data["relationships"]
    )


CUSTOMER_CREATED = register(
    "customer_created",
    _("Customer created"),
    lambda d: (
        gettext("Tenant %(domain)s; resellers of record: %(relationships)s.")
        % {"domain": d["domain"], "relationships": _relationships(d)}
    ),
)
CUSTOMER_INVITATION_CREATED = register(
    "customer_invitation_created",
    _("Customer invitation link created"),
    lambda d: gettext("For %(provider)s and %(reseller)s.") % d,
)
CUSTOMER_INVITATION_ACCEPTED = register(
    "customer_invitation_accepted",
    _("Customer authorized its resellers"),
    lambda d: (
        gettext("%(customer)s (%(domain)s); resellers of record: %(relationships)s.")
        % {"customer": d["customer"], "domain": d["domain"], "relationships": _relationships(d)}
    ),
)

# --- Relationship requests: a direct-bill partner's link, the customer's acceptance
# (services.relationship_requests) ---------------------------------------------------------------

RELATIONSHIP_REQUEST_CREATED = register(
    "relationship_request_created",
    _("Relationship request link created"),
    lambda d: gettext("For %(partner_name)s as direct-bill partner.") % d,
)
RELATIONSHIP_REQUEST_ACCEPTED = register(
    "relationship_request_accepted",
    _("Customer accepted a relationship request"),
    lambda d: (
        gettext(
            "%(customer)s (%(domain)s) accepted %(partner_name)s as its direct-bill partner, with administrator access."
        )
        % d
    ),
)

# --- The customer's side: its global admin manages its partners (services.customer_partners) ------


def _role(data) -> str:
    return str(dict(CustomerRole.choices).get(data["role"], data["role"]))


CUSTOMER_ADMIN_ACCESS_REMOVED = register(
    "customer_admin_access_removed",
    _("Customer removed a partner's administrator access"),
    lambda d: (
        gettext("%(customer)s removed the administrator access of %(partner)s (%(role)s) to %(domain)s.")
        % {**d, "role": _role(d)}
    ),
)
CUSTOMER_RELATIONSHIP_ENDED = register(
    "customer_relationship_ended",
    _("Customer ended a partner relationship"),
    lambda d: (
        gettext("%(customer)s ended its relationship with %(partner)s (%(role)s).") % {**d, "role": _role(d)}
    ),
)

# Written before the one audit trail, by services that now write one row per change (the
# facts of these are in ``reseller_authorized_provider``, ``customer_created`` and
# ``customer_invitation_accepted``): older histories keep their entries readable.
INVITATION_ACCEPTED = register("reseller_invitation_accepted", _("Reseller invitation accepted"))
CUSTOMER_RELATIONSHIP_CREATED = register("customer_relationship_created", _("Customer relationship created"))
CUSTOMER_AUTHORIZED = register("customer_authorized", _("Customer authorized a reseller"))

# --- Customers' acceptance of the Microsoft Customer Agreement (services.customer_agreements) ------


def _date(value) -> str:
    from datetime import date

    return date_format(date.fromisoformat(value), "DATE_FORMAT")


CUSTOMER_AGREEMENT_CONFIRMED = register(
    "customer_agreement_confirmed",
    _("Customer acceptance of the Microsoft Customer Agreement confirmed"),
    lambda d: (
        gettext("%(customer)s accepted the Microsoft Customer Agreement on %(date)s (%(contact)s).")
        % {**d, "date": _date(d["date_agreed"])}
    ),
)
