"""Each program rule for an application, one test per way it can break."""

import pytest

from enrollment import rules
from tests.factories import MpnProfileFactory, TenantFactory


@pytest.fixture
def de_tenant(db):
    return TenantFactory(country="DE")


class TestMpnId:
    def test_active_profile_in_the_tenants_country_passes(self, de_tenant):
        MpnProfileFactory(mpn_id="4820001", country="DE")
        record, errors = rules.mpn_errors("4820001", de_tenant)
        assert errors == []
        assert record.company_name

    @pytest.mark.parametrize("mpn_id", ["9999999", "abc", "", "1" * 11, " "])
    def test_unknown_says_not_found_and_what_to_do(self, de_tenant, mpn_id):
        _record, errors = rules.mpn_errors(mpn_id, de_tenant)
        assert len(errors) == 1
        assert "Partner Membership Center" in errors[0]

    def test_inactive_is_refused_and_says_so(self, de_tenant):
        MpnProfileFactory(mpn_id="4820002", country="DE", status="inactive")
        _record, errors = rules.mpn_errors("4820002", de_tenant)
        assert len(errors) == 1
        assert "inactive" in errors[0]

    def test_other_country_is_refused_and_names_both_countries(self, de_tenant):
        MpnProfileFactory(mpn_id="4810001", country="TW")
        _record, errors = rules.mpn_errors("4810001", de_tenant)
        assert len(errors) == 1
        assert "Taiwan" in errors[0] and "Germany" in errors[0]

    def test_inactive_and_other_country_both_reported(self, de_tenant):
        MpnProfileFactory(mpn_id="4810002", country="US", status="inactive")
        _record, errors = rules.mpn_errors("4810002", de_tenant)
        assert len(errors) == 2


class TestBusinessEmail:
    @pytest.mark.parametrize(
        "email",
        [
            "a@gmail.com",
            "a@yahoo.com",
            "a@icloud.com",
            "a@aol.com",
            "a@outlook.com",
            "a@hotmail.com",
            "a@qq.com",
            "a@163.com",
            "a@mail.ru",
            "A@GMAIL.COM",
            "a@mail.yahoo.com",
        ],
    )
    def test_web_based_mail_is_refused(self, email):
        errors = rules.business_email_errors(email)
        assert len(errors) == 1
        assert "web-based mail service" in errors[0]

    def test_disposable_mail_is_refused(self):
        errors = rules.business_email_errors("a@mailinator.com")
        assert errors and "disposable" in errors[0]

    @pytest.mark.parametrize("email", ["jonas@fabrikam.de", "mei.lin@contoso.com.tw", "ivan@wingtiptoys.ru"])
    def test_company_domain_passes(self, email):
        assert rules.business_email_errors(email) == []

    @pytest.mark.parametrize("email", ["not-an-email", "", "a@", None, 12])
    def test_malformed_is_refused(self, email):
        assert rules.business_email_errors(email)


class TestAddress:
    COMPLETE = {"line1": "Hauptstraße 1", "city": "Berlin", "postal_code": "10115", "country": "DE"}

    def test_complete_address_passes(self):
        assert rules.address_errors(self.COMPLETE) == {}

    @pytest.mark.parametrize("field", ["line1", "city", "postal_code", "country"])
    def test_each_part_is_required(self, field):
        address = {**self.COMPLETE, field: ""}
        assert field in rules.address_errors(address)

    def test_line1_at_most_200(self):
        assert rules.address_errors({**self.COMPLETE, "line1": "x" * 200}) == {}
        assert "line1" in rules.address_errors({**self.COMPLETE, "line1": "x" * 201})

    def test_country_is_iso_alpha2(self):
        assert "country" in rules.address_errors({**self.COMPLETE, "country": "XX"})
        assert "country" in rules.address_errors({**self.COMPLETE, "country": "DEU"})
        assert rules.address_errors({**self.COMPLETE, "country": "de"}) == {}

    @pytest.mark.parametrize(
        "address",
        [
            {"country": "US", "state": "CA", "postal_code": "94105", "city": "San Francisco"},
            {"country": "CA", "state": "QC", "postal_code": "H3Z 2Y7", "city": "Montréal"},
            {"country": "AU", "state": "NSW", "postal_code": "2000", "city": "Sydney"},
            {"country": "CN", "state": "北京市", "postal_code": "100096", "city": "北京市"},
            {"country": "BR", "state": "SP", "postal_code": "01310-100", "city": "São Paulo"},
            {"country": "TW", "state": "台北市", "postal_code": "110", "city": "信義區"},
            {"country": "RU", "state": "Москва", "postal_code": "103375", "city": "Москва"},
        ],
    )
    def test_state_required_where_the_country_uses_one(self, address):
        address = {"line1": "1 Main Street", **address}
        assert rules.address_errors(address) == {}
        assert "state" in rules.address_errors({**address, "state": ""})

    def test_state_not_required_elsewhere(self):
        assert "state" not in rules.address_errors({**self.COMPLETE, "state": ""})

    def test_no_postal_code_where_the_country_has_none(self):
        hong_kong = {
            "line1": "1 Queen's Road",
            "city": "Central",
            "state": "Hong Kong Island",
            "country": "HK",
        }
        assert rules.address_errors({**hong_kong, "postal_code": ""}) == {}

    def test_not_a_dict(self):
        assert set(rules.address_errors("Berlin")) >= {"line1", "city", "country"}


