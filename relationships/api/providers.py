"""API: Find a provider, reseller invitations, provider-reseller relationships, admin access."""

urlpatterns: list = []
