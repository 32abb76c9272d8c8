"""The portal is complete in every language it offers: English (source), Traditional
Chinese, Simplified Chinese and Russian.

The catalogs live in ``locale/<locale>/LC_MESSAGES/django.po`` and their compiled
``django.mo`` files are committed. Refresh and compile them with::

    .venv/bin/python manage.py makemessages -l zh_Hant -l zh_Hans -l ru \
        --ignore=.venv --ignore=var --ignore=tests --ignore=staticfiles
    .venv/bin/python manage.py compilemessages --ignore=.venv
"""

import functools
import io
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from django.utils.html import escape
from rest_framework.test import APIClient

from enrollment.services.application import enrollment_submit

ROOT = Path(settings.BASE_DIR)
LOCALE_DIR = ROOT / "locale"

# (language code as in settings.LANGUAGES, locale directory)
LANGUAGES = [("zh-hant", "zh_Hant"), ("zh-hans", "zh_Hans"), ("ru", "ru")]
LOCALES = [locale for _code, locale in LANGUAGES]
NPLURALS = {"zh_Hant": 1, "zh_Hans": 1, "ru": 3}

REFRESH = (
    "refresh the catalogs: .venv/bin/python manage.py makemessages -l zh_Hant -l zh_Hans -l ru "
    "--ignore=.venv --ignore=var --ignore=tests --ignore=staticfiles, translate, then "
    ".venv/bin/python manage.py compilemessages --ignore=.venv"
)

# A python-format placeholder: %(name)s, %(max)d, %s, %5.2f ... (not the literal %%).
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]")
NAMED = re.compile(r"%\(\w+\)")


def _po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"


def _mo_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "django.mo"


@functools.cache
def _po(locale: str) -> polib.POFile:
    return polib.pofile(str(_po_path(locale)))


def _live(po) -> list:
    return [entry for entry in po if not entry.obsolete]


def tr(locale: str, msgid: str, **params) -> str:
    """The catalog's translation of ``msgid``, formatted with ``params``."""
    entry = _po(locale).find(msgid)
    assert entry is not None and entry.msgstr, f"{msgid!r} is not translated in {locale}"
    return entry.msgstr % params if params else entry.msgstr


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    # A request through LocaleMiddleware leaves its language active in this thread; do not
    # let it leak into the tests that run after these.
    yield
    translation.deactivate()


def _messages(entries) -> dict:
    return {
        (entry.msgctxt, entry.msgid): (
            tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
            if entry.msgid_plural
            else entry.msgstr
        )
        for entry in entries
    }


# --- The catalogs --------------------------------------------------------------------------


def test_every_offered_language_has_a_catalog():
    offered = {translation.to_locale(code) for code, _name in settings.LANGUAGES if code != "en"}
    assert offered == set(LOCALES)
    for locale in LOCALES:
        assert _po_path(locale).is_file(), f"{_po_path(locale)} is missing: {REFRESH}"
        assert _mo_path(locale).is_file(), f"{_mo_path(locale)} is missing: {REFRESH}"


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_header(locale):
    po = _po(locale)
    assert not po.metadata_is_fuzzy, "the header is still marked fuzzy"
    assert po.metadata["Language"] == locale
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    plural_forms = po.metadata["Plural-Forms"]
    assert re.match(rf"nplurals={NPLURALS[locale]}; plural=", plural_forms), plural_forms
    assert po.percent_translated() == 100


