from .views import (
    admin_access,
    customer_partners,
    customers,
    providers,
    relationship_requests,
    reseller_invitations,
)

app_name = "relationships"

urlpatterns = [
    *providers.urlpatterns,
    *reseller_invitations.urlpatterns,
    *admin_access.urlpatterns,
    *customers.urlpatterns,
    *customer_partners.urlpatterns,
    *relationship_requests.urlpatterns,
]

# --- agreements: the customer's acceptance of the Microsoft Customer Agreement ---
from .views import customer_agreements  # noqa: E402

urlpatterns += customer_agreements.urlpatterns
