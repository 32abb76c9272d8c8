"""Writes for providers, resellers and customers: one function per state change, each
checking the actor's right, locking, re-checking, recording a ``RelationshipEvent`` and
emailing after commit. ``providers`` holds the provider listing, reseller invitations,
the provider-reseller relationship and admin access (DAP and GDAP); ``customers`` holds
customer tenants and customer invitations."""
