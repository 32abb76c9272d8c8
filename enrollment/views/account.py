"""The partner's account pages: agreement, partner profile, users and roles, business
profile, password. Thin: they call selectors to read and services to write."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from partnercenter.accounts import selectors as account_selectors
from partnercenter.accounts import services as account_services
from partnercenter.accounts.forms import PasswordChangeForm, UserAddForm
from partnercenter.accounts.models import Role
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from partnercenter.core.forms import add_errors

from .. import selectors, services
from ..account_forms import AgreementAcceptForm, BusinessProfileForm
from ..models import AgreementTemplate, Program
from ..permissions import require_global_admin
from ..services.agreements import require_business_profile_admin


def _allowed(check, user) -> None:
    """Run a permission check of the services; a page answers 403 with its message."""
    try:
        check(user)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc


def _vetting_label(status: str) -> str:
    return {
        "none": _("Not started"),
        "pending": _("Pending"),
        "authorized": _("Authorized"),
        "rejected": _("Rejected"),
    }[status]


def _languages(templates) -> list[tuple[str, str]]:
    """The languages an agreement exists in, for the language links (code, name)."""
    seen: dict[str, str] = {}
    for template in templates:
        seen.setdefault(template.language, template.get_language_display())
    return list(seen.items())


# --- The agreement --------------------------------------------------------------------------------


@login_required
def agreement(request):
    """The current agreement in the reader's language (else the partner's, else English),
    and for an approved enrollment the acceptance form with the contact on record."""
    user = request.user
    _allowed(require_global_admin, user)
    program = request.GET.get("program") or Program.INDIRECT_RESELLER
    if program not in Program.values:
        raise Http404
    profile = selectors.partner_profile_for(user)
    partner = profile.partner if profile else None
    languages = [request.GET.get("language"), request.LANGUAGE_CODE, partner.language if partner else None]
    template = selectors.agreement_template_for(program, [lang for lang in languages if lang])
    enrollment = selectors.approved_enrollment_for(user, program)
    info = next((i for i in profile.program_info if i.program == program), None) if profile else None
    form = None
    if template is not None and enrollment is not None:
        initial = {"template_id": template.pk}
        if partner is not None:
            initial.update(
                first_name=partner.contact_first_name,
                last_name=partner.contact_last_name,
                email=partner.contact_email,
                phone=partner.contact_phone,
            )
        form = AgreementAcceptForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.agreement_accept(
                    actor=user,
                    template_id=form.cleaned_data["template_id"],
                    primary_contact=form.primary_contact(),
                )
            except InvalidInput as exc:
                add_errors(form, exc.errors, fields=AgreementAcceptForm.ERROR_FIELDS)
            except InvalidTransition as exc:
                messages.error(request, exc.message)
                return redirect("enrollment:partner-profile")
            else:
                messages.success(
                    request,
                    _("Thank you. The agreement is signed and your enrollment is active."),
                )
                return redirect("home")
    elif request.method == "POST":
        messages.error(request, _("There is no approved enrollment waiting for this agreement."))
        return redirect("enrollment:partner-profile")
    return render(
        request,
        "account/agreement.html",
        {
            "template": template,
            "languages": _languages(selectors.current_agreement_templates(program)),
            "program": program,
            "program_label": Program(program).label,
            "partner": partner,
            "enrollment": enrollment,
            "info": info,
            "form": form,
        },
    )


@login_required
def agreement_template(request, template_id):
    """One agreement's text (the ``url`` of ``GET /api/v1/agreements/``)."""
    template = get_object_or_404(AgreementTemplate, pk=template_id)
    user = request.user
    can_accept = (
        template.is_current
        and user.is_global_admin
        and selectors.approved_enrollment_for(user, template.program) is not None
    )
    return render(
        request,
        "account/agreement_template.html",
        {
            "template": template,
            "others": selectors.current_agreement_templates(template.program).exclude(pk=template.pk),
            "can_accept": can_accept,
        },
    )


# --- The partner profile ----------------------------------------------------------------------------


