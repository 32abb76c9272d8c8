"""The query parameters of an API list, declared once: a serializer whose fields are the
parameters documents them in the schema (``extend_schema(parameters=[TheQuery])``, an
``EnumFilter`` as an enum) and ``read_query(request, TheQuery)`` enforces them: an unknown
value is 400 naming the parameter, in the caller's language. An empty value is no filter."""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.fields import empty


class EnumFilter(serializers.ChoiceField):
    """One of ``choices``, or nothing (absent or empty: ``None``)."""

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(choices, **kwargs)

    def to_internal_value(self, data):
        if data == "":
            return None
        try:
            return self.choice_strings_to_values[str(data)]
        except KeyError:
            raise serializers.ValidationError(
                _("Use one of %(choices)s, or leave the filter out.")
                % {"choices": ", ".join(str(choice) for choice in self.choices)}
            ) from None


class BooleanFilter(serializers.BooleanField):
    """``true`` or ``false`` (also ``1``, ``0``), or nothing (``None``)."""

    default_empty_html = empty  # absent from the query: no filter (not False, as in a form)

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if data == "":
            return None
        value = str(data).lower()
        if value in ("true", "1"):
            return True
        if value in ("false", "0"):
            return False
        raise serializers.ValidationError(_("Use true or false, or leave the filter out."))


def read_query(request, query_class) -> dict:
    """The request's query parameters as ``query_class`` reads them; every parameter it
    declares is in the result (``None`` when not given). 400 for an unknown value."""
    query = query_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return {name: query.validated_data.get(name) for name in query.fields}
