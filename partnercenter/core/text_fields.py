"""A required text of bounded length, with its own full sentences.

A message never pastes a field's name into a shared sentence ("Enter the %(label)s."): a
translator cannot make one sentence fit "first name", "city" and "legal company name" in
the grammar of Russian or Chinese. Each field says its own sentences, and the length limit
is a plural (``ngettext``) on the limit."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, ngettext_lazy

PERSON_NAME_MAX = 50


@dataclass(frozen=True)
class TextField:
    missing: Promise  # gettext_lazy: "Enter the city."
    too_long: Promise  # ngettext_lazy(..., "max"): "Shorten the city to at most %(max)d characters (it has %(length)d)."
    maximum: int

    def errors(self, value) -> list[str]:
        length = len(value.strip()) if isinstance(value, str) else 0
        if length == 0:
            return [str(self.missing)]
        if length > self.maximum:
            return [self.too_long % {"max": self.maximum, "length": length}]
        return []


# A person's names: the partner's users and the enrollment's primary contact.
FIRST_NAME = TextField(
    gettext_lazy("Enter the first name."),
    ngettext_lazy(
        "Shorten the first name to at most %(max)d character (it has %(length)d).",
        "Shorten the first name to at most %(max)d characters (it has %(length)d).",
        "max",
    ),
    PERSON_NAME_MAX,
)
LAST_NAME = TextField(
    gettext_lazy("Enter the last name."),
    ngettext_lazy(
        "Shorten the last name to at most %(max)d character (it has %(length)d).",
        "Shorten the last name to at most %(max)d characters (it has %(length)d).",
        "max",
    ),
    PERSON_NAME_MAX,
)
