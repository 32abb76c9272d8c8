"""Pages for the applicant: overview, the enrollment wizard, the status page and the
email confirmation. Thin: they call selectors to read and services to write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from formtools.wizard.views import NamedUrlSessionWizardView

from partnercenter.accounts import lockout
from partnercenter.core import generations
from partnercenter.core.countries import country_name
from partnercenter.core.errors import InvalidInput
from partnercenter.core.forms import add_errors
from partnercenter.core.navigation import local_url
from partnercenter.core.pages import domain_errors

from .. import kept, selectors
from ..forms.application import STEPS, PmcSignInForm, WithdrawForm
from ..forms.direct_bill import REQUIREMENTS, QuestionnaireForm
from ..models import EnrollmentStatus, Language, Program
from ..permissions import ONLY_THE_GLOBAL_ADMIN_ENROLLS, may_enroll, require_global_admin
from ..services import application as services
from ..services import direct_bill as direct_bill_services
from ..services import mpn
from ..services.confirmation import TokenError, email_verification_confirm, enrollment_report_not_requested
from ..transition import transition_of
from .apply_again import PREFILL

# Direct bill adds its qualification questionnaire before the Review step; the indirect
# reseller's wizard does not have it ("Step N of M" counts the steps of the chosen program).
WIZARD_STEPS = [*STEPS[:-1], ("questionnaire", QuestionnaireForm), STEPS[-1]]

STEPS_OF_EVERY_PROGRAM = [name for name, _form in STEPS]

PMC_PROFILES = "pmc_profiles"
QUESTIONNAIRE_ERRORS = "direct_bill_questionnaire_errors"
PMC_CHOSEN = "pmc_chosen"
STATUS_PAGE = "enrollment/status.html"


def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "home.html")
    if user.is_staff and not user.tenant_id:
        return render(request, "staff_home.html")
    enrollments = list(selectors.enrollments_for(user))
    partner = selectors.partner_for(user)
    return render(
        request,
        "enrollment/overview.html",
        {
            "partner": partner,
            # Current tasks: *Become an indirect reseller* for a partner identified for offboarding.
            "transition": transition_of(partner) if user.is_global_admin else None,
            "enrollments": enrollments,
            "can_enroll": may_enroll(user, open_programs={e.program for e in enrollments if e.is_open}),
        },
    )


def _require_global_admin(user):
    require_global_admin(user, ONLY_THE_GLOBAL_ADMIN_ENROLLS)


@login_required
def welcome(request):
    _require_global_admin(request.user)
    return render(request, "enrollment/welcome.html", {"tenant": request.user.tenant})


@method_decorator(sensitive_post_parameters(), name="dispatch")
class EnrollmentWizard(LoginRequiredMixin, NamedUrlSessionWizardView):
    form_list = WIZARD_STEPS
    template_name = "enrollment/wizard.html"
    condition_dict = {"questionnaire": lambda wizard: wizard.chosen_program() == Program.DIRECT_BILL}

    def chosen_program(self) -> str:
        """The program posted on the first step (as typed: the step's form checks it)."""
        data = self.storage.get_step_data("program") or {}
        return data.get("program-program") or Program.INDIRECT_RESELLER

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require_global_admin(request.user)
        return super().dispatch(request, *args, **kwargs)

    def _country(self) -> str:
        if self.steps.current == "business":
            return ""
        data = (
            self.get_cleaned_data_for_step("business")
            if "business" in self.storage.data.get("step_data", {})
            else None
        )
        return str((data or {}).get("country") or self.request.user.tenant.country.code)

    def get_form_kwargs(self, step=None):
        kwargs = {"tenant": self.request.user.tenant}
        if step in ("contact", "support", "bank", "questionnaire", "review"):
            kwargs["country"] = self._country()
        return kwargs

    def get_form_initial(self, step):
        # Applying again: the steps as the earlier application filled them in.
        if prefilled := self.request.session.get(PREFILL, {}).get(step):
            return prefilled
        tenant = self.request.user.tenant
        if step == "business":
            return {"country": tenant.country.code, "company_name": tenant.name}
        if step == "contact":
            user = self.request.user
            language = self.request.LANGUAGE_CODE if self.request.LANGUAGE_CODE in Language.values else "en"
            return {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "language": language,
            }
        if step == "program":
            return {"program": Program.INDIRECT_RESELLER}
        return {}

    def get_form(self, step=None, data=None, files=None):
        step = step or self.steps.current
        chosen = self.request.session.get(PMC_CHOSEN)
        if step == "mpn" and chosen and self.request.method == "GET":
            # A profile chosen from the Partner Membership Center fills the MPN ID field.
            data = {"mpn-mpn_id": chosen}
            del self.request.session[PMC_CHOSEN]
        form = super().get_form(step, data, files)
        if step == "questionnaire" == self.steps.current and QUESTIONNAIRE_ERRORS in self.request.session:
            form.is_valid()
            form.add_service_errors(self.request.session.pop(QUESTIONNAIRE_ERRORS))
        return form

    def render_goto_step(self, goto_step, **kwargs):
        # Back keeps what was typed on this step, even if it is not valid yet.
        form = self.get_form(data=self.request.POST, files=self.request.FILES)
        self.storage.set_step_data(self.steps.current, self.process_step(form))
        return super().render_goto_step(goto_step, **kwargs)

    def _return_to(self) -> str | None:
        """Where the step goes once it is valid, when the reader came to change it (*Change*
        on the Review step sends ``?next=`` the Review step): a URL of this site only."""
        return local_url(self.request, self.request.POST.get("next") or self.request.GET.get("next"))

    def render_next_step(self, form, **kwargs):
        # Back to the Review step rather than through every later step; finishing checks
        # every step again, so a change that invalidates another step still shows there.
        if target := self._return_to():
            return redirect(target)
        return super().render_next_step(form, **kwargs)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context.update(
            return_to=self._return_to(),
            review_url=reverse("enrollment:wizard-step", kwargs={"step": "review"}),
        )
        steps = [(name, form_class.title) for name, form_class in self.get_form_list().items()]
        context.update(
            step_titles=steps,
            step_title=self.form_list[self.steps.current].title,
            tenant=self.request.user.tenant,
            direct_bill_requirements=REQUIREMENTS,
        )
        if self.steps.current == "mpn":
            context.update(pmc_form=PmcSignInForm(), pmc_profiles=self.request.session.get(PMC_PROFILES))
        if self.steps.current == "review":
            context["summary"] = self._summary()
        return context

    def _application(self) -> dict:
        data = {step: self.get_cleaned_data_for_step(step) or {} for step in STEPS_OF_EVERY_PROGRAM}
        business, contact, support, bank = data["business"], data["contact"], data["support"], data["bank"]
        return {
            "program": data["program"].get("program"),
            "mpn_id": data["mpn"].get("mpn_id"),
            "legal_business_profile": {
                "company_name": business.get("company_name"),
                "address": {
                    k: business.get(k, "")
                    for k in ("line1", "line2", "city", "state", "postal_code", "country")
                },
            },
            "primary_contact": {k: contact.get(k, "") for k in ("first_name", "last_name", "email", "phone")},
            "support_profile": {k: support.get(k, "") for k in ("email", "phone", "website")},
            "bank_account": {
                k: bank.get(k, "") for k in ("holder_name", "iban", "bic", "account_number", "routing_number")
            },
            "language": contact.get("language") or "en",
        }

    def _questionnaire(self) -> QuestionnaireForm | None:
        """The questionnaire step's form, valid, for a direct-bill application; else None."""
        if "questionnaire" not in self.get_form_list():
            return None
        form = self.get_form(step="questionnaire", data=self.storage.get_step_data("questionnaire"))
        return form if form.is_bound and form.is_valid() else None

    def _summary(self) -> dict:
        app = self._application()
        bank = app["bank_account"]
        number = bank.get("iban") or bank.get("account_number") or ""
        questionnaire = self._questionnaire()
        return {
            "app": app,
            "questionnaire": questionnaire.summary() if questionnaire else None,
            "questionnaire_change_url": reverse("enrollment:wizard-step", kwargs={"step": "questionnaire"})
            + "?"
            + urlencode({"next": reverse("enrollment:wizard-step", kwargs={"step": "review"})}),
            "program_label": dict(Program.choices).get(app["program"], ""),
            "country_label": country_name(app["legal_business_profile"]["address"]["country"] or ""),
            "language_label": dict(Language.choices).get(app["language"], ""),
            "bank_masked": f"•••• {number.replace(' ', '')[-4:]}" if number else "",
        }

    def done(self, form_list, **kwargs):
        # A rule that passed on its step may no longer hold (e.g. an enrollment was just
        # submitted elsewhere): the review page says so above its form; nothing was recorded.
        form = self.get_form(step="review", data=self.request.POST)
        form.is_valid()
        questionnaire = self._questionnaire()
        try:
            enrollment = self._submit(questionnaire)
        except InvalidInput as exc:
            if isinstance(exc, QuestionnaireRefused):
                raise  # back to its step (render_done), the wizard's data kept
            add_errors(form, exc.errors)
            return self.render(form)
        self.request.session.pop(PMC_PROFILES, None)
        self.request.session.pop(PREFILL, None)
        if enrollment.status == EnrollmentStatus.REJECTED:
            # A failing answer ends a direct-bill application at once: its page says why.
            messages.warning(
                self.request,
                _("Your company does not meet the direct-bill requirements. See the reason below."),
            )
        else:
            messages.success(
                self.request, _("Your application was submitted. Check the primary contact's inbox.")
            )
        return redirect("enrollment:status", enrollment_id=enrollment.pk)

    def render_done(self, form, **kwargs):
        # The questionnaire's own errors go back to its step, inline, with what was typed
        # (the wizard is reset only after a submission); nothing was recorded.
        try:
            return super().render_done(form, **kwargs)
        except QuestionnaireRefused as exc:
            self.request.session[QUESTIONNAIRE_ERRORS] = as_text(exc.errors)
            self.storage.current_step = "questionnaire"
            return redirect(self.get_step_url("questionnaire"))

    @transaction.atomic
    def _submit(self, questionnaire: QuestionnaireForm | None):
        """Submit the application and, for direct bill, answer its questionnaire: one
        transaction, so a questionnaire the service refuses leaves no application behind."""
        actor = self.request.user
        enrollment = services.enrollment_submit(actor=actor, application=self._application())
        if questionnaire is not None:
            try:
                enrollment = direct_bill_services.enrollment_answer_questionnaire(
                    actor=actor, enrollment=enrollment, answers=questionnaire.answers()
                )
            except InvalidInput as exc:
                raise QuestionnaireRefused(exc.errors) from exc
        return enrollment


class QuestionnaireRefused(InvalidInput):
    """The questionnaire service's ``InvalidInput``, told apart from the submission's."""


def as_text(errors):
    """Nested service errors with their messages as text (kept in the session)."""
    if isinstance(errors, dict):
        return {str(key): as_text(value) for key, value in errors.items()}
    if isinstance(errors, (list, tuple)):
        return [as_text(value) for value in errors]
    return str(errors)


@login_required
@require_POST
@sensitive_post_parameters("password")
def pmc_sign_in(request):
    _require_global_admin(request.user)
    form = PmcSignInForm(request.POST)
    back_url = reverse("enrollment:wizard-step", kwargs={"step": "mpn"})
    if form.is_valid():
        # Password guessing is paused as on the portal's own sign-in (accounts.lockout).
        username = form.cleaned_data["username"]
        request.sign_in_back_url = back_url
        if lockout.is_locked(request, username, realm=lockout.PMC_REALM):
            key = lockout.account_key(username, lockout.PMC_REALM)
            return lockout.lockout_page(request, username=key, back_url=back_url)
        # The sign-in is recorded: an MPN ID chosen from it is proved at submission.
        try:
            _proof, records = mpn.pmc_sign_in(actor=request.user, **form.cleaned_data)
        except InvalidInput:
            records = None
        if records is None:
            # A failure that locks: axes' middleware answers with the lockout page.
            lockout.record_failure(request, username, realm=lockout.PMC_REALM)
            messages.error(request, mpn.wrong_pmc_credentials())
        elif not records:
            messages.warning(request, _("This Partner Membership Center account has no company profiles."))
        else:
            request.session[PMC_PROFILES] = [r.__dict__ for r in records]
    else:
        messages.error(request, _("Enter your Partner Membership Center username and password."))
    return redirect(back_url)


@login_required
@require_POST
def pmc_choose(request):
    _require_global_admin(request.user)
    allowed = {p["mpn_id"] for p in request.session.get(PMC_PROFILES) or []}
    mpn_id = request.POST.get("mpn_id", "")
    if mpn_id in allowed:
        request.session[PMC_CHOSEN] = mpn_id
    return redirect(reverse("enrollment:wizard-step", kwargs={"step": "mpn"}))


def timeline_page(request) -> int:
    """The timeline's page asked for (``?timeline_page=``; 1, the latest, for anything else)."""
    value = request.GET.get("timeline_page", "")
    return min(int(value), 10**6) if value.isdigit() and int(value) > 0 else 1


@login_required
def status(request, enrollment_id):
    """The applicant's page: what to do now and when, the checks, a page of the timeline.
    As it read a moment ago, until one of its rows changes (``enrollment.kept``); with a
    form sent back with its errors (``partner_action_forms``), as computed."""
    if request.method != "GET" or getattr(request, "partner_action_forms", None):
        return render(request, STATUS_PAGE, {"body": _status_body(request, enrollment_id)[0]})
    rows = kept.rows_of(enrollment_id)

    def compute():
        body, enrollment, step = _status_body(request, enrollment_id)
        when = step.when if step.when is not None and step.when >= timezone.now() else None
        return {"body": body}, generations.earliest(kept.valid_until(enrollment, rows), when)

    return generations.cached_page(request, STATUS_PAGE, compute, owned=rows and rows.owned)


def _status_body(request, enrollment_id):
    enrollment = selectors.enrollment_for(request.user, enrollment_id, timeline_page(request))
    step = selectors.next_step(enrollment)
    body = render_to_string(
        "enrollment/_status_body.html",
        {
            "enrollment": enrollment,
            "partner": enrollment.partner,
            "bank": getattr(enrollment.partner, "bank_account", None),
            "next": step,
            "can_act": request.user.is_global_admin,
            "withdraw_form": WithdrawForm(),
        },
        request=request,
    )
    return mark_safe(body), enrollment, step  # noqa: S308 - rendered


@login_required
@require_POST
@domain_errors(back="enrollment:status")
def resend(request, enrollment_id):
    enrollment = selectors.enrollment_for(request.user, enrollment_id)
    services.enrollment_resend_verification_email(actor=request.user, enrollment=enrollment)
    messages.success(request, _("We sent a new link. The earlier link no longer works."))
    return redirect("enrollment:status", enrollment_id=enrollment_id)


@login_required
@require_POST
@domain_errors(back="enrollment:status")
def withdraw(request, enrollment_id):
    enrollment = selectors.enrollment_for(request.user, enrollment_id)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.enrollment_withdraw(actor=request.user, enrollment=enrollment, reason=reason)
    messages.success(request, _("Your application was withdrawn."))
    return redirect("enrollment:status", enrollment_id=enrollment_id)


def verify_email(request, token):
    """The link in the email. GET asks for one click (mail scanners follow links
    without a person), POST confirms."""
    if request.method == "POST":
        try:
            enrollment = email_verification_confirm(token=token)
        except TokenError as exc:
            return render(
                request,
                "enrollment/verify_email.html",
                {"error": exc.message, "reason": exc.reason},
                status=400,
            )
        return render(request, "enrollment/verify_email.html", {"confirmed": enrollment})
    return render(request, "enrollment/verify_email.html", {"token": token})


def not_requested(request, token):
    """The second link in the email, "I did not request this". GET asks for one click (no
    change: mail scanners follow links), POST withdraws the application."""
    if request.method == "POST":
        try:
            enrollment = enrollment_report_not_requested(token=token)
        except TokenError as exc:
            return render(request, "enrollment/not_requested.html", {"error": exc.message}, status=400)
        return render(request, "enrollment/not_requested.html", {"withdrawn": enrollment})
    return render(request, "enrollment/not_requested.html", {"token": token})
