from . import (
    admin_access,
    customer_partners,
    customers,
    providers,
    relationship_requests,
    reseller_invitations,
)

urlpatterns = [
    *providers.urlpatterns,
    *reseller_invitations.urlpatterns,
    *admin_access.urlpatterns,
    *customers.urlpatterns,
    *customer_partners.urlpatterns,
    *relationship_requests.urlpatterns,
]

# --- agreements: the customer's acceptance of the Microsoft Customer Agreement ---
from . import customer_agreements  # noqa: E402

urlpatterns += customer_agreements.urlpatterns
