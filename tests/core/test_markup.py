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


def test_each_rows_address_is_what_reverse_writes():
    import uuid

    from django.urls import reverse

    from partnercenter.core.markup import address_of_each

    address = address_of_each("enrollment:review-detail")
    for pk in (uuid.uuid4(), uuid.uuid4()):
        assert address(pk) == reverse("enrollment:review-detail", args=[pk])
