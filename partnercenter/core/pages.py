"""Domain errors reach pages in one place (HOUSE_STYLE 7d), as the API's reach it in
``partnercenter.core.api``: each error becomes its page response with the service's own
message.

- ``NotPermitted`` -> the 403 page with the service's reason;
- ``NotFound`` -> the 404 page;
- ``InvalidTransition`` (someone moved the object first, or its state forbids the action)
  and ``InvalidInput`` that no form shows -> after a button (POST) on a page that names
  where to go ``back``, that page again with the message; otherwise a 409 (or 400) page
  with the message and a way back.

``DomainErrorMiddleware`` applies it to every page; ``domain_errors(back=..., title=...)``
lets a view say which page its buttons come from and how its refusal page is titled.
A form that shows a service's ``InvalidInput`` on its fields does it with
``partnercenter.core.forms.call_with_form``.
"""

from functools import wraps
from itertools import combinations

from django.contrib import messages
from django.shortcuts import redirect, render, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .errors import DomainError, InvalidInput, InvalidTransition, NotFound, NotPermitted, flatten_messages


def error_messages(exc: DomainError) -> list[str]:
    """What the person reads: the service's message (a conflict says the current status)."""
    if isinstance(exc, InvalidTransition):
        if exc.label:
            return [
                _("%(message)s Current status: %(status)s.") % {"message": exc.message, "status": exc.label}
            ]
        return [str(exc.message)]
    if isinstance(exc, InvalidInput):
        return flatten_messages(exc.errors)
    return [str(getattr(exc, "message", exc))]


def domain_error_page(
    request, exc: DomainError, *, back=None, back_kwargs=None, title=None, back_label=None, redirect_back=True
):
    """The page answer to a domain error (see the module's docstring)."""
    from .views import page_not_found, permission_denied

    if isinstance(exc, NotPermitted):
        return permission_denied(request, exc)
    if isinstance(exc, NotFound):
        return page_not_found(request, exc)
    found = error_messages(exc)
    back_url = resolve_url(back, **(back_kwargs or {})) if back else None
    if request.method == "POST" and back_url and redirect_back:
        for message in found:
            messages.error(request, message)
        return redirect(back_url)
    return render(
        request,
        "refused.html",
        {
            "title": title or _("This is not possible now"),
            "messages_": found,
            "back_url": back_url or resolve_url("home"),
            "back_label": back_label or _("Go back"),
        },
        status=409 if isinstance(exc, InvalidTransition) else 400,
    )


def domain_errors(*, back=None, title=None, back_label=None, redirect_back=True):
    """Say where a page's buttons come from and how its refusal reads.

    ``back``: a URL name (reversed with those of the view's own URL arguments that it
    takes) or a callable ``(request, **kwargs) -> url``. After a button (POST) a conflict
    goes back there with its message, unless ``redirect_back`` is False: then, as after a
    GET, the refusal page says it, titled ``title``, with a link back named ``back_label``.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except DomainError as exc:
                if isinstance(exc, (NotPermitted, NotFound)):
                    return domain_error_page(request, exc)
                if callable(back):
                    target, target_kwargs = back(request, **kwargs), None
                else:
                    target, target_kwargs = back, _url_kwargs(back, kwargs)
                return domain_error_page(
                    request,
                    exc,
                    back=target,
                    back_kwargs=target_kwargs,
                    title=title,
                    back_label=back_label,
                    redirect_back=redirect_back,
                )

        return wrapper

    return decorator


def _url_kwargs(name, kwargs: dict) -> dict:
    """The view's URL arguments that the ``back`` URL takes (the most of them that reverse)."""
    if not name or not kwargs:
        return {}
    for size in range(len(kwargs), 0, -1):
        for keys in combinations(kwargs, size):
            try:
                reverse(name, kwargs={key: kwargs[key] for key in keys})
            except NoReverseMatch:
                continue
            return {key: kwargs[key] for key in keys}
    return {}


class DomainErrorMiddleware:
    """Every page: a domain error that escaped the view becomes its page response (the API
    has its own handler, which answers JSON)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path_info.startswith("/api/"):
            return None
        return domain_error_page(request, exception)
