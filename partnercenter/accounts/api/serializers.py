from rest_framework import serializers


class SignupSerializer(serializers.Serializer):
    company_name = serializers.CharField(max_length=200)
    domain_prefix = serializers.CharField(max_length=27)
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    email = serializers.EmailField()
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    first_name = serializers.CharField(max_length=50)
    last_name = serializers.CharField(max_length=50)


class TenantSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    domain = serializers.CharField()
    country = serializers.CharField(source="country.code")


class UserSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class SignupResultSerializer(serializers.Serializer):
    tenant = TenantSerializer()
    user = UserSerializer()


class CredentialsSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class PartnerUserSerializer(UserSerializer):
    """A user of the partner as the global admin sees it."""

    is_active = serializers.BooleanField()
    must_change_password = serializers.BooleanField(
        help_text="True until the user changed the temporary password emailed to them."
    )
    date_joined = serializers.DateTimeField()


class UserAddSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    roles = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20)


class UserRolesSerializer(serializers.Serializer):
    roles = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)


class ApiTokenSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    prefix = serializers.CharField(help_text="The first characters of the key, to tell tokens apart.")
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    current = serializers.SerializerMethodField(help_text="True for the token this request is made with.")

    def get_current(self, token) -> bool:
        return token.pk == self.context.get("current")
