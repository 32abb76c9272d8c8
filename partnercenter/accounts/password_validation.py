"""The portal's own password rules, beside Django's (AUTH_PASSWORD_VALIDATORS), so that
every form and API that sets a password applies them: sign-up, the password change, the
admin's forms.

- ``NotBlankValidator``: not only spaces (ten spaces pass Django's length rule).
- ``WordWithYearValidator``: not a common word with a year (``Password2026``,
  ``Welcome2025!``, ``2026summer``): the first thing a guesser tries.
- ``DemoPasswordValidator``: outside DEBUG, none of the passwords ``seed_demo`` prints
  (published in the README and in every demo's output).
"""

import re

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The passwords `manage.py seed_demo` gives its accounts and prints (a test keeps this in
# step with the command).
PUBLISHED_DEMO_PASSWORDS = frozenset(
    {
        "demo-partner-2026",
        "demo-reviewer-2026",
        "demo-admin-2026",
        "contoso-pmc-2026",
        "fabrikam-pmc-2026",
        "northwind-pmc-2026",
        "tailspin-pmc-2026",
        "wingtip-pmc-2026",
        "adatum-pmc-2026",
        "trey-pmc-2026",
        "proseware-pmc-2026",
        "fourth-coffee-pmc-2026",
    }
)

# A word (letters, maybe with a separator), and a year before or after it, and perhaps
# some punctuation or a digit or two: "Password2026", "Welcome2025!", "2026-Summer".
_YEAR = r"(?:19|20)\d\d"
_WORD_WITH_YEAR = re.compile(
    rf"^[\W_]*(?:(?P<before>[^\W\d_]+)[\W_]*{_YEAR}|{_YEAR}[\W_]*(?P<after>[^\W\d_]+))[\W_\d]{{0,3}}$"
)


class NotBlankValidator:
    def validate(self, password, user=None):
        if not (password or "").strip():
            raise ValidationError(
                _("Your password cannot be only spaces. Choose one with letters, digits or symbols."),
                code="password_blank",
            )

    def get_help_text(self):
        return _("Your password cannot be only spaces.")


class WordWithYearValidator:
    """A word Django's list of common passwords holds, with a year: refused."""

    def __init__(self):
        self._common = CommonPasswordValidator()

    def _is_common(self, word: str) -> bool:
        word = word.lower()
        return len(word) >= 3 and word in self._common.passwords

    def validate(self, password, user=None):
        match = _WORD_WITH_YEAR.match(password or "")
        if match and self._is_common(match["before"] or match["after"]):
            raise ValidationError(
                _(
                    "A common word with a year (like “Password2026”) is one of the first guesses. "
                    "Choose a password that is not a word and a year, for example a few unrelated words."
                ),
                code="password_word_with_year",
            )

    def get_help_text(self):
        return _("Your password cannot be a common word with a year.")


class DemoPasswordValidator:
    """The demo's published passwords are fine on a developer's machine (DEBUG), never on
    a portal others reach."""

    def validate(self, password, user=None):
        if not settings.DEBUG and (password or "").strip().lower() in PUBLISHED_DEMO_PASSWORDS:
            raise ValidationError(
                _("This password is published with the portal's demo data. Choose another one."),
                code="password_published_demo",
            )

    def get_help_text(self):
        return _("Your password cannot be one of the demo's published passwords.")
