"""API: customers, customer tenants, customer invitations."""

urlpatterns: list = []
