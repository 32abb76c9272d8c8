"""Names copied onto relationships by the database (``relationships.counts`` says why): the
customer's company name on each of its relationships (``customer_name``), the reseller's
legal name on each of its provider relationships (``reseller_name``). A trigger sets the
copy on every insert or update of a relationship (whatever the writer sent), another
follows a rename of the customer or the partner (``partnercenter.core.triggers.
CopiedColumn``); migration ``0012_partner_counts_and_names`` installs them and fills in the
relationships already there."""

from partnercenter.core.triggers import CopiedColumn

CUSTOMER_NAME = CopiedColumn(
    "relationships_customerrelationship",
    "customer_name",
    "customer_id",
    "relationships_customer",
    "company_name",
)
RESELLER_NAME = CopiedColumn(
    "relationships_providerresellerrelationship",
    "reseller_name",
    "reseller_id",
    "enrollment_partner",
    "legal_name",
)
