"""Values as DRF's fields write them, for the serializers that write their rows by hand
(issue 12: DRF's walk field by field was most of a list's time)."""

from django.utils import timezone


def datetime_text(value, zone=None) -> str | None:
    """What ``serializers.DateTimeField`` writes: ISO 8601 in the current time zone (``zone``
    when the caller looked it up once for many values), UTC as ``Z``; ``None`` for no value."""
    if value is None:
        return None
    written = value.astimezone(zone or timezone.get_current_timezone()).isoformat()
    return written.removesuffix("+00:00") + "Z" if written.endswith("+00:00") else written
