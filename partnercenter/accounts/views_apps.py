"""App management (``/account/apps/``): the partner's global admin registers the OAuth 2.0
apps its automation gets access tokens with, replaces an app's secret and removes an app.
Thin: ``oauth_apps`` reads and writes; refusals take the one page mapping."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from partnercenter.core.forms import call_with_form

from . import oauth_apps
from .forms import AppRegisterForm

APPS_PAGE_SIZE = 50


def _page(request, *, form, created=None, status=200):
    # Every view of this module is never_cache (no-store): a secret may be on the page, once.
    page = Paginator(oauth_apps.apps_for(request.user), APPS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/apps.html",
        {
            "apps": page.object_list,
            "page": page,
            "form": form,
            "created": created,
            "token_endpoint": oauth_apps.token_endpoint_url(),
            "api_example": f"{settings.SITE_URL}/v1/customers",
        },
        status=status,
    )


@login_required
@never_cache
def apps(request):
    """The partner's apps; registering one shows its client secret, on this answer only."""
    oauth_apps.require_app_manager(request.user)
    form = AppRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        registered = call_with_form(
            form, lambda: oauth_apps.app_register(actor=request.user, name=form.cleaned_data["name"])
        )
        if registered:
            app, secret = registered
            return _page(request, form=AppRegisterForm(), created={"app": app, "secret": secret})
    return _page(request, form=form, status=400 if form.errors else 200)


def _confirmation(action: str):
    @login_required
    @never_cache
    def view(request, app_id):
        """GET asks for the confirmation (and changes nothing); the page's button (POST) acts."""
        oauth_apps.require_app_manager(request.user)
        app = oauth_apps.app_for(request.user, app_id)
        if request.method != "POST":
            return render(request, "accounts/app_confirm.html", {"app": app, "action": action})
        if action == "revoke":
            oauth_apps.app_revoke(actor=request.user, app=app)
            messages.success(
                request,
                _("The app %(name)s was removed: its secret and its access tokens no longer work.")
                % {"name": app.name},
            )
            return redirect("accounts:apps")
        app, secret = oauth_apps.app_rotate_secret(actor=request.user, app=app)
        return _page(request, form=AppRegisterForm(), created={"app": app, "secret": secret, "rotated": True})

    view.__name__ = f"app_{action}"
    return view


app_revoke = _confirmation("revoke")
app_secret = _confirmation("secret")
