"""HTML written in Python for the pages' long lists (issue 12: rows rendered as templates
were most of a list page's time)."""

import html

from django.utils.safestring import SafeString


def escaped(value) -> str:
    """What the templates' autoescape writes for ``value`` (``conditional_escape``): safe
    HTML as it is, anything else escaped; without ``conditional_escape``'s per-call checks
    for lazy strings, which a row of a dozen values paid a dozen times."""
    return value if isinstance(value, SafeString) else html.escape(str(value))
