"""The framework's own words in the reader's language: the API's DRF messages (authentication,
permission, parse and field errors) and the admin's model and app names."""

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from rest_framework import exceptions
from rest_framework.test import APIClient

from partnercenter.core import framework_messages
from partnercenter.core.api import exception_handler

from .factories import UserFactory

LANGUAGES = ["zh-hant", "zh-hans", "ru"]
# The portal's apps, whose models the admin lists (third-party apps translate their own).
OWN_APPS = {"accounts", "audit", "notifications", "enrollment", "relationships", "billing"}


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return str(translation.gettext(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_framework_message_is_translated(language):
    """Each DRF message listed for the catalogs is served translated (DRF's Traditional
    Chinese catalog alone lacks most of them)."""

    def texts():
        return [str(message) for message in framework_messages.MESSAGES if isinstance(message, str)]

    with translation.override("en"):
        english = texts()
    with translation.override(language):
        same = [text for text, source in zip(texts(), english, strict=True) if text == source]
    assert not same, f"English in {language}: {same}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_api_without_credentials_answers_in_the_callers_language(db, language):
    response = APIClient().get("/api/v1/enrollments/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 401
    detail = response.json()["detail"]
    assert detail == _in(language, "Authentication credentials were not provided.")
    assert detail != "Authentication credentials were not provided."


@pytest.mark.parametrize("language", LANGUAGES)
def test_api_with_a_bad_token_answers_in_the_callers_language(db, language):
    response = APIClient().get(
        "/api/v1/enrollments/", HTTP_AUTHORIZATION="Token nonsense", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 401
    assert response.json()["detail"] == _in(language, "Invalid token.") != "Invalid token."


@pytest.mark.parametrize("language", LANGUAGES)
def test_malformed_json_is_a_translated_400_with_the_position(db, language):
    response = APIClient().post(
        "/api/v1/auth/token/",
        '{"email": "a@b.c",\n bad}',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    expected = _in(language, "The request body is not valid JSON (line %(line)d, column %(column)d).")
    assert response.json()["detail"] == expected % {"line": 2, "column": 2}
    assert "JSON parse error" not in response.json()["detail"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_body_that_is_not_utf8_is_a_translated_400(db, language):
    response = APIClient().post(
        "/api/v1/auth/token/",
        b'{"email": "\xff"}',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    assert response.json()["detail"] == _in(language, "The request body is not valid JSON in UTF-8.")


@pytest.mark.parametrize("language", LANGUAGES)
def test_field_errors_and_a_wrong_method_are_translated(admin, language):
    api = APIClient()
    api.force_authenticate(admin)
    response = api.post("/api/v1/auth/token/", {}, format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert _in(language, "This field is required.") in str(response.json())
    assert "This field is required." not in str(response.json())
    response = api.delete("/api/v1/auth/token/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 405
    expected = _in(language, 'Method "{method}" not allowed.').format(method="DELETE")
    assert response.json()["detail"] == expected != 'Method "DELETE" not allowed.'


@pytest.mark.parametrize("language", LANGUAGES)
def test_session_without_csrf_token_is_told_in_the_callers_language(admin, language):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(admin)
    response = api.post("/api/v1/enrollments/", {}, format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "CSRF Failed" not in detail
    assert detail == _in(
        language,
        "CSRF check failed: a request signed in with the session cookie must send the X-CSRFToken "
        "header. Or authenticate with an API token.",
    )


def _own_models():
    return [model for model in apps.get_models() if model._meta.app_label in OWN_APPS]


def test_every_model_and_app_has_translatable_names():
    unnamed = [
        f"{model._meta.label}.{option}"
        for model in _own_models()
        for option in ("verbose_name", "verbose_name_plural")
        if not isinstance(model._meta.original_attrs.get(option), Promise)
    ]
    assert not unnamed, f"no translatable name: {unnamed}"
    for label in OWN_APPS:
        assert isinstance(apps.get_app_config(label).verbose_name, Promise), label


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admins_model_and_app_names_are_translated(language):
    english = {}
    with translation.override("en"):
        for model in _own_models():
            english[model._meta.label] = (str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
    same = []
    with translation.override(language):
        for model in _own_models():
            names = (str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
            same += [
                name for name, source in zip(names, english[model._meta.label], strict=True) if name == source
            ]
        for label in OWN_APPS:
            config = apps.get_app_config(label)
            if str(config.verbose_name) == _in("en", config.verbose_name):
                same.append(label)
    assert not same, f"English in the {language} admin: {same}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admin_index_shows_them(client, db, language):
    superuser = UserFactory(
        tenant=None, roles=[], email="root@partners.test", is_staff=True, is_superuser=True
    )
    client.force_login(superuser)
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override(language):
        for name in ("enrollments", "reseller invitations", "granular admin relationships", "Audit trail"):
            assert capfirst(translation.gettext(name)) in html
    assert "Reseller invitations" not in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Request was throttled. Expected available in 5 seconds."),
        ("zh-hant", "要求過多，已受到節流。預計 5 秒後可再使用。"),
        ("ru", "Слишком много запросов. Повторите попытку через 5 секунд."),
    ],
)
def test_a_throttled_call_is_told_when_to_come_back_in_its_language(language, expected):
    with translation.override(language):
        response = exception_handler(exceptions.Throttled(wait=4.2), {})
    assert response.status_code == 429
    assert response.data["detail"] == expected
    assert response["Retry-After"] == "5"
