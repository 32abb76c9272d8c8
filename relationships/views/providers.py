"""Pages: Find a provider, the provider listing, Indirect resellers, Indirect providers,
reseller invitations."""

urlpatterns: list = []
