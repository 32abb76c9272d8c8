"""Who may do what in enrollment, each rule once. Services call the ``require_*`` checks
(they raise ``NotPermitted``: 403); views, templates and the API ask the predicates."""

from django.utils.translation import gettext_lazy as _

from partnercenter.accounts.models import Role
from partnercenter.core.errors import NotPermitted

from .models import Enrollment, Program

REVIEW_PERMISSION = "enrollment.review_enrollment"
# What a reviewer of the program staff (not a superuser) is given: the queue, and the
# administration's enrollments, partners, registry, checks and program settings.
PROGRAM_STAFF_PERMISSIONS = (
    "review_enrollment",
    "view_enrollment",
    "view_partner",
    "view_mpnprofile",
    "change_mpnprofile",
    "add_mpnprofile",
    "view_verificationcheck",
    "view_programsetting",
    "add_programsetting",
    "change_programsetting",
)
BUSINESS_PROFILE_ROLES = (Role.GLOBAL_ADMIN, Role.BUSINESS_PROFILE_ADMIN)


def program_staff_permissions():
    """``PROGRAM_STAFF_PERMISSIONS`` as rows, to give a reviewer."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="enrollment", codename__in=PROGRAM_STAFF_PERMISSIONS
    )


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


ONLY_THE_GLOBAL_ADMIN_ENROLLS = _(
    "Only your organization's global admin can enroll. Ask them to sign in and do it."
)


def require_global_admin(actor, message=None) -> None:
    """Only the tenant's global admin may enroll, withdraw, resend or accept agreements."""
    if not (_signed_in(actor) and actor.is_global_admin):
        raise NotPermitted(
            message or _("Only your organization's global admin can do this. Ask them to sign in and do it.")
        )


def is_reviewer(user) -> bool:
    """Program staff with the review permission work the queue (API.md: "Program staff are
    Django staff users with the enrollment.review_enrollment permission")."""
    return _signed_in(user) and user.is_staff and user.has_perm(REVIEW_PERMISSION)


def require_reviewer(actor) -> None:
    if not is_reviewer(actor):
        raise NotPermitted(_("Only program staff with the review permission can do this."))


def may_enroll(user, program: str = Program.INDIRECT_RESELLER, *, open_programs=None) -> bool:
    """The global admin may start an enrollment in ``program`` while the partner has no open
    one there (a rejected, withdrawn or expired application leaves the way free).
    ``open_programs``: the programs with an open enrollment, when the caller has read them."""
    if not (_signed_in(user) and user.is_global_admin):
        return False
    if open_programs is None:
        open_programs = set(
            Enrollment.objects.open()
            .filter(partner__tenant_id=user.tenant_id)
            .values_list("program", flat=True)
        )
    return program not in open_programs


def can_edit_business_profile(user) -> bool:
    return _signed_in(user) and any(user.has_role(role) for role in BUSINESS_PROFILE_ROLES)


def require_business_profile_admin(actor) -> None:
    """The business profile admin (or the global admin) edits the business profile."""
    if not can_edit_business_profile(actor):
        raise NotPermitted(
            _(
                "Only the business profile admin or the global admin can edit the business profile. "
                "Ask your global admin for the role."
            )
        )


def require_agreement_manager(actor) -> None:
    """Staff who may change agreement templates publish and retire their versions."""
    if not (_signed_in(actor) and actor.is_staff and actor.has_perm("enrollment.change_agreementtemplate")):
        raise NotPermitted(_("Only program staff who manage agreements can do this."))


# --- Incentives (issue 11) --------------------------------------------------------------------
INCENTIVES_ROLES = (Role.GLOBAL_ADMIN, Role.INCENTIVES_ADMIN)


def may_manage_incentives(user) -> bool:
    """The global admin and the incentives admin see and enroll in the incentive programs
    (direct-bill and indirect-reseller alike)."""
    return _signed_in(user) and any(user.has_role(role) for role in INCENTIVES_ROLES)


def require_incentives_admin(actor) -> None:
    if not may_manage_incentives(actor):
        raise NotPermitted(
            _(
                "Only the incentives admin or the global admin can see and enroll in incentives. "
                "Ask your global admin for the role."
            )
        )
