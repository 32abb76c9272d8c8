"""Who may do what in an enrollment. Services call these; they raise ``NotPermitted``."""

from django.utils.translation import gettext_lazy as _

from partnercenter.core.errors import NotPermitted


def require_global_admin(actor) -> None:
    """Only the tenant's global admin may enroll, withdraw, resend or accept agreements."""
    if not (actor and actor.is_authenticated and actor.is_global_admin):
        raise NotPermitted(
            _("Only your organization's global admin can do this. Ask them to sign in and do it.")
        )


def require_reviewer(actor) -> None:
    """Program staff with the review permission work the queue."""
    if not (
        actor and actor.is_authenticated and actor.is_staff and actor.has_perm("enrollment.review_enrollment")
    ):
        raise NotPermitted(_("Only program staff with the review permission can do this."))
