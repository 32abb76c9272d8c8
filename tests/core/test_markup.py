"""``markup.escaped`` writes what the templates' autoescape writes (``conditional_escape``)."""

from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext_lazy

from partnercenter.core.markup import escaped


def test_it_writes_what_autoescape_writes():
    for value in [
        '<b>"Eve" & O\'Neil</b>',
        42,
        None,
        gettext_lazy("Partner Center"),
        format_html("<i>{}</i>", "<"),
    ]:
        assert escaped(value) == conditional_escape(value)
    assert escaped(format_html("<i>{}</i>", "<")) == "<i>&lt;</i>"  # safe HTML stays as it is
    assert escaped("<a>") == "&lt;a&gt;"
