from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class IdempotentRequest(models.Model):
    """What a create answered for one ``MS-RequestId`` (``idempotency.once``): the same key
    again, with the same body, gets the same answer and creates nothing more."""

    scope = models.CharField(max_length=200, help_text="Who asked and where: '<user id> POST /v1/customers'.")
    key = models.CharField(max_length=100)
    body_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="pcapi_request_once")]

    def __str__(self):
        return f"{self.scope} {self.key}"
