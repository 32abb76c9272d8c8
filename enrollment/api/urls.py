from django.urls import path
from rest_framework.routers import SimpleRouter

from . import direct_bill, incentives, partner, partner_actions, programs, review, transition, views

router = SimpleRouter()
router.register("enrollments", views.EnrollmentViewSet, basename="api-enrollment")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("mpn/sign-in/", views.MpnSignInView.as_view(), name="api-mpn-sign-in"),
    path("mpn/<str:mpn_id>/", views.MpnDetailView.as_view(), name="api-mpn-detail"),
    path("address-formats/<str:country>/", views.AddressFormatView.as_view(), name="api-address-format"),
    path("email-verifications/", views.EmailVerificationView.as_view(), name="api-email-verifications"),
    path("email-verifications/not-requested/", views.NotRequestedView.as_view(), name="api-not-requested"),
    *router.urls,
    *review.urlpatterns,
    *partner_actions.urlpatterns,
    *direct_bill.urlpatterns,
    *partner.urlpatterns,
    *programs.urlpatterns,
    *incentives.urlpatterns,
    *transition.urlpatterns,
]
