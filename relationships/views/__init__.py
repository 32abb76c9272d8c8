"""Pages: providers and their listing (``providers``), reseller invitations
(``reseller_invitations``), administrator access (``admin_access``), customers
(``customers``), the customer's own partners (``customer_partners``)."""
