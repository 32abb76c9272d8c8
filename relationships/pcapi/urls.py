"""``/v1/`` addresses of relationships's resources (no trailing slashes, as Partner Center has them)."""

from django.urls import path

from .agreements import CustomerAgreements
from .customers import CustomerRelationshipsView, CustomersView, CustomerView
from .domains import CheckDomainAvailabilityView, DomainView
from .relationship_requests import RelationshipRequestView
from .relationships import RelationshipsView

urlpatterns: list = [
    path("relationships", RelationshipsView.as_view(), name="pc-relationships"),
    path("customers", CustomersView.as_view(), name="pc-customers"),
    path(
        "customers/relationshiprequests", RelationshipRequestView.as_view(), name="pc-relationship-requests"
    ),
    path("customers/<uuid:customer_id>", CustomerView.as_view(), name="pc-customer"),
    path(
        "customers/<uuid:customer_id>/relationships",
        CustomerRelationshipsView.as_view(),
        name="pc-customer-relationships",
    ),
    # The customer's acceptance of the Microsoft Customer Agreement.
    path(
        "customers/<uuid:customer_id>/agreements", CustomerAgreements.as_view(), name="pc-customer-agreements"
    ),
    path(
        "validations/checkdomainavailability/<str:prefix>",
        CheckDomainAvailabilityView.as_view(),
        name="pc-check-domain-availability",
    ),
    path("domains/<str:domain>", DomainView.as_view(), name="pc-domain"),
]
