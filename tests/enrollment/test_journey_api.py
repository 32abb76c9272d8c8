"""The journey from application to ``active`` through the REST API only (API.md): a
German partner signs up, enrolls, confirms the primary contact's email with the emailed
token; a reviewer works the queue, decides the checks left to a person, asks for
information; the partner answers; the reviewer approves; the partner accepts the
agreement. Every caller authenticates with ``Authorization: Token``."""

import re
from datetime import datetime

import pytest
from django.core import mail
from rest_framework.test import APIClient

from tests.cast import make_reviewer
from tests.factories import (
    PASSWORD,
    AgreementTemplateFactory,
    MpnProfileFactory,
    PmcAccountFactory,
)

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/verify-email/([A-Za-z0-9_-]+)/")

ADMIN_EMAIL = "lena.vogel@fabrikamde.onmicrosoft.com"
ADMIN_PASSWORD = "Spree-Ufer-2026!"
CONTACT_EMAIL = "jonas.becker@fabrikam.de"
REVIEWER_EMAIL = "riley@partners.test"
MPN_ID = "4820101"
COMPANY = "Fabrikam Deutschland GmbH"

BUSINESS_NOTE = "Handelsregister Berlin HRB 123456 B: the company exists at Hauptstraße 1."
DOMAIN_NOTE = "fabrikam.de belongs to the company (DENIC record); the contact works there."
REQUEST = "Send us the VAT identification number of Fabrikam Deutschland GmbH."
ANSWER = "Our VAT identification number is DE123456789."
APPROVE_NOTE = "VAT number confirmed in VIES."


def token_client(api: APIClient, email: str, password: str) -> APIClient:
    """A client that sends ``Authorization: Token <key>`` from POST /api/v1/auth/token/."""
    response = api.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")
    assert response.status_code == 200, response.data
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    return client


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, getattr(response, "data", response))
    return response.data


def checks_of(enrollment: dict) -> dict[str, str]:
    return {check["kind"]: check["result"] for check in enrollment["checks"]}


