"""Program staff open and close a program's applications (issue 9, "Staff open and close
it"; the reads are ``enrollment.programs``).

Domain errors raised: ``InvalidInput`` (400: an unknown or not closable program, a closing
without a reason), ``NotPermitted`` (403: not program staff with the review permission),
``InvalidTransition`` (409: the applications are already open, or already closed).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput, InvalidTransition

from .. import events
from ..permissions import require_reviewer
from ..programs import CLOSABLE, ProgramSetting, default_applications_open

REASON_MAX = 2000


def program_change_errors(program, applications_open, reason) -> dict:
    """What is wrong with the change as asked, field by field ({} when nothing): the form
    of the review page and of the admin show it before the service runs it."""
    errors: dict = {}
    if program not in CLOSABLE:
        errors["program"] = [_("Only direct-bill applications can be opened or closed.")]
    if not isinstance(applications_open, bool):
        errors["applications_open"] = [_("Say true to open applications or false to close them.")]
    if not isinstance(reason, str):
        errors["reason"] = [_("Write the reason as text.")]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [
            ngettext(
                "Shorten the reason to at most %(max)d character (it has %(length)d).",
                "Shorten the reason to at most %(max)d characters (it has %(length)d).",
                REASON_MAX,
            )
            % {"max": REASON_MAX, "length": len(reason)}
        ]
    elif applications_open is False and not reason.strip():
        # Applicants read why: the closed wizard and the API's 400 quote it.
        errors["reason"] = [_("Say why applications are closed: applicants read it.")]
    return errors


def program_unchanged_refusal(setting: ProgramSetting) -> str:
    """The refusal of a change to the state the program is in already."""
    if setting.applications_open:
        return _("%(program)s applications are already open. Nothing was changed.") % {
            "program": setting.get_program_display()
        }
    return _("%(program)s applications are already closed. Nothing was changed.") % {
        "program": setting.get_program_display()
    }


def program_set_applications_open(
    *, actor, program: str, applications_open: bool, reason: str = ""
) -> ProgramSetting:
    """Open or close ``program``'s applications, saying why (required to close: applicants
    read it). Applications already submitted are not touched: only new ones are refused.
    Asking for the state it is in already is refused (409), so that every audit row is a
    change."""
    require_reviewer(actor)
    errors = program_change_errors(program, applications_open, reason)
    if errors:
        raise InvalidInput(errors)
    reason = reason.strip()
    with transaction.atomic():
        # The row may not exist yet (never changed: the default). Create it with the
        # default, then lock it: two staff members changing it at once act one after the
        # other, and the second one sees the first one's change.
        ProgramSetting.objects.get_or_create(
            program=program, defaults={"applications_open": default_applications_open(program)}
        )
        setting = ProgramSetting.objects.select_for_update().get(pk=program)
        if setting.applications_open == applications_open:
            raise InvalidTransition(setting.state, program_unchanged_refusal(setting))
        old = setting.state
        setting.applications_open = applications_open
        setting.reason = "" if applications_open else reason
        setting.changed_at = timezone.now()
        setting.changed_by = actor
        setting.save(update_fields=["applications_open", "reason", "changed_at", "changed_by"])
        record_event(
            setting,
            events.PROGRAM_APPLICATIONS_OPENED if applications_open else events.PROGRAM_APPLICATIONS_CLOSED,
            actor=actor,
            from_state=old,
            to_state=setting.state,
            note=reason,
            at=setting.changed_at,
            program=program,
        )
    return setting
