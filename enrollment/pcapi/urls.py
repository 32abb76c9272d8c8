"""``/v1/`` addresses of enrollment's resources (no trailing slashes, as Partner Center has them)."""

from django.urls import path

from . import agreements, compliance, profiles

urlpatterns: list = [
    path("profiles/mpn", profiles.MpnProfileView.as_view(), name="pc-mpn-profile"),
    path(
        "profiles/legalbusiness",
        profiles.LegalBusinessProfileView.as_view(),
        name="pc-legal-business-profile",
    ),
    path(
        "compliance/csp/agreementstatus", compliance.AgreementStatusView.as_view(), name="pc-agreement-status"
    ),
    path("agreements", agreements.AgreementMetadataView.as_view(), name="pc-agreements"),
]