@pytest.mark.parametrize("locale", LOCALES)
def test_every_entry_is_translated(locale):
    entries = _live(_po(locale))
    assert len(entries) > 100, "the catalog is nearly empty"
    untranslated = [e.msgid for e in entries if not e.translated()]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated in {locale}: {untranslated}"
    assert not fuzzy, f"fuzzy in {locale}: {fuzzy}"
    for entry in entries:
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            assert sorted(forms) == list(range(NPLURALS[locale])), f"plural forms of {entry.msgid!r}"
            assert all(forms.values()), f"an empty plural form of {entry.msgid!r}"


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(locale):
    wrong = []
    for entry in _live(_po(locale)):
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if "python-format" in entry.flags:
            expected = set().union(*(_placeholders(s) for s in sources))
            for target in targets:
                # A singular form may leave the count out ("one item"); names must all stay.
                got = _placeholders(target)
                if entry.msgid_plural:
                    ok = got <= expected and {p for p in expected if NAMED.match(p)} <= got
                else:
                    ok = got == expected
                if not ok:
                    wrong.append((entry.msgid, sorted(expected), target))
        else:
            for target in targets:
                if NAMED.search(target):
                    wrong.append((entry.msgid, [], target))
        for target in targets:
            for edge in (str.startswith, str.endswith):
                if edge(entry.msgid, "\n") != edge(target, "\n"):
                    wrong.append((entry.msgid, "leading/trailing newline", target))
    assert not wrong, f"placeholders changed in {locale}: {wrong}"


# Chinese is written with full-width punctuation (，。：；！？（）): an ASCII one touching a
# Chinese character is a fault. Placeholders (%(name)s, {wait}) are left out first.
CJK = r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]"
HALF_WIDTH_IN_CHINESE = re.compile(rf"(?<={CJK})[,:;()!?]|[,:;()!?](?={CJK})")
FORMAT_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{\w+\}")


def half_width_punctuation(text: str) -> list[str]:
    return HALF_WIDTH_IN_CHINESE.findall(FORMAT_PLACEHOLDER.sub("x", text))


@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans"])
def test_chinese_catalogs_use_full_width_punctuation(locale):
    wrong = []
    for entry in _live(_po(locale)):
        targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        wrong += [target for target in targets if half_width_punctuation(target)]
    assert not wrong, f"ASCII punctuation next to Chinese in {locale} (use ，：；！？（）): {wrong}"


def test_the_punctuation_rule_catches_half_width_and_spares_placeholders():
    assert half_width_punctuation("地址第 2 行 (選用)") == ["(", ")"]
    assert half_width_punctuation("請選擇計劃:直接帳單") == [":"]
    assert half_width_punctuation("%(name)s（%(domain)s）：%(count)d 個") == []


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalog_matches_its_source(locale):
    po = _po(locale)
    mo = polib.mofile(str(_mo_path(locale)))
    assert _messages(mo) == _messages(po.translated_entries()), f"{_mo_path(locale)} is stale: {REFRESH}"
    assert mo.metadata.get("Plural-Forms") == po.metadata["Plural-Forms"]


@pytest.mark.parametrize(("code", "locale"), LANGUAGES)
def test_django_serves_every_translation(code, locale):
    """The compiled catalog is the one Django loads (LOCALE_PATHS wins over the apps')."""
    differing = []
    with translation.override(code):
        for entry in _po(locale).translated_entries():
            if entry.msgid_plural or entry.msgctxt:
                continue
            if translation.gettext(entry.msgid) != entry.msgstr:
                differing.append(entry.msgid)
    assert not differing, f"Django does not serve the {locale} catalog for: {differing}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogs_hold_every_source_string(tmp_path, monkeypatch, settings):
    """makemessages on a copy of the sources finds exactly the strings in the catalogs."""
    skip_top = {".venv", "var", "tests", "staticfiles", "locale", "node_modules"}

    def ignore(directory, names):
        top = Path(directory) == ROOT
        return [n for n in names if n.startswith(".") or n == "__pycache__" or (top and n in skip_top)]

    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=ignore, symlinks=True)
    settings.LOCALE_PATHS = [str(copy / "locale")]
    monkeypatch.chdir(copy)
    call_command(
        "makemessages",
        locale=["ru"],
        ignore_patterns=[".venv", "var", "tests", "staticfiles"],
        keep_pot=True,
        verbosity=0,
        stdout=io.StringIO(),
    )
    pot = polib.pofile(str(copy / "locale" / "django.pot"))
    extracted = {(e.msgctxt, e.msgid) for e in pot if e.msgid}
    for locale in LOCALES:
        catalog = {(e.msgctxt, e.msgid) for e in _live(_po(locale))}
        missing = sorted(extracted - catalog, key=str)
        stale = sorted(catalog - extracted, key=str)
        assert not missing, f"not in the {locale} catalog: {missing}; {REFRESH}"
        assert not stale, f"no longer in the sources but in the {locale} catalog: {stale}; {REFRESH}"


