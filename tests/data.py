"""Sample data shared by the tests and the benchmark."""

# A new work account in Taiwan (POST /signup/ and /api/v1/signup/): its global admin signs
# in on the new tenant's domain.
SIGNUP = {
    "company_name": "Contoso Taiwan Ltd.",
    "domain_prefix": "contosotw",
    "country": "TW",
    "email": "mei@contosotw.onmicrosoft.com",
    "password": "Tr1cky-Passw0rd",
    "first_name": "Mei",
    "last_name": "Lin",
}

# The primary contact of the German partner (Fabrikam Deutschland GmbH).
PRIMARY_CONTACT = {
    "first_name": "Jonas",
    "last_name": "Becker",
    "email": "jonas@fabrikam.de",
    "phone": "+49 30 1234567",
}


def valid_application(mpn_id: str) -> dict:
    """A valid application body for a German partner (POST /api/v1/enrollments/)."""
    return {
        "program": "indirect_reseller",
        "mpn_id": mpn_id,
        "legal_business_profile": {
            "company_name": "Fabrikam Deutschland GmbH",
            "address": {
                "line1": "Hauptstraße 1",
                "line2": "",
                "city": "Berlin",
                "state": "",
                "postal_code": "10115",
                "country": "DE",
            },
        },
        "primary_contact": dict(PRIMARY_CONTACT),
        "support_profile": {
            "email": "support@fabrikam.de",
            "phone": "+49 30 1234568",
            "website": "https://fabrikam.de",
        },
        "bank_account": {
            "holder_name": "Fabrikam Deutschland GmbH",
            "iban": "DE89 3704 0044 0532 0130 00",
            "bic": "COBADEFFXXX",
        },
        "language": "en",
    }