def test_journey_from_signup_to_active(api, committed):
    MpnProfileFactory(
        mpn_id=MPN_ID, company_name=COMPANY, country="DE", pmc_account=PmcAccountFactory(username="fabrikam")
    )
    template = AgreementTemplateFactory(
        program="indirect_reseller", language="en", version="2026-05", name="Microsoft Partner Agreement"
    )
    make_reviewer(REVIEWER_EMAIL)

    # 1. Sign up a work account in Germany, then a token for its global admin.
    signup = ok(
        api.post(
            "/api/v1/signup/",
            {
                "company_name": COMPANY,
                "domain_prefix": "fabrikamde",
                "country": "DE",
                "email": ADMIN_EMAIL,
                "password": ADMIN_PASSWORD,
                "first_name": "Lena",
                "last_name": "Vogel",
            },
            format="json",
        ),
        201,
    )
    assert signup["tenant"]["domain"] == "fabrikamde.onmicrosoft.com"
    assert signup["tenant"]["country"] == "DE"
    assert signup["user"]["roles"] == ["global_admin"]
    partner = token_client(api, ADMIN_EMAIL, ADMIN_PASSWORD)
    reviewer = token_client(api, REVIEWER_EMAIL, PASSWORD)
    assert ok(partner.get("/api/v1/me/"))["partner"] is None

    # 2. The MPN ID from the Partner Membership Center.
    profiles = ok(
        partner.post("/api/v1/mpn/sign-in/", {"username": "fabrikam", "password": PASSWORD}, format="json")
    )["profiles"]
    assert profiles == [{"mpn_id": MPN_ID, "company_name": COMPANY, "country": "DE", "status": "active"}]

    # 3. Apply.
    application = {
        "program": "indirect_reseller",
        "mpn_id": profiles[0]["mpn_id"],
        "legal_business_profile": {
            "company_name": COMPANY,
            "address": {
                "line1": "Hauptstraße 1",
                "line2": "",
                "city": "Berlin",
                "state": "",
                "postal_code": "10115",
                "country": "DE",
            },
        },
        "primary_contact": {
            "first_name": "Jonas",
            "last_name": "Becker",
            "email": CONTACT_EMAIL,
            "phone": "+49 30 1234567",
        },
        "support_profile": {
            "email": "support@fabrikam.de",
            "phone": "+49 30 1234568",
            "website": "https://fabrikam.de",
        },
        "bank_account": {
            "holder_name": COMPANY,
            "iban": "DE89 3704 0044 0532 0130 00",
            "bic": "COBADEFFXXX",
        },
        "language": "en",
    }
    with committed():
        created = ok(partner.post("/api/v1/enrollments/", application, format="json"), 201)
    enrollment_id = created["id"]
    detail_url = f"/api/v1/enrollments/{enrollment_id}/"
    review_url = f"/api/v1/review/enrollments/{enrollment_id}/"
    assert created["status"] == "pending_email_verification"
    assert checks_of(created)["email_ownership"] == "pending"
    assert (created["partner"]["country"], created["partner"]["market"], created["partner"]["currency"]) == (
        "DE",
        "europe",
        "EUR",
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [CONTACT_EMAIL]

    # The queue holds it already (waiting for the email), but nobody can decide it yet.
    queue = ok(reviewer.get("/api/v1/review/enrollments/"))
    assert [row["status"] for row in queue["results"]] == ["pending_email_verification"]

    # 4. The primary contact's token, from the emailed link; no credentials needed.
    token = LINK.search(mail.outbox[0].body).group(1)
    with committed():
        confirmed = ok(APIClient().post("/api/v1/email-verifications/", {"token": token}, format="json"))
    assert (str(confirmed["enrollment_id"]), confirmed["status"]) == (enrollment_id, "in_review")

    # The automated checks ran after the confirmation. No domain of the tenant is verified
    # (signup over the API verifies none), so email_domain is left to the reviewer, with
    # business verification.
    in_review = ok(partner.get(detail_url))
    assert in_review["status"] == "in_review"
    assert in_review["due_at"] is not None
    found = checks_of(in_review)
    assert {kind for kind, result in found.items() if result == "pending"} == {
        "email_domain",
        "business_verification",
    }
    assert {kind for kind, result in found.items() if result == "passed"} >= {
        "email_ownership",
        "mpn_status",
        "mpn_country",
        "address",
        "bank_account",
        "duplicate",
        "csp_tenant_restriction",
    }
    assert not [kind for kind, result in found.items() if result == "failed"]

    # 5. The reviewer: the queue, claim.
    queue = ok(reviewer.get("/api/v1/review/enrollments/"))
    assert queue["count"] == 1
    row = queue["results"][0]
    assert str(row["id"]) == enrollment_id
    assert (row["status"], row["program"], row["assignee"], row["overdue"]) == (
        "in_review",
        "indirect_reseller",
        None,
        False,
    )
    assert (row["partner"]["legal_name"], row["partner"]["mpn_id"], row["partner"]["country"]) == (
        COMPANY,
        MPN_ID,
        "DE",
    )
    assert ok(reviewer.get("/api/v1/review/enrollments/?assignee=none"))["count"] == 1

    claimed = ok(reviewer.post(f"{review_url}claim/"))
    assert claimed["assignee"]["email"] == REVIEWER_EMAIL
    assert ok(reviewer.get("/api/v1/review/enrollments/?assignee=me"))["count"] == 1

    # Approving before the checks are settled is refused, naming them.
    refused = reviewer.post(f"{review_url}approve/", {"note": ""}, format="json")
    assert refused.status_code == 400
    message = refused.data["non_field_errors"][0]
    assert "Business verification" in message and "Email domain and employment" in message
    assert ok(reviewer.get(review_url))["status"] == "in_review"

    # 6. Decide the pending checks: pass business verification, waive the domain check.
    pending = [check["kind"] for check in row["checks"] if check["result"] == "pending"]
    assert sorted(pending) == ["business_verification", "email_domain"]
    decisions = {
        "business_verification": {"result": "passed", "note": BUSINESS_NOTE},
        "email_domain": {"result": "waived", "note": DOMAIN_NOTE},
    }
    for kind in decisions:  # business verification first, as the timeline below reads
        decided = ok(reviewer.post(f"{review_url}checks/{kind}/", decisions[kind], format="json"))
        check = next(c for c in decided["checks"] if c["kind"] == kind)
        assert (check["result"], check["detail"]) == (decisions[kind]["result"], decisions[kind]["note"])
        assert check["checked_at"] is not None
    assert set(checks_of(ok(reviewer.get(review_url))).values()) <= {"passed", "waived"}

    # 7. Ask the partner for information.
    with committed():
        asked = ok(reviewer.post(f"{review_url}request-info/", {"message": REQUEST}, format="json"))
    assert asked["status"] == "action_needed"
    waiting = ok(partner.get(detail_url))
    assert waiting["status"] == "action_needed"
    assert waiting["timeline"][-1]["event"] == "info_requested"
    assert waiting["timeline"][-1]["detail"] == REQUEST
    assert ok(partner.get("/api/v1/partner/"))["vetting_status"] == "pending"

    # Deciding is not possible while the file waits for the partner.
    conflict = reviewer.post(f"{review_url}approve/", {"note": APPROVE_NOTE}, format="json")
    assert conflict.status_code == 409
    assert (conflict.data["code"], conflict.data["status"]) == ("invalid_transition", "action_needed")

    # 8. The partner answers; the review continues. No email for that.
    outbox_before = len(mail.outbox)
    with committed():
        answered = ok(partner.post(f"{detail_url}respond/", {"message": ANSWER}, format="json"))
    assert answered["status"] == "in_review"
    assert answered["due_at"] is not None
    assert (answered["timeline"][-1]["event"], answered["timeline"][-1]["detail"]) == ("responded", ANSWER)
    assert len(mail.outbox) == outbox_before
    again = partner.post(f"{detail_url}respond/", {"message": ANSWER}, format="json")
    assert again.status_code == 409 and again.data["status"] == "in_review"

    # 9. Back in the reviewer's queue, held by them; approve.
    back = ok(reviewer.get("/api/v1/review/enrollments/?assignee=me"))
    assert [(str(r["id"]), r["status"]) for r in back["results"]] == [(enrollment_id, "in_review")]
    with committed():
        approved = ok(reviewer.post(f"{review_url}approve/", {"note": APPROVE_NOTE}, format="json"))
    assert approved["status"] == "approved"
    assert approved["decided_at"] is not None
    assert approved["due_at"] is None
    assert ok(reviewer.get("/api/v1/review/enrollments/"))["count"] == 0  # out of the queue

    profile = ok(partner.get("/api/v1/partner/"))
    assert profile["vetting_status"] == "authorized"
    assert profile["programs"] == []  # not active before the agreement
    assert [(i["program"], i["status"], i["agreement_name"]) for i in profile["program_info"]] == [
        ("indirect_reseller", "approved", None)
    ]

    # 10. The agreement: list the current one, accept it with the contact on record.
    agreements = ok(partner.get("/api/v1/agreements/?program=indirect_reseller"))
    assert agreements["count"] == 1
    offered = agreements["results"][0]
    assert (str(offered["id"]), offered["name"], offered["version"], offered["language"]) == (
        str(template.pk),
        "Microsoft Partner Agreement",
        "2026-05",
        "en",
    )
    assert offered["url"].endswith(f"/agreements/{template.pk}/")
    contact = {
        "first_name": "Jonas",
        "last_name": "Becker",
        "email": CONTACT_EMAIL,
        "phone": "+49 30 1234567",
    }
    with committed():
        accepted = ok(
            partner.post(
                "/api/v1/partner/agreements/",
                {"template_id": offered["id"], "primary_contact": contact},
                format="json",
            ),
            201,
        )
    assert (accepted["program"], accepted["region"]) == ("indirect_reseller", "europe")
    assert accepted["template"]["version"] == "2026-05"
    assert accepted["accepted_by"]["email"] == ADMIN_EMAIL
    assert accepted["primary_contact"]["email"] == CONTACT_EMAIL
    twice = partner.post(
        "/api/v1/partner/agreements/",
        {"template_id": offered["id"], "primary_contact": contact},
        format="json",
    )
    assert twice.status_code == 409 and twice.data["status"] == "active"

    # 11. The partner profile: authorized, the program on, the agreement in Program info.
    profile = ok(partner.get("/api/v1/partner/"))
    assert profile["vetting_status"] == "authorized"
    assert profile["programs"] == ["indirect_reseller"]
    assert (profile["legal_name"], profile["mpn_id"], profile["market"], profile["currency"]) == (
        COMPANY,
        MPN_ID,
        "europe",
        "EUR",
    )
    [info] = profile["program_info"]
    assert info["program"] == "indirect_reseller"
    assert info["status"] == "active"
    assert (info["agreement_name"], info["agreement_version"], info["agreement_language"]) == (
        "Microsoft Partner Agreement",
        "2026-05",
        "en",
    )
    assert info["accepted_at"] == accepted["accepted_at"]
    assert info["accepted_by"] == "Lena Vogel"
    assert ok(partner.get("/api/v1/me/"))["partner"]["mpn_id"] == MPN_ID

    # 12. The enrollment: active, with the whole journey in its timeline, in order.
    final = ok(partner.get(detail_url))
    assert final["status"] == "active"
    assert final["decision_reason"] == ""
    assert set(checks_of(final).values()) <= {"passed", "waived"}
    assert [(event["event"], event["to_status"]) for event in final["timeline"]] == [
        ("submitted", "pending_email_verification"),
        ("email_confirmed", "in_review"),
        ("checks_completed", "in_review"),
        ("claimed", "in_review"),
        ("check_passed", "in_review"),
        ("check_waived", "in_review"),
        ("info_requested", "action_needed"),
        ("responded", "in_review"),
        ("approved", "approved"),
        ("agreement_accepted", "active"),
    ]
    timeline = {event["event"]: event for event in final["timeline"]}
    assert timeline["submitted"]["actor"] == f"Lena Vogel <{ADMIN_EMAIL}>"
    assert timeline["email_confirmed"]["actor"] == f"Jonas Becker <{CONTACT_EMAIL}>"
    assert timeline["claimed"]["actor"] == f"Riley Reviewer <{REVIEWER_EMAIL}>"
    assert timeline["check_passed"]["detail"] == f"Business verification: {BUSINESS_NOTE}"
    assert timeline["check_waived"]["detail"] == f"Email domain and employment: {DOMAIN_NOTE}"
    assert timeline["approved"]["detail"] == APPROVE_NOTE
    assert (
        timeline["agreement_accepted"]["detail"] == "Microsoft Partner Agreement 2026-05 (en), region europe"
    )
    times = [datetime.fromisoformat(event["at"]) for event in final["timeline"]]
    assert times == sorted(times)
    assert ok(reviewer.get(review_url))["status"] == "active"

    # The primary contact was emailed at every change, each once, in order; nobody else.
    assert {tuple(message.to) for message in mail.outbox} == {(CONTACT_EMAIL,)}
    assert [message.subject for message in mail.outbox] == [
        "Confirm your email address for the CSP program",
        "Your email is confirmed: your CSP application is in review",
        "Action needed on your CSP application",
        "Your company is verified: accept the agreement",
        "You are enrolled: the agreement is signed",
    ]
    assert REQUEST in mail.outbox[2].body
