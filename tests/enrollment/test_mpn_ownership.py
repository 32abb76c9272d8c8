"""MPN ownership (issue 8): an MPN ID is proved when it comes from this user's Partner
Membership Center sign-in within PMC_PROOF_MAX_AGE; the ``mpn_ownership`` check passes for
a proved ID whose company name is the legal name, and otherwise waits for a reviewer with
the evidence; an MPN ID held by another tenant's open or active enrollment is refused at
once, on the page and in the API."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import translation

from enrollment.company_names import company_names_match
from enrollment.models import Enrollment, PmcSignIn
from enrollment.services.application import enrollment_submit
from enrollment.services.checks import enrollment_checks_run
from enrollment.services.mpn import mpn_link, pmc_sign_in
from tests.cast import make_reviewer, user_of
from tests.enrollment.test_views import post_step
from tests.factories import (
    PASSWORD,
    EnrollmentFactory,
    MpnProfileFactory,
    PartnerFactory,
    PmcAccountFactory,
    PmcSignInFactory,
    TenantFactory,
    UserFactory,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


def sign_in_api(api, user, username="fabrikam", password=PASSWORD):
    api.force_authenticate(user)
    return api.post("/api/v1/mpn/sign-in/", {"username": username, "password": password}, format="json")


def ownership_check(enrollment):
    Enrollment.objects.filter(pk=enrollment.pk).update(status="in_review")
    assert enrollment_checks_run(enrollment_id=enrollment.pk)
    return enrollment.checks.get(kind="mpn_ownership")


class TestProof:
    def test_api_sign_in_then_submit_proves_the_id_and_the_check_passes(self, api, admin, application):
        answer = sign_in_api(api, admin)
        assert answer.status_code == 200
        assert answer.json()["proof_expires_at"] == "2026-11-23T10:00:00Z"
        created = api.post("/api/v1/enrollments/", application, format="json")
        assert created.status_code == 201
        assert created.json()["partner"]["mpn_linked_via"] == "pmc"
        enrollment = Enrollment.objects.get(pk=created.json()["id"])
        assert enrollment.partner.mpn_evidence["pmc_username"] == "fabrikam"
        assert enrollment.application["mpn_linked_via"] == "pmc"
        check = ownership_check(enrollment)
        assert check.result == "passed"
        assert check.evidence["names_match"] is True and check.evidence["mpn_linked_via"] == "pmc"

    def test_a_typed_id_is_not_proved_and_waits_for_a_reviewer_with_both_names(self, api, admin, application):
        application["legal_business_profile"]["company_name"] = "Fabrikam Handel AG"
        api.force_authenticate(admin)
        created = api.post("/api/v1/enrollments/", application, format="json").json()
        assert created["partner"]["mpn_linked_via"] == "typed"
        check = ownership_check(Enrollment.objects.get(pk=created["id"]))
        assert check.result == "pending"
        assert check.evidence["registry_company_name"] == "Fabrikam Deutschland GmbH"
        assert check.evidence["legal_name"] == "Fabrikam Handel AG"
        with translation.override("en"):
            assert "typed" in check.detail and "Fabrikam Handel AG" in check.detail

    def test_a_sign_in_older_than_the_settings_time_proves_nothing(self, admin, application, settings):
        settings.PMC_PROOF_MAX_AGE = 600
        pmc_sign_in(actor=admin, username="fabrikam", password=PASSWORD)
        with time_machine.travel(NOW + timedelta(seconds=601), tick=False):
            enrollment = enrollment_submit(actor=admin, application=application)
        assert enrollment.partner.mpn_linked_via == "typed"

    @pytest.mark.parametrize("age,via", [(599, "pmc"), (600, "pmc"), (601, "typed")])
    def test_the_proof_lasts_the_settings_time(self, admin, application, settings, age, via):
        settings.PMC_PROOF_MAX_AGE = 600
        PmcSignInFactory(user=admin, signed_in_at=NOW - timedelta(seconds=age))
        assert mpn_link(admin, "4820001")[0] == via

    def test_another_users_sign_in_proves_nothing(self, admin, application, tenant):
        other_admin = user_of(PartnerFactory(tenant=TenantFactory()), email="admin@other.test")
        pmc_sign_in(actor=other_admin, username="fabrikam", password=PASSWORD)
        assert enrollment_submit(actor=admin, application=application).partner.mpn_linked_via == "typed"

    def test_a_sign_in_that_does_not_list_the_id_proves_nothing(self, admin, application):
        MpnProfileFactory(pmc_account=PmcAccountFactory(username="someone"), mpn_id="4829999", country="DE")
        pmc_sign_in(actor=admin, username="someone", password=PASSWORD)
        assert enrollment_submit(actor=admin, application=application).partner.mpn_linked_via == "typed"

    def test_proved_but_another_company_name_waits_for_a_reviewer(self, admin, application):
        application["legal_business_profile"]["company_name"] = "Northwind Traders GmbH"
        pmc_sign_in(actor=admin, username="fabrikam", password=PASSWORD)
        check = ownership_check(enrollment_submit(actor=admin, application=application))
        assert (check.result, check.detail_code) == ("pending", "mpn_ownership_names_differ")

    def test_wrong_pmc_credentials_are_400_and_record_nothing(self, api, admin):
        answer = sign_in_api(api, admin, password="wrong")
        assert answer.status_code == 400 and "non_field_errors" in answer.json()
        assert not PmcSignIn.objects.exists()

    def test_the_page_sign_in_records_the_proof_and_the_wizard_submits_it(
        self, client, admin, mpn, django_capture_on_commit_callbacks
    ):
        client.force_login(admin)
        client.post("/enroll/pmc/sign-in/", {"username": "fabrikam", "password": PASSWORD})
        assert PmcSignIn.objects.get().user == admin
        client.get("/enroll/apply/")
        for step in ["program", "mpn", "business", "contact", "support", "bank"]:
            assert post_step(client, step).status_code == 302, step
        with django_capture_on_commit_callbacks(execute=True):
            client.get(post_step(client, "review")["Location"])
        assert Enrollment.objects.get().partner.mpn_linked_via == "pmc"


@pytest.mark.parametrize(
    "a,b,same",
    [
        ("Fabrikam Deutschland GmbH", "FABRIKAM DEUTSCHLAND G.m.b.H.", True),
        ("Contoso, Inc.", "Contoso Incorporated", True),
        ("ООО «Вингтип»", "Вингтип", True),
        ("台灣康托索股份有限公司", "台灣康托索有限公司", True),
        ("Société Générale SA", "Societe Generale", True),
        ("Fabrikam GmbH", "Northwind GmbH", False),
        ("GmbH", "AG", False),
    ],
)
def test_company_names_match_without_case_punctuation_or_legal_form(a, b, same):
    assert company_names_match(a, b) is same


class TestOneCompanyOneMpnId:
    @pytest.fixture
    def held(self, mpn):
        """Another tenant's enrollment in review, linked to the MPN ID."""
        other = PartnerFactory(tenant=TenantFactory(country="DE"), mpn_id=mpn.mpn_id, country="DE")
        return EnrollmentFactory(partner=other, status="in_review")

    def test_the_api_refuses_it_with_a_400_on_mpn_id(self, api, admin, application, held):
        api.force_authenticate(admin)
        answer = api.post("/api/v1/enrollments/", application, format="json")
        assert answer.status_code == 400
        assert "already linked to another organization" in answer.json()["mpn_id"][0]
        assert not Enrollment.objects.filter(partner__tenant=admin.tenant).exists()

    def test_even_a_pmc_sign_in_does_not_take_it(self, api, admin, application, held):
        sign_in_api(api, admin)
        assert api.post("/api/v1/enrollments/", application, format="json").status_code == 400

    def test_the_wizard_refuses_it_on_the_mpn_step(self, client, admin, held):
        client.force_login(admin)
        client.get("/enroll/apply/")
        post_step(client, "program")
        page = post_step(client, "mpn", {"mpn-mpn_id": held.partner.mpn_id})
        assert page.status_code == 200 and "already linked to another organization" in page.content.decode()

    @pytest.mark.parametrize("status", ["withdrawn", "rejected", "expired"])
    def test_a_closed_enrollment_of_another_tenant_does_not_hold_it(self, admin, application, held, status):
        Enrollment.objects.filter(pk=held.pk).update(status=status)
        assert enrollment_submit(actor=admin, application=application).partner.mpn_id == held.partner.mpn_id

    def test_an_active_one_holds_it_and_the_own_tenant_never_blocks_itself(self, admin, mpn, held):
        Enrollment.objects.filter(pk=held.pk).update(status="active")
        assert Enrollment.objects.holding_mpn(mpn.mpn_id, other_than=admin.tenant).get() == held
        assert not Enrollment.objects.holding_mpn(mpn.mpn_id, other_than=held.partner.tenant).exists()