# --- Pages -------------------------------------------------------------------------------------


def _assert_translated(html: str, locale: str, msgid: str, **params):
    expected = tr(locale, msgid, **params)
    source = msgid % params if params else msgid
    assert escape(expected) in html, f"{expected!r} not on the page"
    assert escape(source) not in html, f"the English {source!r} is on the page"


@pytest.mark.parametrize(("code", "locale"), LANGUAGES)
def test_enrollment_welcome_page_is_translated(client, admin, code, locale):
    client.force_login(admin)
    response = client.get("/enroll/", HTTP_ACCEPT_LANGUAGE=code)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}">' in html
    _assert_translated(html, locale, "Enroll in the CSP program")
    _assert_translated(html, locale, "Have these at hand")
    _assert_translated(html, locale, "Your complete business address")
    _assert_translated(
        html,
        locale,
        "You are enrolling the organization of the work account %(domain)s. It takes about ten minutes; "
        "verification then takes a few business days.",
        domain=admin.tenant.domain,
    )


@pytest.mark.parametrize(("code", "locale"), LANGUAGES)
def test_enrollment_wizard_step_is_translated(client, admin, code, locale):
    client.force_login(admin)
    response = client.get("/enroll/apply/program/", HTTP_ACCEPT_LANGUAGE=code)
    assert response.status_code == 200
    html = response.content.decode()
    _assert_translated(html, locale, "Which program do you want to join?")
    _assert_translated(
        html,
        locale,
        "Sell to your customers through an indirect provider, who bills them. The path for all new partners.",
    )
    _assert_translated(html, locale, "Step %(n)s of %(m)s", n=1, m=7)
    _assert_translated(html, locale, "Legal business profile")  # the progress list


@pytest.mark.parametrize(("code", "locale"), LANGUAGES)
def test_enrollment_status_page_is_translated(
    client, admin, application, django_capture_on_commit_callbacks, code, locale
):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrollment_submit(actor=admin, application=application)
    client.force_login(admin)
    response = client.get(f"/enrollments/{enrollment.pk}/", HTTP_ACCEPT_LANGUAGE=code)
    assert response.status_code == 200
    html = response.content.decode()
    _assert_translated(html, locale, "Enrollment status")
    _assert_translated(html, locale, "Waiting for email confirmation")
    _assert_translated(html, locale, "Confirm the primary contact's email")
    _assert_translated(html, locale, "Verification checks")
    _assert_translated(html, locale, "Application submitted")  # the timeline


def test_language_cookie_chooses_the_language(client, admin):
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get("/enroll/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    _assert_translated(response.content.decode(), "ru", "Have these at hand")


# --- API ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "locale"), LANGUAGES)
def test_api_errors_in_the_callers_language(admin, application, code, locale):
    api = APIClient()
    api.force_authenticate(admin)
    application["primary_contact"]["email"] = "x@gmail.com"
    response = api.post("/api/v1/enrollments/", application, format="json", HTTP_ACCEPT_LANGUAGE=code)
    assert response.status_code == 400
    assert response.json()["primary_contact"]["email"] == [
        tr(
            locale,
            "%(domain)s is a web-based mail service. Use a work email address at your company's own domain, "
            "for example name@yourcompany.com.",
            domain="gmail.com",
        )
    ]


# --- Emails ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "locale"), LANGUAGES)
def test_email_goes_out_in_the_partners_language(
    admin, application, django_capture_on_commit_callbacks, code, locale
):
    application["language"] = code
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        enrollment_submit(actor=admin, application=application)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == " ".join(tr(locale, "Confirm your email address for the CSP program").split())
    assert tr(locale, "Hello %(first_name)s,", first_name="Jonas") in message.body
    html = message.alternatives[0][0]
    assert escape(tr(locale, "Confirm my email address")) in html
    assert "Confirm my email address" not in html
