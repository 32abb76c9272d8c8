"""Whole pages kept (issue 12, ``generations.cached_page``): a kept page is given back
without rendering a template or reading more than who asks (its header and navigation are
kept with its body), the navigation's own reads retire it, and a page with a message to
show is rendered and not kept, so the message shows once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrollment.models import EnrollmentStatus
from partnercenter.core import generations
from partnercenter.core.querysets import statement_sql
from tests.factories import EnrollmentFactory, IndirectProviderFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(admin):
    partner = PartnerFactory(tenant=admin.tenant, legal_name="Fabrikam GmbH")
    return EnrollmentFactory(
        partner=partner, status=EnrollmentStatus.IN_REVIEW, due_at=timezone.now() + timedelta(days=3)
    )


def tables_read(queries) -> set[str]:
    found = set()
    for query in queries.captured_queries:
        found |= set(generations.READ.findall(statement_sql(query["sql"])))
    return found


def fetch(client, url):
    """The response, the templates it rendered and the tables it read."""
    rendered = []

    def on_render(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(on_render)
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    finally:
        template_rendered.disconnect(on_render)
    assert response.status_code == 200
    return response, rendered, tables_read(queries)


@pytest.mark.parametrize("who", ["admin", "reviewer"])
def test_a_kept_page_renders_nothing_and_reads_only_who_asks(request, client, enrollment, who):
    url = f"/enrollments/{enrollment.pk}/" if who == "admin" else f"/review/{enrollment.pk}/"
    client.force_login(request.getfixturevalue(who))
    first, rendered, read = fetch(client, url)
    assert "base.html" in rendered and "enrollment_enrollment" in read
    again, rendered, read = fetch(client, url)
    assert rendered == []
    # The session, the user, its work account and its rights, and which rows the page reads
    # (kept.rows_of: the enrollment and its partner).
    who_asks = {"django_session", "accounts_user", "accounts_tenant", "django_content_type"}
    assert read <= who_asks | generations._permissions() | {"enrollment_enrollment", "enrollment_partner"}
    assert without_tokens(again) == without_tokens(first)  # the same page, each with its reader's tokens


def without_tokens(response) -> str:
    return generations.CSRF_INPUT.sub("", response.content.decode())


def test_the_navigation_s_reads_retire_the_page(client, admin, enrollment):
    """The status page's body reads no relationship; its navigation does: a partner made an
    indirect provider finds *Indirect resellers* in it on the next request."""
    client.force_login(admin)
    url = f"/enrollments/{enrollment.pk}/"
    assert b'href="/indirect-resellers/"' not in client.get(url).content
    IndirectProviderFactory(partner=enrollment.partner)
    assert b'href="/indirect-resellers/"' in client.get(url).content


def test_a_page_with_a_message_shows_it_once(client, reviewer, enrollment):
    message = b"You hold this enrollment now."
    client.force_login(reviewer)
    url = f"/review/{enrollment.pk}/"
    assert message not in client.get(url).content  # kept
    client.post(f"{url}claim/")
    assert message in client.get(url).content
    assert message not in client.get(url).content  # the page with the message was not kept
    assert message not in client.get(url).content
