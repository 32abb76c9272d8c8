"""The enrollment state changes: each service function, its rights, its lock, its
event row and its email after commit."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, connection, transaction

from enrollment import events
from enrollment.models import (
    TRANSITIONS,
    EmailVerification,
    Enrollment,
    EnrollmentStatus,
    Partner,
    VerificationCheck,
)
from enrollment.services import application as application_services
from enrollment.services.application import (
    enrollment_resend_verification_email,
    enrollment_submit,
    enrollment_withdraw,
)
from enrollment.services.common import move
from enrollment.services.confirmation import TokenError, email_verification_confirm
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from partnercenter.notifications.models import Notification
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/verify-email/([A-Za-z0-9_-]+)/")


def submit(admin, application, capture):
    with capture(execute=True):
        return enrollment_submit(actor=admin, application=application)


def token_of(message) -> str:
    return LINK.search(message.body).group(1)


@pytest.fixture
def submitted(admin, application, django_capture_on_commit_callbacks):
    return submit(admin, application, django_capture_on_commit_callbacks)


class TestSubmit:
    def test_records_partner_enrollment_checks_and_events(self, submitted, tenant):
        partner = Partner.objects.get(tenant=tenant)
        assert partner.legal_name == "Fabrikam Deutschland GmbH"
        assert partner.contact_email == "jonas@fabrikam.de"
        assert partner.contact_phone == "+49301234567"
        assert partner.market.currency == "EUR"
        assert submitted.status == EnrollmentStatus.PENDING_EMAIL_VERIFICATION
        assert submitted.partner == partner
        # One audit row for the state change, saying where the link went.
        [event] = submitted.events.all()
        assert (event.kind, event.from_state, event.to_state) == (
            "submitted",
            "",
            "pending_email_verification",
        )
        assert event.data == {"email": "jonas@fabrikam.de"} and event.tenant_id == tenant.pk
        checks = dict(submitted.checks.values_list("kind", "result"))
        assert checks["email_ownership"] == "pending"
        assert checks["mpn_status"] == checks["mpn_country"] == "passed"

    def test_emails_the_primary_contact_a_link_after_commit(
        self, admin, application, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            enrollment_submit(actor=admin, application=application)
            assert mail.outbox == []  # nothing leaves before the commit
        assert len(callbacks) == 1
        callbacks[0]()
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["jonas@fabrikam.de"]
        assert LINK.search(message.body)
        assert message.alternatives and "verify-email" in message.alternatives[0][0]

    def test_only_the_token_hash_is_stored(self, submitted):
        token = token_of(mail.outbox[0])
        verification = EmailVerification.objects.get(enrollment=submitted)
        assert verification.token_hash != token
        assert len(token) >= 40
        with connection.cursor() as cursor:
            cursor.execute("SELECT context FROM notifications_notification")
            (raw_context,) = cursor.fetchone()
        assert token not in raw_context  # the email context is encrypted at rest

    def test_bank_account_number_is_encrypted_at_rest(self, submitted):
        with connection.cursor() as cursor:
            cursor.execute("SELECT iban, last4 FROM enrollment_bankaccount")
            raw_iban, last4 = cursor.fetchone()
        assert "DE89370400440532013000" not in raw_iban
        assert last4 == "3000"
        assert submitted.partner.bank_account.iban == "DE89370400440532013000"
        assert "3704" not in str(submitted.application)

    def test_employee_may_not_enroll(self, employee, application):
        with pytest.raises(NotPermitted):
            enrollment_submit(actor=employee, application=application)
        assert not Enrollment.objects.exists()

    def test_invalid_application_records_nothing(self, admin, application):
        application["primary_contact"]["email"] = "jonas@gmail.com"
        application["legal_business_profile"]["address"]["city"] = ""
        with pytest.raises(InvalidInput) as exc:
            enrollment_submit(actor=admin, application=application)
        assert set(exc.value.errors) == {"primary_contact", "legal_business_profile"}
        assert exc.value.errors["legal_business_profile"]["address"]["city"]
        assert (
            not Partner.objects.exists()
            and not Enrollment.objects.exists()
            and not Notification.objects.exists()
        )

    def test_a_failure_halfway_leaves_no_half_record(self, admin, application, monkeypatch):
        def boom(enrollment):
            raise RuntimeError("mail template missing")

        monkeypatch.setattr(application_services, "issue_email_verification", boom)
        with pytest.raises(RuntimeError):
            enrollment_submit(actor=admin, application=application)
        assert not Partner.objects.exists()
        assert not Enrollment.objects.exists()
        assert not Event.objects.exists()
        assert not VerificationCheck.objects.exists()

    def test_direct_bill_is_closed_by_default(self, admin, application):
        application["program"] = "direct_bill"
        with pytest.raises(InvalidInput) as exc:
            enrollment_submit(actor=admin, application=application)
        assert "closed" in exc.value.errors["program"][0]


class TestOneOpenEnrollmentPerProgram:
    def test_second_application_is_refused(self, submitted, admin, application):
        with pytest.raises(InvalidInput) as exc:
            enrollment_submit(actor=admin, application=application)
        assert "already has an open or approved enrollment" in exc.value.errors["program"][0]
        assert Enrollment.objects.count() == 1

    @pytest.mark.parametrize("status", ["in_review", "action_needed", "approved", "active"])
    def test_refused_while_open_or_approved(self, admin, application, status):
        EnrollmentFactory(partner__tenant=admin.tenant, status=status)
        with pytest.raises(InvalidInput):
            enrollment_submit(actor=admin, application=application)

    @pytest.mark.parametrize("status", ["rejected", "withdrawn"])
    def test_allowed_again_after_a_final_no(
        self, admin, application, status, django_capture_on_commit_callbacks
    ):
        EnrollmentFactory(partner__tenant=admin.tenant, status=status)
        enrollment = submit(admin, application, django_capture_on_commit_callbacks)
        assert enrollment.status == EnrollmentStatus.PENDING_EMAIL_VERIFICATION

    def test_the_database_holds_the_rule_too(self, submitted):
        with pytest.raises(IntegrityError), transaction.atomic():
            Enrollment.objects.create(
                partner=submitted.partner, program=submitted.program, status="in_review"
            )


class TestConfirmEmail:
    # Submitted and confirmed on Friday noon: + 5 business days = next Friday noon (the
    # weekend is skipped).
    @pytest.mark.time_machine(datetime(2026, 11, 27, 12, 0, tzinfo=UTC), tick=False)
    def test_confirm_moves_to_review_with_a_decision_due_in_business_days(self, submitted):
        enrollment = email_verification_confirm(token=token_of(mail.outbox[0]))
        assert enrollment.status == EnrollmentStatus.IN_REVIEW
        assert enrollment.due_at == datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
        assert enrollment.checks.get(kind="email_ownership").result == "passed"
        event = enrollment.events.get(kind="email_confirmed")
        assert (event.from_state, event.to_state) == ("pending_email_verification", "in_review")
        assert "jonas@fabrikam.de" in event.actor_label

    @pytest.mark.time_machine(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), tick=False)  # a Monday
    def test_review_days_are_a_setting(self, submitted, settings):
        settings.REVIEW_BUSINESS_DAYS = 3
        enrollment = email_verification_confirm(token=token_of(mail.outbox[0]))
        assert enrollment.due_at == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def test_confirmation_is_emailed_once(self, submitted, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            email_verification_confirm(token=token_of(mail.outbox[0]))
        assert len(mail.outbox) == 2
        assert "in review" in mail.outbox[1].subject

    def test_token_is_single_use(self, submitted):
        token = token_of(mail.outbox[0])
        email_verification_confirm(token=token)
        with pytest.raises(TokenError) as exc:
            email_verification_confirm(token=token)
        assert exc.value.reason == "used"
        assert Enrollment.objects.get().events.filter(kind="email_confirmed").count() == 1

    @pytest.mark.parametrize("token", ["", "x", "nope" * 20, "../../etc/passwd", "' OR 1=1 --"])
    def test_unknown_token_changes_nothing(self, submitted, token):
        with pytest.raises(TokenError) as exc:
            email_verification_confirm(token=token)
        assert exc.value.reason == "unknown"
        assert Enrollment.objects.get().status == EnrollmentStatus.PENDING_EMAIL_VERIFICATION

    def test_token_expires_after_the_setting(self, submitted, settings):
        token = token_of(mail.outbox[0])
        sent_at = EmailVerification.objects.get().created_at
        with (
            time_machine.travel(sent_at + timedelta(days=7, seconds=1)),
            pytest.raises(TokenError) as exc,
        ):
            email_verification_confirm(token=token)
        assert exc.value.reason == "expired"
        assert Enrollment.objects.get().status == EnrollmentStatus.PENDING_EMAIL_VERIFICATION
        with time_machine.travel(sent_at + timedelta(days=6, hours=23)):
            assert email_verification_confirm(token=token).status == EnrollmentStatus.IN_REVIEW

    def test_ttl_is_a_setting(self, admin, application, settings, django_capture_on_commit_callbacks):
        settings.EMAIL_VERIFICATION_TTL_DAYS = 1
        submit(admin, application, django_capture_on_commit_callbacks)
        verification = EmailVerification.objects.get()
        assert verification.expires_at - verification.created_at == timedelta(days=1)

    def test_withdrawn_application_link_no_longer_works(self, submitted, admin):
        enrollment_withdraw(actor=admin, enrollment=submitted)
        with pytest.raises(TokenError):
            email_verification_confirm(token=token_of(mail.outbox[0]))
        assert Enrollment.objects.get().status == EnrollmentStatus.WITHDRAWN


class TestResend:
    def test_a_new_link_and_the_old_one_stops_working(
        self, submitted, admin, django_capture_on_commit_callbacks
    ):
        old = token_of(mail.outbox[0])
        with django_capture_on_commit_callbacks(execute=True):
            enrollment_resend_verification_email(actor=admin, enrollment=submitted)
        assert len(mail.outbox) == 2
        new = token_of(mail.outbox[1])
        assert new != old
        with pytest.raises(TokenError) as exc:
            email_verification_confirm(token=old)
        assert exc.value.reason == "superseded"
        assert email_verification_confirm(token=new).status == EnrollmentStatus.IN_REVIEW
        assert submitted.events.filter(kind="verification_email_resent", actor=admin).count() == 1

    def test_employee_may_not_resend(self, submitted, employee):
        with pytest.raises(NotPermitted):
            enrollment_resend_verification_email(actor=employee, enrollment=submitted)

    def test_not_after_confirmation(self, submitted, admin):
        email_verification_confirm(token=token_of(mail.outbox[0]))
        with pytest.raises(InvalidTransition) as exc:
            enrollment_resend_verification_email(actor=admin, enrollment=submitted)
        assert exc.value.status == "in_review"


class TestWithdraw:
    @pytest.mark.parametrize("status", ["pending_email_verification", "in_review", "action_needed"])
    def test_before_a_decision(self, admin, status, django_capture_on_commit_callbacks):
        enrollment = EnrollmentFactory(partner__tenant=admin.tenant, status=status)
        with django_capture_on_commit_callbacks(execute=True):
            enrollment = enrollment_withdraw(actor=admin, enrollment=enrollment, reason="Wrong company")
        assert enrollment.status == EnrollmentStatus.WITHDRAWN
        event = enrollment.events.get(kind="withdrawn")
        assert (event.from_state, event.to_state, event.detail, event.actor) == (
            status,
            "withdrawn",
            "Wrong company",
            admin,
        )
        assert len(mail.outbox) == 1 and "withdrawn" in mail.outbox[0].subject

    @pytest.mark.parametrize("status", ["approved", "active", "rejected", "withdrawn"])
    def test_not_after_a_decision(self, admin, status):
        enrollment = EnrollmentFactory(partner__tenant=admin.tenant, status=status)
        with pytest.raises(InvalidTransition) as exc:
            enrollment_withdraw(actor=admin, enrollment=enrollment)
        assert exc.value.status == status
        assert not enrollment.events.exists()

    def test_employee_may_not_withdraw(self, employee):
        enrollment = EnrollmentFactory(partner__tenant=employee.tenant)
        with pytest.raises(NotPermitted):
            enrollment_withdraw(actor=employee, enrollment=enrollment)


class TestTransitions:
    def test_the_table_is_the_api_contract(self):
        expected = {
            # "expired" extends the contract: an unconfirmed application ends after 30 days;
            # "rejected" from any undecided status: a failing direct-bill questionnaire.
            "pending_email_verification": {"in_review", "withdrawn", "expired", "rejected"},
            "in_review": {"action_needed", "approved", "rejected", "withdrawn"},
            "action_needed": {"in_review", "withdrawn", "rejected"},
            "approved": {"active"},
            "active": set(),
            "rejected": set(),
            "withdrawn": set(),
            "expired": set(),
        }
        assert {k: set(v) for k, v in TRANSITIONS.items()} == expected

    def test_a_move_off_the_table_is_refused(self, db):
        enrollment = EnrollmentFactory(status="withdrawn")
        with pytest.raises(InvalidTransition):
            move(enrollment, "confirm_email", kind=events.EMAIL_CONFIRMED)
        enrollment.refresh_from_db()
        assert enrollment.status == "withdrawn"
