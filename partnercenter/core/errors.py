"""Domain errors raised by service functions and turned into HTTP answers in one place each:
``partnercenter.core.api.exception_handler`` for the API, ``partnercenter.core.pages`` for
the pages. Services never raise HTTP exceptions.

- ``InvalidInput``: bad input, field by field (nested as the input is) -> 400.
- ``NotPermitted``: the actor's role may not do this -> 403.
- ``NotFound``: the object is not the actor's to see (another partner's) -> 404.
- ``InvalidTransition``: the object's current state does not allow the move -> 409.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    pass


class InvalidInput(DomainError):
    """``errors`` maps field names to lists of messages, or to nested dicts of them."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors

    @classmethod
    def on(cls, field: str, message) -> "InvalidInput":
        return cls({field: [message]})


class NotPermitted(DomainError):
    def __init__(self, message=None):
        self.message = message or _("Your role does not allow this action. Ask your global admin.")
        super().__init__(str(self.message))


class NotFound(DomainError):
    """Never says whether the object exists: another partner's object is simply not found."""

    def __init__(self, message=None):
        self.message = message or _("We could not find this. Check the address, or go back to the overview.")
        super().__init__(str(self.message))


class InvalidTransition(DomainError):
    """``status`` is the object's current status (the API answers it); ``label`` the same
    as people read it, which the pages add to the message."""

    code = "invalid_transition"

    def __init__(self, status: str, message=None, *, label=None):
        self.status = status
        self.label = label
        self.message = message or _("This action is not possible while the status is “%(status)s”.") % {
            "status": label or status
        }
        super().__init__(str(self.message))


def flatten_messages(errors) -> list[str]:
    """All messages of a nested error dict, for a page that shows them in one list."""
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in flatten_messages(value)]
    if isinstance(errors, (list, tuple)):
        return [m for value in errors for m in flatten_messages(value)]
    return [str(errors)]
