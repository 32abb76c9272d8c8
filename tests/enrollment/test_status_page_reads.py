"""The partner's status page (issue 12): its checks written by ``{% check_items %}`` are
what the template wrote (kept here as it was), for each result, in each language; the
partner's bank account comes with the enrollment; and the page reads a constant, counted
number of queries however many checks, events and documents it shows."""

import re

import pytest
from django.db import connection
from django.template import Context, Template, engines
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from enrollment import check_details, events
from enrollment.models import CheckKind, CheckResult, EnrollmentDocument, EnrollmentStatus
from partnercenter.audit.models import Event
from tests.factories import BankAccountFactory, EnrollmentFactory, PartnerFactory, VerificationCheckFactory

pytestmark = pytest.mark.django_db

CHECKS_TEMPLATE = """{% load i18n %}
    {% for check in checks %}
      <li class="check-{{ check.result }}"><span class="dot" aria-hidden="true"></span><span class="check-label">{{ check.get_kind_display }}</span> <span class="badge result-{{ check.result }}">{{ check.get_result_display }}</span>{% if check.result == "failed" and check.detail %}<span class="reason"><span class="visually-hidden">{% translate "Reason" %}: </span>{{ check.detail }}</span>{% endif %}</li>
    {% endfor %}
"""


def shown(html: str) -> str:
    """The HTML as a browser shows it: no whitespace between the items."""
    return re.sub(r"\s*(</?li\b[^>]*>)\s*", r"\1", str(html)).strip()


@pytest.fixture
def enrollment(admin):
    enrollment = EnrollmentFactory(
        partner=PartnerFactory(tenant=admin.tenant), status=EnrollmentStatus.IN_REVIEW
    )
    VerificationCheckFactory(enrollment=enrollment, kind=CheckKind.EMAIL_OWNERSHIP, result=CheckResult.PASSED)
    failed = VerificationCheckFactory(
        enrollment=enrollment, kind=CheckKind.BANK_ACCOUNT, result=CheckResult.FAILED
    )
    failed.detail = "The IBAN <is> wrong & the holder too"
    failed.save()
    coded = VerificationCheckFactory(
        enrollment=enrollment, kind=CheckKind.MPN_COUNTRY, result=CheckResult.FAILED
    )
    coded.detail = check_details.Detail(check_details.MPN_COUNTRY_SAME.code, {"country": "JP"})
    coded.save()
    VerificationCheckFactory(enrollment=enrollment, kind=CheckKind.ADDRESS, result=CheckResult.FAILED)
    VerificationCheckFactory(enrollment=enrollment, kind=CheckKind.DUPLICATE, result=CheckResult.PENDING)
    passed = VerificationCheckFactory(
        enrollment=enrollment, kind=CheckKind.MPN_STATUS, result=CheckResult.PASSED
    )
    passed.detail = "Seen active"  # a passed check's words are not shown
    passed.save()
    return enrollment


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans", "zh-hant"])
def test_the_checks_are_what_the_template_wrote(enrollment, language):
    checks = list(enrollment.checks.all())
    with translation.override(language):
        written = engines["django"].from_string("{% load check_list %}{% check_items checks %}")
        written = written.render({"checks": checks})
        expected = Template(CHECKS_TEMPLATE).render(Context({"checks": checks}))
    assert shown(written) == shown(expected)
    assert written.count("<li ") == 6 and written.count('class="reason"') == 2
    assert "&lt;is&gt; wrong &amp; the holder" in written


def status_page(client, user, enrollment):
    client.force_login(user)
    with CaptureQueriesContext(connection) as read:
        response = client.get(f"/enrollments/{enrollment.pk}/")
    assert response.status_code == 200
    return response.content.decode(), read.captured_queries


def test_the_page_reads_a_counted_number_of_queries(client, admin, enrollment):
    BankAccountFactory(partner=enrollment.partner, holder_name="Fabrikam <GmbH>", last4="4321")
    content, few = status_page(client, admin, enrollment)
    assert "Fabrikam &lt;GmbH&gt; · •••• 4321" in content
    # The session and the user with its tenant; the rows kept (``enrollment.kept``); the
    # enrollment with its partner, tenant, direct-bill application and bank account; its
    # checks; a page of its timeline; the decisions' events; its documents; the navigation's.
    assert len(few) == 9, [q["sql"][:80] for q in few]
    for n in range(60):
        Event.objects.create(
            at=enrollment.partner.created_at,
            kind=events.INFO_REQUESTED.code,
            actor_label="reviewer@partners.test",
            tenant=admin.tenant,
            object_type="enrollment.enrollment",
            object_id=str(enrollment.pk),
            note=f"Note {n}",
        )
        if n < 3:
            EnrollmentDocument.objects.create(
                enrollment=enrollment,
                document_type="business_registration",
                original_name=f"d{n}.pdf",
                size=1,
            )
    content, many = status_page(client, admin, enrollment)
    assert "Note 59" in content and "d2.pdf" in content
    assert len(many) == len(few)