@login_required
def partner_profile(request):
    user = request.user
    profile = selectors.partner_profile_for(user)
    return render(
        request,
        "account/partner_profile.html",
        {
            "profile": profile,
            "partner": profile.partner if profile else None,
            "vetting_label": _vetting_label(profile.vetting_status) if profile else _vetting_label("none"),
            "can_edit_business_profile": any(
                user.has_role(role) for role in (Role.GLOBAL_ADMIN, Role.BUSINESS_PROFILE_ADMIN)
            ),
        },
    )


@login_required
def business_profile(request):
    user = request.user
    _allowed(require_business_profile_admin, user)
    profile = selectors.partner_profile_for(user)
    current = profile.business_profile if profile else None
    initial = (
        {
            "description": current.description,
            "website": current.website,
            "industries": ", ".join(current.industries),
            "services": ", ".join(current.services),
        }
        if current
        else {}
    )
    form = BusinessProfileForm(request.POST or None, initial=initial)
    if profile is not None and request.method == "POST" and form.is_valid():
        try:
            services.business_profile_update(actor=user, data=form.cleaned_data)
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        except InvalidTransition as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your business profile was saved."))
            return redirect("enrollment:partner-profile")
    return render(request, "account/business_profile.html", {"form": form, "profile": profile})


# --- Users and roles ------------------------------------------------------------------------------------


@login_required
def users(request):
    """The partner's users with their roles; the global admin adds employees here."""
    user = request.user
    _allowed(require_global_admin, user)
    form = UserAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = account_services.user_add(actor=user, **form.cleaned_data)
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        else:
            messages.success(
                request,
                _(
                    "%(email)s was added. We emailed them a temporary password; they choose their own "
                    "at their first sign-in."
                )
                % {"email": added.email},
            )
            return redirect("enrollment:users")
    labels = dict(Role.choices)
    rows = [
        {"user": u, "role_labels": [labels[r] for r in Role.values if r in (u.roles or [])]}
        for u in account_selectors.users_for(user)
    ]
    return render(
        request,
        "account/users.html",
        {
            "rows": rows,
            "form": form,
            "role_choices": Role.choices,
            "in_admin_agent_group": user.has_role(Role.ADMIN_AGENT),
        },
    )


@login_required
@require_POST
def user_roles(request, user_id):
    _allowed(require_global_admin, request.user)
    target = account_selectors.user_for(request.user, user_id)
    try:
        account_services.user_roles_update(
            actor=request.user, user=target, roles=request.POST.getlist("roles")
        )
    except InvalidInput as exc:
        for message in exc.errors.get("roles", []):
            messages.error(request, message)
    else:
        messages.success(request, _("The roles of %(email)s were saved.") % {"email": target.email})
    return redirect("enrollment:users")


@login_required
@require_POST
def admin_agent_join(request):
    _allowed(require_global_admin, request.user)
    account_services.admin_agent_join(actor=request.user)
    messages.success(request, _("You are now in the admin agent group."))
    return redirect("enrollment:users")


# --- Password ----------------------------------------------------------------------------------------------


@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def password_change(request):
    """Also where a user with a temporary password is sent before anything else."""
    user = request.user
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except InvalidInput as exc:
            add_errors(form, exc.errors, fields={"new_password": "new_password1"})
        else:
            update_session_auth_hash(request, user)  # stay signed in with the new password
            messages.success(request, _("Your password was changed."))
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                target = "home"
            return redirect(target)
    return render(
        request, "account/password_change.html", {"form": form, "forced": user.must_change_password}
    )


urlpatterns = [
    path("partner/", partner_profile, name="partner-profile"),
    path("partner/agreement/", agreement, name="agreement"),
    path("agreements/<uuid:template_id>/", agreement_template, name="agreement-template"),
    path("partner/business-profile/", business_profile, name="business-profile"),
    path("partner/users/", users, name="users"),
    path("partner/users/admin-agent/", admin_agent_join, name="admin-agent-join"),
    path("partner/users/<uuid:user_id>/roles/", user_roles, name="user-roles"),
    path("account/password/", password_change, name="password-change"),
]
