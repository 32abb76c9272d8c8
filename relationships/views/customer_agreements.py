"""The customer page's section *Microsoft Customer Agreement* (registered with
``relationships.panels``): whether the customer's acceptance is confirmed (when, who
accepted) and, for a user who may confirm it, the form *Confirm customer acceptance of the
Microsoft Customer Agreement*.

Thin: the selectors read (another partner's customer is 404), the service writes and says
who may; its ``InvalidInput`` goes on the form, other domain errors take the page mapping."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnercenter.core.forms import call_with_form

from .. import agreement_selectors, selectors
from ..forms.customer_agreements import ERROR_FIELDS, CustomerAgreementForm
from ..panels import Section, customer_section
from ..permissions import acting_partner, has_roles, require_roles
from ..services.customer_agreements import customer_agreement_confirm
from .customers import customer_page


def _form(row, template, data=None) -> CustomerAgreementForm:
    return CustomerAgreementForm(
        data, country=row.tenant.country.code, template_id=template.pk if template else ""
    )


@customer_section
def agreement_section(request, row) -> Section:
    """Every user who sees the customer reads whether its acceptance is confirmed; the form
    is for a global admin or an admin agent (the service's rule: ``require_roles``)."""
    template = agreement_selectors.current_template()
    form = None
    if has_roles(request.user):
        form = getattr(request, "agreement_form", None) or _form(row, template)
    return Section(
        "relationships/customers/_agreement.html",
        {
            "acceptance": agreement_selectors.latest_customer_agreement(row),
            "template": template,
            "form": form,
        },
    )


@login_required
@require_POST
def customer_agreement(request, customer_id):
    """*Confirm customer acceptance of the Microsoft Customer Agreement*: on success back to
    the customer's page (a second click records nothing twice); the errors on the form."""
    row = selectors.customer_for(acting_partner(request.user), customer_id)
    require_roles(request.user)  # before the form: a role that may not confirm reads why (403)
    form = _form(row, agreement_selectors.current_template(), request.POST)
    if form.is_valid():
        confirmed = call_with_form(
            form,
            lambda: customer_agreement_confirm(
                actor=request.user, customer=row.customer, **form.service_kwargs()
            ),
            fields=ERROR_FIELDS,
        )
        if confirmed:
            messages.success(
                request, _("The customer's acceptance of the Microsoft Customer Agreement is confirmed.")
            )
            return redirect(reverse("relationships:customer-detail", args=[row.customer.pk]) + "#agreement")
    request.agreement_form = form
    return customer_page(request, customer_id, status=400)


urlpatterns = [
    path("customers/<uuid:customer_id>/agreements/", customer_agreement, name="customer-agreement"),
]
