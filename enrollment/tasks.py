"""Thin periodic tasks for enrollments."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .models import EmailVerification


@shared_task
def email_verifications_purge() -> int:
    """Nightly: forget the hashes of links that expired more than 90 days ago."""
    cutoff = timezone.now() - timedelta(days=90)
    deleted, _ = EmailVerification.objects.filter(expires_at__lt=cutoff, used_at__isnull=True).delete()
    return deleted
