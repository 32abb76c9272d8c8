"""Who may manage the partner's users. Services and views call these; they raise ``NotPermitted``."""

from django.utils.translation import gettext_lazy as _

from partnercenter.core.errors import NotPermitted


def require_global_admin(actor) -> None:
    """Only the global admin adds employees and assigns roles (DOMAIN.md, "Who takes part")."""
    if not (actor and actor.is_authenticated and actor.is_global_admin):
        raise NotPermitted(
            _("Only your organization's global admin can manage users and roles. Ask them to do it.")
        )
