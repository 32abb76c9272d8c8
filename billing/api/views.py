from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from partnercenter.core.markets import all_markets


@extend_schema(
    responses=inline_serializer(
        "Market",
        {
            "country": serializers.CharField(),
            "market": serializers.CharField(),
            "currency": serializers.CharField(),
        },
        many=True,
    )
)
@api_view(["GET"])
@permission_classes([AllowAny])
def markets(request):
    """Every country the portal knows, with its market and billing currency."""
    return Response(
        [{"country": country, "market": m.code, "currency": m.currency} for country, m in all_markets()]
    )
