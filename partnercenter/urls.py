from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from enrollment.views import application as enrollment_views
from partnercenter.accounts import views as account_views
from partnercenter.accounts.token_endpoint import TokenView
from partnercenter.core import health
from partnercenter.core import views as core_views
from partnercenter.pcapi.views import UnknownResource

api_v1 = [
    path("", include("partnercenter.accounts.api.urls")),
    path("", include("enrollment.api.urls")),
    path("", include("billing.api.urls")),
    path("", include("relationships.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI with its script served apart (?script=), for the Content-Security-Policy.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="core/api_docs.html"),
        name="api-docs",
    ),
]

# Partner Center's own REST API (issue 14): each layer serves its resources.
partner_center_v1 = [
    path("", include("enrollment.pcapi.urls")),
    path("", include("relationships.pcapi.urls")),
    path("", include("billing.pcapi.urls")),
    re_path(r"^(?P<unknown>.*)$", UnknownResource.as_view(), name="pc-unknown"),
]

urlpatterns = [
    path("", enrollment_views.home, name="home"),
    path("", include("enrollment.urls")),
    path("", include("relationships.urls")),
    path("", include("billing.urls")),
    path("", include("partnercenter.accounts.urls")),
    path("signup/", account_views.signup, name="signup"),
    path("sign-in/", account_views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("dev/outbox/", core_views.outbox, name="dev-outbox"),
    path("api/v1/", include(api_v1)),
    path("v1/", include(partner_center_v1)),
    path("oauth2/token", TokenView.as_view(), name="oauth2-token"),
    path("admin/", admin.site.urls),
]

handler400 = "partnercenter.core.views.bad_request"
handler403 = "partnercenter.core.views.permission_denied"
handler404 = "partnercenter.core.views.page_not_found"
handler500 = "partnercenter.core.views.server_error"
