"""The partner's pages after approval: the agreement, the partner profile and the
business profile. Thin: they call selectors to read and services to write. (The partner's
users and the password pages live beside their API in ``partnercenter.accounts``.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from partnercenter.core.forms import call_with_form
from partnercenter.core.pages import domain_errors

from .. import selectors
from ..forms.partner import AgreementAcceptForm, BusinessProfileForm
from ..models import AgreementTemplate, Program
from ..permissions import can_edit_business_profile, require_business_profile_admin, require_global_admin
from ..services import agreements
from ..services import business_profile as business_profile_services


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
@domain_errors(back="enrollment:partner-profile")
def agreement(request):
    """The current agreement in the reader's language (else the partner's, else English),
    and for an approved enrollment the acceptance form with the contact on record."""
    user = request.user
    require_global_admin(user)
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
        form = AgreementAcceptForm(
            request.POST or None, initial=initial, country=partner.country.code if partner else ""
        )
        if (
            request.method == "POST"
            and form.is_valid()
            and call_with_form(
                form,
                lambda: agreements.agreement_accept(
                    actor=user,
                    template_id=form.cleaned_data["template_id"],
                    primary_contact=form.primary_contact(),
                ),
                fields=AgreementAcceptForm.ERROR_FIELDS,
            )
        ):
            messages.success(request, _("Thank you. The agreement is signed and your enrollment is active."))
            return redirect("home")
    elif request.method == "POST":
        messages.error(request, _("There is no approved enrollment waiting for this agreement."))
        return redirect("enrollment:partner-profile")
    return render(
        request,
        "enrollment/partner/agreement.html",
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
        "enrollment/partner/agreement_template.html",
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
        "enrollment/partner/partner_profile.html",
        {
            "profile": profile,
            "partner": profile.partner if profile else None,
            "vetting_label": _vetting_label(profile.vetting_status) if profile else _vetting_label("none"),
            "can_edit_business_profile": can_edit_business_profile(user),
        },
    )


@login_required
@domain_errors(back="enrollment:partner-profile")
def business_profile(request):
    user = request.user
    require_business_profile_admin(user)
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
    if (
        profile is not None
        and request.method == "POST"
        and form.is_valid()
        and call_with_form(
            form,
            lambda: business_profile_services.business_profile_update(actor=user, data=form.cleaned_data),
        )
    ):
        messages.success(request, _("Your business profile was saved."))
        return redirect("enrollment:partner-profile")
    return render(request, "enrollment/partner/business_profile.html", {"form": form, "profile": profile})


urlpatterns = [
    path("partner/", partner_profile, name="partner-profile"),
    path("partner/agreement/", agreement, name="agreement"),
    path("agreements/<uuid:template_id>/", agreement_template, name="agreement-template"),
    path("partner/business-profile/", business_profile, name="business-profile"),
]
