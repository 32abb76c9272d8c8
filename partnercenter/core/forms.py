"""Helpers for pages that show a service's ``InvalidInput`` on a form."""

from .errors import InvalidInput


def add_errors(form, errors: dict, *, prefix: str = "", fields: dict | None = None) -> None:
    """Put nested service errors on the form's fields.

    ``fields`` maps a dotted error path (``"primary_contact.email"``) to a form field name;
    without a match the message goes to the form's non-field errors.
    """
    for key, value in errors.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            add_errors(form, value, prefix=f"{path}.", fields=fields)
            continue
        name = (fields or {}).get(path, path)
        for message in value:
            form.add_error(name if name in form.fields else None, message)


def call_with_form(form, call, *, fields: dict | None = None):
    """Run a service for a bound, valid form: its result (True for a service that answers
    nothing), or None with the service's ``InvalidInput`` put on the form's fields
    (``fields`` maps error paths to field names). Every other domain error goes on to the
    one page mapping (``partnercenter.core.pages``)."""
    try:
        result = call()
    except InvalidInput as exc:
        add_errors(form, exc.errors, fields=fields)
        return None
    return True if result is None else result
