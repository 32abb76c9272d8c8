"""The registry of audit event kinds (HOUSE_STYLE 7b, 7c; pretix's ``LogEntry.display``).

Each app declares its kinds once, in its ``events.py``: a code (stored on the row), the
label people read, and where the system has something to say about the event, the
sentence it renders from the event's parameters, at read time, in the reader's language.
People's own words (a reason, a request, an answer) are not in the sentence: they are the
event's ``note``, stored as typed.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from partnercenter.core.l10n import format_list


@dataclass(frozen=True)
class EventKind:
    code: str
    # What happened, as people read it ("Application submitted"); a lazy translation.
    label: object
    # The system's words about this event, from its parameters (``Event.data``).
    sentence: Callable[[Mapping], object] | None = None

    def describe(self, data: Mapping) -> str:
        """The system's sentence in the active language ("" when it has none). Rows copied
        from the older event tables carry their text as ``data["detail"]``."""
        if self.sentence is not None:
            try:
                return str(self.sentence(data))
            except (KeyError, TypeError, ValueError):
                pass
        return str(data.get("detail", "")) if isinstance(data, Mapping) else ""

    def __str__(self) -> str:
        return self.code


_KINDS: dict[str, EventKind] = {}


def listed(codes, labels: Mapping) -> str:
    """Stored codes (field names, roles) as a list in the reader's language: each by its
    label (a code without one as itself), listed as the language lists them."""
    return format_list(labels.get(code, code) for code in codes)


def register(code: str, label, sentence: Callable[[Mapping], object] | None = None) -> EventKind:
    """Declare a kind; each code once, whichever app declares it."""
    if code in _KINDS:
        raise ImproperlyConfigured(f"The audit event kind {code!r} is registered twice.")
    kind = EventKind(code=code, label=label, sentence=sentence)
    _KINDS[code] = kind
    return kind


def get(code: str) -> EventKind:
    """The kind of a stored row; a code nobody registers (any more) reads as itself."""
    return _KINDS.get(code) or EventKind(code=code, label=code)


def is_registered(kind: EventKind) -> bool:
    return _KINDS.get(kind.code) is kind


def registered() -> dict[str, EventKind]:
    return dict(_KINDS)
