"""Pages of work accounts: sign-up and sign-in, the partner's users and their roles,
changing one's password and one's API tokens. Thin: selectors read, services write; a service's
``InvalidInput`` goes on the form that was sent, every other domain error takes the one page
mapping (``partnercenter.core.pages``)."""

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from partnercenter.core.forms import call_with_form
from partnercenter.core.navigation import local_url
from partnercenter.core.pages import domain_errors

from . import backends, selectors, services
from .forms import PasswordChangeForm, SignInForm, SignupForm, UserAddForm
from .models import Role
from .permissions import require_global_admin


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@sensitive_post_parameters("password")
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = call_with_form(form, lambda: services.tenant_signup(**form.cleaned_data))
        if created:
            _tenant, user = created
            login(request, user, backend=backends.PATH)
            messages.success(
                request,
                _("Your work account %(domain)s is ready. You are its global admin.")
                % {"domain": user.tenant.domain},
            )
            return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


# --- The partner's users and their roles -------------------------------------------------------


@login_required
def users(request):
    """The partner's users with their roles; the global admin adds employees here."""
    user = request.user
    require_global_admin(user)
    form = UserAddForm(request.POST or None, domains=user.tenant.verified_domain_names())
    if request.method == "POST" and form.is_valid():
        added = call_with_form(form, lambda: services.user_add(actor=user, **form.cleaned_data))
        if added:
            messages.success(
                request,
                _(
                    "%(email)s was added. We emailed them a temporary password; they choose their own "
                    "at their first sign-in."
                )
                % {"email": added.email},
            )
            return redirect("accounts:users")
    labels = dict(Role.choices)
    rows = [
        {"user": u, "role_labels": [labels[r] for r in Role.values if r in (u.roles or [])]}
        for u in selectors.users_for(user)
    ]
    return render(
        request,
        "accounts/users.html",
        {
            "rows": rows,
            "form": form,
            "role_choices": Role.choices,
            "in_admin_agent_group": user.has_role(Role.ADMIN_AGENT),
        },
    )


@login_required
@require_POST
@domain_errors(back="accounts:users")
def user_roles(request, user_id):
    require_global_admin(request.user)
    target = selectors.user_for(request.user, user_id)
    services.user_roles_update(actor=request.user, user=target, roles=request.POST.getlist("roles"))
    messages.success(request, _("The roles of %(email)s were saved.") % {"email": target.email})
    return redirect("accounts:users")


@login_required
@require_POST
def admin_agent_join(request):
    services.admin_agent_join(actor=request.user)
    messages.success(request, _("You are now in the admin agent group."))
    return redirect("accounts:users")


# --- Password ---------------------------------------------------------------------------------------


@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def password_change(request):
    """Also where a user with a temporary password is sent before anything else."""
    user = request.user
    form = PasswordChangeForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_with_form(
            form,
            lambda: services.password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            ),
            fields={"new_password": "new_password1"},
        )
    ):
        update_session_auth_hash(request, user)  # stay signed in with the new password
        messages.success(request, _("Your password was changed."))
        return redirect(local_url(request, request.GET.get("next")) or "home")
    return render(
        request, "accounts/password_change.html", {"form": form, "forced": user.must_change_password}
    )


# --- One's API tokens ------------------------------------------------------------------------------

TOKENS_PAGE_SIZE = 50  # every sign-in through the API issues one: the list is paged


@login_required
def api_tokens(request):
    """The user's API tokens that still work, a page at a time; each can be revoked here."""
    page = Paginator(selectors.api_tokens_for(request.user), TOKENS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/api_tokens.html", {"tokens": page.object_list, "page": page})


@login_required
@require_POST
def api_token_revoke(request, token_id):
    token = selectors.api_token_for(request.user, token_id)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(
        request, _("The token %(prefix)s… was revoked: it no longer works.") % {"prefix": token.prefix}
    )
    return redirect("accounts:api-tokens")