def test_the_review_page_shows_both_names_and_how_the_id_was_linked(client, admin, application):
    pmc_sign_in(actor=admin, username="fabrikam", password=PASSWORD)
    application["legal_business_profile"]["company_name"] = "Fabrikam Handel AG"
    enrollment = enrollment_submit(actor=admin, application=application)
    ownership_check(enrollment)
    client.force_login(make_reviewer())
    page = client.get(f"/review/{enrollment.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    linked = page[page.index('id="mpn-linked-via"') :][:200]
    assert "Partner Membership Center sign-in" in linked and "fabrikam" in linked
    assert "Fabrikam Deutschland GmbH" in page and "Fabrikam Handel AG" in page
    assert 'id="check-mpn_ownership"' in page


def test_the_openapi_schema_documents_the_proof_and_the_links(api, admin):
    api.force_authenticate(admin)
    schema = api.get("/api/v1/schema/?format=json").json()
    components = schema["components"]["schemas"]
    assert "proof_expires_at" in components["MpnProfiles"]["properties"]
    assert "mpn_linked_via" in components["PartnerSummary"]["properties"]
    assert {"detail_code", "detail_params"} <= set(components["Check"]["properties"])
    assert "/api/v1/email-verifications/not-requested/" in schema["paths"]


def test_staff_read_the_sign_ins_and_how_each_partner_linked_its_mpn_id(client, admin, application):
    proof, _records = pmc_sign_in(actor=admin, username="fabrikam", password=PASSWORD)
    partner = enrollment_submit(actor=admin, application=application).partner
    client.force_login(UserFactory(tenant=None, roles=[], is_staff=True, is_superuser=True))
    assert "fabrikam" in client.get("/admin/enrollment/pmcsignin/").content.decode()
    assert client.get(f"/admin/enrollment/pmcsignin/{proof.pk}/change/").status_code == 200
    assert client.get("/admin/enrollment/pmcsignin/add/").status_code == 403
    page = client.get(f"/admin/enrollment/partner/{partner.pk}/change/").content.decode()
    assert '<div class="readonly">Partner Membership Center sign-in</div>' in page


def test_the_review_api_gives_the_reviewer_the_ownership_evidence(api, admin, application):
    application["legal_business_profile"]["company_name"] = "Fabrikam Handel AG"
    enrollment = enrollment_submit(actor=admin, application=application)
    ownership_check(enrollment)
    api.force_authenticate(make_reviewer())
    body = api.get(f"/api/v1/review/enrollments/{enrollment.pk}/").json()
    check = next(c for c in body["checks"] if c["kind"] == "mpn_ownership")
    assert (check["result"], check["detail_code"]) == ("pending", "mpn_ownership_typed")
    assert check["evidence"]["registry_company_name"] == "Fabrikam Deutschland GmbH"
    assert check["evidence"]["legal_name"] == "Fabrikam Handel AG"
    assert body["partner"]["mpn_linked_via"] == "typed"
