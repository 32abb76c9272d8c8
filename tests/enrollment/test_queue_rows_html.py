"""The queue's rows, written in Python (``enrollment.views.queue_rows``), as the template's
autoescape would write them, in the reader's language."""

import pytest
from django.utils import translation

from tests.enrollment.test_review_pages import QUEUE, in_review
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, reviewer):
    client.force_login(reviewer)
    return client


def test_a_rows_own_values_are_escaped_and_its_words_translated(signed_in, other_reviewer):
    """The rows are written in Python (``views.queue_rows``): what a partner or a
    reviewer typed is escaped as the template's autoescape would, the words and labels
    are the reader's language's."""
    other_reviewer.first_name, other_reviewer.last_name = "<b>Sam", "O'Neil & Co"
    other_reviewer.save()
    partner = PartnerFactory(legal_name='<script>alert("x")</script> {name} GmbH')
    in_review(due_in_days=1, partner=partner, assignee=other_reviewer)
    content = signed_in.get(QUEUE).content.decode()
    assert "<script>alert" not in content and "<b>Sam" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; {name} GmbH" in content
    assert "&lt;b&gt;Sam O&#x27;Neil &amp; Co" in content
    signed_in.post("/i18n/setlang/", {"language": "ru", "next": QUEUE})
    content = signed_in.get(QUEUE).content.decode()
    with translation.override("ru"):
        words = [
            translation.gettext(w) for w in ("Decision due", "In review", "Germany", "Indirect reseller")
        ]
    assert all(word in content for word in words), words