class TestNames:
    def test_one_to_fifty(self):
        assert rules.name_errors("A", rules.FIRST_NAME) == []
        assert rules.name_errors("x" * 50, rules.FIRST_NAME) == []
        assert rules.name_errors("", rules.FIRST_NAME) == ["Enter the first name."]
        assert rules.name_errors("   ", rules.FIRST_NAME) == ["Enter the first name."]
        assert rules.name_errors("x" * 51, rules.FIRST_NAME) == [
            "Shorten the first name to at most 50 characters (it has 51)."
        ]
        assert rules.name_errors(None, rules.CITY) == ["Enter the city."]


class TestPhone:
    def test_valid_numbers_normalize_to_e164(self):
        assert rules.normalize_phone("030 1234567", "DE") == ("+49301234567", [])
        assert rules.normalize_phone("+886 2 2345 6789", "TW") == ("+886223456789", [])

    @pytest.mark.parametrize("phone", ["12", "phone", "", "+49 1"])
    def test_invalid_numbers(self, phone):
        assert rules.normalize_phone(phone, "DE")[1]


class TestBankAccount:
    def test_iban_country_needs_a_valid_iban(self):
        clean, errors = rules.normalize_bank_account(
            {"holder_name": "Fabrikam", "iban": "DE89 3704 0044 0532 0130 00"}, "DE"
        )
        assert errors == {}
        assert clean["iban"] == "DE89370400440532013000"
        assert clean["bic"] == "COBADEFFXXX"  # derived from the IBAN
        assert clean["last4"] == "3000"

    def test_bad_iban_checksum(self):
        _clean, errors = rules.normalize_bank_account(
            {"holder_name": "F", "iban": "DE00370400440532013000"}, "DE"
        )
        assert "iban" in errors

    def test_iban_missing_in_iban_country(self):
        _clean, errors = rules.normalize_bank_account({"holder_name": "F", "account_number": "123456"}, "DE")
        assert "IBAN" in errors["iban"][0]

    def test_bad_bic(self):
        _clean, errors = rules.normalize_bank_account(
            {"holder_name": "F", "iban": "DE89370400440532013000", "bic": "XX"}, "DE"
        )
        assert "bic" in errors

    def test_us_needs_a_valid_aba_routing_number(self):
        ok = {"holder_name": "Northwind", "account_number": "000123456789", "routing_number": "021000021"}
        assert rules.normalize_bank_account(ok, "US")[1] == {}
        bad = {**ok, "routing_number": "021000022"}
        assert "routing_number" in rules.normalize_bank_account(bad, "US")[1]

    def test_non_iban_country_needs_account_and_routing(self):
        _clean, errors = rules.normalize_bank_account({"holder_name": "Contoso"}, "TW")
        assert {"account_number", "routing_number"} <= set(errors)

    def test_holder_required(self):
        assert "holder_name" in rules.normalize_bank_account({"iban": "DE89370400440532013000"}, "DE")[1]
