"""``/api/v1/partner/apps/``: the OAuth 2.0 apps of the partner (``oauth_apps``), for its
global admin. Thin: the module's selectors read, its services write."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import oauth_apps


class AppSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    client_id = serializers.CharField(help_text="The app's client ID (client_id at POST /oauth2/token).")
    created_at = serializers.DateTimeField(source="created")
    registered_by = serializers.EmailField(source="user.email", help_text="The global admin it acts as.")


class AppCreatedSerializer(AppSerializer):
    client_secret = serializers.CharField(help_text="Shown once: keep it secret. Only its hash is stored.")
    token_endpoint = serializers.URLField(
        help_text="Where the app gets its access tokens (client credentials)."
    )


class AppRegisterSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, help_text="Unique among your organization's apps.")


def _created(app, secret) -> dict:
    data = AppCreatedSerializer(
        {
            "id": app.pk,
            "name": app.name,
            "client_id": app.client_id,
            "created": app.created,
            "user": app.user,
            "client_secret": secret,
            "token_endpoint": oauth_apps.token_endpoint_url(),
        }
    ).data
    return data


def _no_store(response: Response) -> Response:
    response["Cache-Control"] = "no-store"  # a secret in the body: no cache keeps it
    return response


class PartnerAppsView(GenericAPIView):
    """The partner's apps, newest first (their secrets are never shown again), and a new
    one: the response holds its client secret, this once. With the client ID and secret the
    app gets access tokens from ``POST /oauth2/token`` (``grant_type=client_credentials``);
    a token acts as the global admin who registered the app. Only a partner's global admin."""

    serializer_class = AppSerializer

    def get_queryset(self):
        return oauth_apps.apps_for(self.request.user)

    @extend_schema(responses=AppSerializer(many=True))
    def get(self, request):
        oauth_apps.require_app_manager(request.user)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AppSerializer(page, many=True).data)

    @extend_schema(request=AppRegisterSerializer, responses={201: AppCreatedSerializer})
    def post(self, request):
        oauth_apps.require_app_manager(request.user)  # 403 before the body
        serializer = AppRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        app, secret = oauth_apps.app_register(actor=request.user, name=serializer.validated_data["name"])
        return _no_store(Response(_created(app, secret), status=status.HTTP_201_CREATED))


class PartnerAppDetailView(APIView):
    """Remove an app: its secret and every access token it got stop working at once.
    Another partner's app, or one already removed, is not found (404)."""

    @extend_schema(responses={204: None, 404: OpenApiResponse(description="Not one of your partner's apps.")})
    def delete(self, request, app_id):
        oauth_apps.require_app_manager(request.user)
        app = oauth_apps.app_for(request.user, app_id)
        oauth_apps.app_revoke(actor=request.user, app=app)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PartnerAppSecretView(APIView):
    """Replace an app's client secret: the response holds the new one, this once. The old
    secret, and the access tokens issued with it, stop working at once."""

    @extend_schema(request=None, responses={200: AppCreatedSerializer})
    def post(self, request, app_id):
        oauth_apps.require_app_manager(request.user)
        app = oauth_apps.app_for(request.user, app_id)
        app, secret = oauth_apps.app_rotate_secret(actor=request.user, app=app)
        return _no_store(Response(_created(app, secret)))
