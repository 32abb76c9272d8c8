from django.urls import path

from . import views

app_name = "enrollment"

wizard = views.EnrollmentWizard.as_view(url_name="enrollment:wizard-step", done_step_name="finished")

urlpatterns = [
    path("enroll/", views.welcome, name="welcome"),
    path("enroll/apply/", wizard, name="wizard"),
    path("enroll/apply/<str:step>/", wizard, name="wizard-step"),
    path("enroll/pmc/sign-in/", views.pmc_sign_in, name="pmc-sign-in"),
    path("enroll/pmc/choose/", views.pmc_choose, name="pmc-choose"),
    path("enrollments/<uuid:enrollment_id>/", views.status, name="status"),
    path("enrollments/<uuid:enrollment_id>/resend/", views.resend, name="resend"),
    path("enrollments/<uuid:enrollment_id>/withdraw/", views.withdraw, name="withdraw"),
    path("verify-email/<str:token>/", views.verify_email, name="verify-email"),
]
