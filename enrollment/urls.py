from django.urls import path

from .views import application, apply_again, direct_bill, incentives, partner, programs, review, transition

app_name = "enrollment"

wizard = application.EnrollmentWizard.as_view(url_name="enrollment:wizard-step", done_step_name="finished")

urlpatterns = [
    path("enroll/", application.welcome, name="welcome"),
    path("enroll/apply/", wizard, name="wizard"),
    path("enroll/apply/<str:step>/", wizard, name="wizard-step"),
    path("enroll/pmc/sign-in/", application.pmc_sign_in, name="pmc-sign-in"),
    path("enroll/pmc/choose/", application.pmc_choose, name="pmc-choose"),
    path("enrollments/<uuid:enrollment_id>/", application.status, name="status"),
    path("enrollments/<uuid:enrollment_id>/resend/", application.resend, name="resend"),
    path("enrollments/<uuid:enrollment_id>/withdraw/", application.withdraw, name="withdraw"),
    path("enrollments/<uuid:enrollment_id>/apply-again/", apply_again.apply_again, name="apply-again"),
    path("verify-email/<str:token>/", application.verify_email, name="verify-email"),
    path("not-requested/<str:token>/", application.not_requested, name="not-requested"),
    *review.urlpatterns,
    *programs.urlpatterns,
    *partner.urlpatterns,
    *direct_bill.urlpatterns,
    *incentives.urlpatterns,
    *transition.urlpatterns,
]
