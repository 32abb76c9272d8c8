"""Pages: customers, creating a customer tenant, customer invitations."""

urlpatterns: list = []
