"""Writes for providers, resellers and customers: one function per state change, each
checking the actor's right, locking, re-checking, writing one audit row and emailing after
commit. By sub-domain:

- ``providers``: staff authorize indirect providers; the provider's listing;
- ``reseller_invitations``: the provider invites, the reseller authorizes it;
- ``admin_access``: delegated admin (DAP) removal, granular delegated admin (GDAP) and its sweep;
- ``customers``: customer tenants;
- ``customer_invitations``: the reseller's link, the customer's authorization of both partners;
- ``relationship_requests``: a direct-bill partner's link, the customer accepting it as its
  direct partner;
- ``customer_partners``: the customer's global admin removes a partner's admin access or ends
  the relationship.
"""
