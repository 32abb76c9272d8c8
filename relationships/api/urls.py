from . import admin_access, customers, providers, reseller_invitations

urlpatterns = [
    *providers.urlpatterns,
    *reseller_invitations.urlpatterns,
    *admin_access.urlpatterns,
    *customers.urlpatterns,
]
