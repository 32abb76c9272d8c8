"""Commerce's settings (billing), read by ``base``: subscriptions' renewal reminders and
cancellation window, and the monthly invoice run's day. Each is documented in .env.example."""

import environ
from celery.schedules import crontab

env = environ.Env()

# How many days before a subscription's term ends its billing partner and reseller are
# reminded (once per term).
SUBSCRIPTION_RENEWAL_REMINDER_DAYS = env.int("SUBSCRIPTION_RENEWAL_REMINDER_DAYS", default=14)
# For how many days after a term starts (bought or renewed) it may be cancelled, for a
# prorated credit (Partner Center's new commerce: 7 days).
SUBSCRIPTION_CANCELLATION_DAYS = env.int("SUBSCRIPTION_CANCELLATION_DAYS", default=7)
# The day of the month the invoice run bills the month before (1 to 28).
INVOICE_RUN_DAY = env.int("INVOICE_RUN_DAY", default=1)
if not 1 <= INVOICE_RUN_DAY <= 28:
    raise environ.ImproperlyConfigured("INVOICE_RUN_DAY must be a day from 1 to 28.")

# The sweeps of commerce, added to CELERY_BEAT_SCHEDULE by base.
COMMERCE_BEAT_SCHEDULE: dict = {
    # Every minute: orders left pending for over a minute (their completion task was lost, a
    # broker down) are completed; the service locks each order, so two sweeps complete it once.
    "billing-orders-sweep": {
        "task": "billing.tasks.orders_sweep",
        "schedule": 60.0,
    },
    # Subscriptions' renewal reminders, renewals and expiries (billing.renewals says when).
    "billing-subscriptions-sweep": {
        "task": "billing.tasks.subscriptions_sweep",
        "schedule": env.float("SWEEP_INTERVAL_SECONDS", default=60.0),
    },
    # The invoice run: daily, so that a day the beat missed is caught up; the task bills the
    # month before from INVOICE_RUN_DAY on, until that month's run is done.
    "invoices-run": {
        "task": "billing.tasks.invoices_run",
        "schedule": crontab(minute=30, hour=2),
    },
}
