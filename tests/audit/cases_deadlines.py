"""The audit table's cases of the enrollment's waits: the reminder and the expiry, one row
and a batch of the sweep (see ``tests.audit.table``)."""

from datetime import timedelta

from enrollment.services import deadlines
from tests.audit.table import NOW, Run, case, enrollment_of


@case(deadlines.enrollment_remind)
def _(w):
    enrollment = enrollment_of(
        w,
        "pending_email_verification",
        remind_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=5),
    )
    return Run(
        kwargs={"enrollment_id": enrollment.pk},
        kind="reminder_sent",
        obj=enrollment,
        tenant=w.admin.tenant,
        from_state="pending_email_verification",
        to_state="pending_email_verification",
        data={"email": enrollment.partner.contact_email},
    )


@case(deadlines.enrollments_remind)
def _(w):
    enrollment = enrollment_of(
        w,
        "pending_email_verification",
        remind_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=5),
    )
    return Run(
        kwargs={},  # the sweep's batch: every due row (this one)
        kind="reminder_sent",
        obj=enrollment,
        tenant=w.admin.tenant,
        from_state="pending_email_verification",
        to_state="pending_email_verification",
        data={"email": enrollment.partner.contact_email},
    )


@case(deadlines.enrollments_expire)
def _(w):
    enrollment = enrollment_of(w, "pending_email_verification", expires_at=NOW - timedelta(minutes=1))
    return Run(
        kwargs={},  # the sweep's batch: every due row (this one)
        kind="expired",
        obj=enrollment,
        tenant=w.admin.tenant,
        from_state="pending_email_verification",
        to_state="expired",
    )


@case(deadlines.enrollment_expire)
def _(w):
    enrollment = enrollment_of(w, "pending_email_verification", expires_at=NOW - timedelta(minutes=1))
    return Run(
        kwargs={"enrollment_id": enrollment.pk},
        kind="expired",
        obj=enrollment,
        tenant=w.admin.tenant,
        from_state="pending_email_verification",
        to_state="expired",
    )
