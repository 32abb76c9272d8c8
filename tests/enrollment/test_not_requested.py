""" "I did not request this" (issue 8): the verification email carries a second link; GET
shows a confirmation page and changes nothing, POST withdraws the application, tells the
global admin by email and records one audit row of its own kind. The token is single-use,
expiring and unguessable like the confirmation link."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from enrollment.models import EmailVerification, Enrollment
from enrollment.services.application import enrollment_resend_verification_email, enrollment_submit
from enrollment.services.confirmation import (
    TokenError,
    email_verification_confirm,
    enrollment_report_not_requested,
)
from enrollment.services.links import hash_token
from partnercenter.audit.models import Event

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


def tokens(message) -> tuple[str, str]:
    confirm = re.search(r"/verify-email/([A-Za-z0-9_-]+)/", message.body).group(1)
    refuse = re.search(r"/not-requested/([A-Za-z0-9_-]+)/", message.body).group(1)
    return confirm, refuse


@pytest.fixture
def submitted(admin, application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrollment_submit(actor=admin, application=application)
    return enrollment


class TestTheSecondLink:
    def test_the_email_carries_both_links_and_only_hashes_are_stored(self, submitted):
        confirm, refuse = tokens(mail.outbox[0])
        assert confirm != refuse and len(refuse) >= 43  # 256 bits
        link = EmailVerification.objects.get(enrollment=submitted)
        assert link.refusal_token_hash == hash_token(refuse) and refuse not in str(link.__dict__)
        assert "I did not request this" in mail.outbox[0].alternatives[0][0]

    def test_get_shows_a_confirm_page_and_changes_nothing(self, client, submitted):
        _confirm, refuse = tokens(mail.outbox[0])
        page = client.get(f"/not-requested/{refuse}/")
        assert page.status_code == 200 and b'method="post"' in page.content
        submitted.refresh_from_db()
        assert submitted.status == "pending_email_verification"
        assert not Event.objects.filter(kind="not_requested").exists()

    def test_post_withdraws_tells_the_global_admin_and_records_it_once(
        self, client, admin, submitted, django_capture_on_commit_callbacks
    ):
        _confirm, refuse = tokens(mail.outbox[0])
        with django_capture_on_commit_callbacks(execute=True):
            page = client.post(f"/not-requested/{refuse}/")
        assert page.status_code == 200 and b"withdrawn" in page.content
        submitted.refresh_from_db()
        assert submitted.status == "withdrawn" and submitted.decided_at == NOW
        event = Event.objects.get(kind="not_requested")
        assert (event.from_state, event.to_state, event.actor_id) == (
            "pending_email_verification",
            "withdrawn",
            None,
        )
        assert event.actor_label == "Jonas Becker <jonas@fabrikam.de>"
        told = [m for m in mail.outbox if m.to == [admin.email]]
        assert len(told) == 1 and "jonas@fabrikam.de" in told[0].body

    def test_single_use_and_the_confirmation_link_stops_working(self, client, submitted):
        confirm, refuse = tokens(mail.outbox[0])
        client.post(f"/not-requested/{refuse}/")
        again = client.post(f"/not-requested/{refuse}/")
        assert again.status_code == 400 and b"did not request it" in again.content
        with pytest.raises(TokenError) as raised:
            email_verification_confirm(token=confirm)
        assert raised.value.reason == "refused"
        assert Event.objects.filter(kind="not_requested").count() == 1

    def test_it_expires_with_the_confirmation_link(self, submitted, settings):
        _confirm, refuse = tokens(mail.outbox[0])
        later = NOW + timedelta(days=settings.EMAIL_VERIFICATION_TTL_DAYS)
        with time_machine.travel(later, tick=False), pytest.raises(TokenError) as raised:
            enrollment_report_not_requested(token=refuse)
        assert raised.value.reason == "expired"

    def test_a_resend_replaces_it(self, admin, submitted):
        _confirm, refuse = tokens(mail.outbox[0])
        enrollment_resend_verification_email(actor=admin, enrollment=submitted)
        with pytest.raises(TokenError) as raised:
            enrollment_report_not_requested(token=refuse)
        assert raised.value.reason == "superseded"

    def test_after_the_confirmation_it_no_longer_withdraws(self, submitted):
        confirm, refuse = tokens(mail.outbox[0])
        email_verification_confirm(token=confirm)
        with pytest.raises(TokenError) as raised:
            enrollment_report_not_requested(token=refuse)
        assert raised.value.reason == "used" and "already confirmed" in raised.value.message
        assert Enrollment.objects.get(pk=submitted.pk).status == "in_review"

    @pytest.mark.parametrize("token", ["", "guess", "x" * 43])
    def test_an_unknown_token_is_400(self, client, submitted, token):
        if token:
            assert client.post(f"/not-requested/{token}/").status_code == 400
        # the confirmation token is not a refusal token
        confirm, _refuse = tokens(mail.outbox[0])
        with pytest.raises(TokenError) as raised:
            enrollment_report_not_requested(token=token or confirm)
        assert raised.value.reason == "unknown"


class TestApi:
    def test_post_withdraws(self, api, submitted):
        _confirm, refuse = tokens(mail.outbox[0])
        answer = api.post("/api/v1/email-verifications/not-requested/", {"token": refuse}, format="json")
        assert answer.status_code == 200 and answer.json()["status"] == "withdrawn"
        again = api.post("/api/v1/email-verifications/not-requested/", {"token": refuse}, format="json")
        assert again.status_code == 400 and "token" in again.json()
