"""After an upload the partner can still write an answer, and the answer and the document go
in together (issue 8, "No dead ends"): a document sent while the reviewer's request waits
leaves the request waiting (the answer form stays); the answer form of an enrollment that
needs information carries an optional document, and both go in as one change (one audit
row), on the page and in the API."""

import pytest

from enrollment.models import CheckResult, EnrollmentDocument, EnrollmentStatus
from partnercenter.audit.models import Event
from tests.conftest import api_as

from .test_partner_actions import EXE, appeal, pdf, status_url

pytestmark = pytest.mark.django_db

ANSWER = "The TXT record is published; the registration extract is attached."


@pytest.fixture
def signed_in(client, admin):
    client.force_login(admin)
    return client


def respond(client, enrollment, **data):
    return client.post(f"{status_url(enrollment)}respond/", {"message": ANSWER, **data})


def kinds_after(enrollment, event_id) -> list[str]:
    return list(Event.objects.of(enrollment).filter(id__gt=event_id).values_list("kind", flat=True))


def last_event_id() -> int:
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


class TestPage:
    def test_the_answer_form_takes_a_document(self, signed_in, asked):
        page = signed_in.get(status_url(asked))
        form = page.context["respond_form"]
        assert list(form.fields) == ["message", "check", "document_type", "document"]
        assert [kind for kind, _label in form.fields["check"].widget.choices] == [
            "email_domain",
            "business_verification",
        ]
        content = page.content.decode()
        respond_form = content[content.index(f'action="/enrollments/{asked.pk}/respond/"') - 200 :]
        respond_form = respond_form[: respond_form.index("</form>")]
        assert 'enctype="multipart/form-data"' in respond_form
        assert 'name="document"' in respond_form and 'name="message"' in respond_form

    def test_after_an_upload_the_partner_can_still_answer(self, signed_in, asked):
        assert appeal(signed_in, asked, pdf("dns-proof.pdf")).status_code == 302
        asked.refresh_from_db()
        assert asked.status == EnrollmentStatus.ACTION_NEEDED
        page = signed_in.get(status_url(asked)).content.decode()
        assert "Now answer the reviewer&#x27;s request" in page or "Now answer the reviewer's request" in page
        assert f'action="/enrollments/{asked.pk}/respond/"' in page and "Send my answer" in page
        assert respond(signed_in, asked).status_code == 302
        asked.refresh_from_db()
        assert asked.status == EnrollmentStatus.IN_REVIEW and asked.due_at is not None

    def test_the_answer_and_the_document_go_in_together(self, signed_in, admin, asked):
        before = last_event_id()
        response = respond(
            signed_in,
            asked,
            check="email_domain",
            document_type="domain_ownership",
            document=pdf("dns-proof.pdf"),
        )
        assert response.status_code == 302
        asked.refresh_from_db()
        assert asked.status == EnrollmentStatus.IN_REVIEW
        document = EnrollmentDocument.objects.get()
        assert (document.original_name, document.document_type, document.uploaded_by) == (
            "dns-proof.pdf",
            "domain_ownership",
            admin,
        )
        assert document.verification_check == asked.checks.get(kind="email_domain")
        assert asked.checks.get(kind="email_domain").result == CheckResult.PENDING
        # One change, one row: the answer with the document.
        assert kinds_after(asked, before) == ["responded_with_document"]
        event = Event.objects.get(id__gt=before)
        assert event.note == ANSWER
        assert event.data == {"check": "email_domain", "document_type": "domain_ownership"}
        assert "Proof of domain ownership" in event.detail and ANSWER in event.detail
        assert "dns-proof.pdf" in signed_in.get(response["Location"]).content.decode()

    @pytest.mark.parametrize(
        "data,field,words",
        [
            (
                {"document_type": "domain_ownership", "document": pdf("setup.pdf", EXE)},
                "document",
                "PDF, PNG or JPEG",
            ),
            ({"document_type": "domain_ownership"}, "document", "Attach the document"),
            ({"document": pdf()}, "document_type", "Choose the type of document"),
            (
                {"check": "mpn_status", "document_type": "domain_ownership", "document": pdf()},
                "check",
                "appealed",
            ),
        ],
    )
    def test_a_bad_document_keeps_the_answer_and_says_why(self, signed_in, asked, data, field, words):
        before = last_event_id()
        response = respond(signed_in, asked, **{"check": "email_domain", **data})
        assert response.status_code == 200
        form = response.context["respond_form"]
        assert any(words in message for message in form.errors[field]), form.errors
        assert form["message"].value() == ANSWER  # what was typed stays
        asked.refresh_from_db()
        assert asked.status == EnrollmentStatus.ACTION_NEEDED
        assert not EnrollmentDocument.objects.exists() and kinds_after(asked, before) == []

    def test_too_large_a_document_is_refused_on_its_field(self, signed_in, asked, settings):
        settings.DOCUMENT_MAX_BYTES = 1024
        response = respond(
            signed_in,
            asked,
            check="email_domain",
            document_type="domain_ownership",
            document=pdf(content=b"%PDF-" + b"0" * 4096),
        )
        assert response.status_code == 200
        assert "document" in response.context["respond_form"].errors
        assert not EnrollmentDocument.objects.exists()

    def test_an_answer_alone_still_works(self, signed_in, asked):
        before = last_event_id()
        assert respond(signed_in, asked).status_code == 302
        assert kinds_after(asked, before) == ["responded"]
        assert not EnrollmentDocument.objects.exists()


class TestApi:
    def url(self, enrollment) -> str:
        return f"/api/v1/enrollments/{enrollment.pk}/respond/"

    def test_the_answer_and_the_document_in_one_multipart_request(self, admin, asked):
        before = last_event_id()
        response = api_as(admin).post(
            self.url(asked),
            {
                "message": ANSWER,
                "check": "business_verification",
                "document_type": "business_registration",
                "document": pdf(),
            },
            format="multipart",
        )
        assert response.status_code == 200, response.data
        assert response.data["status"] == "in_review"
        checks = {c["kind"]: c["result"] for c in response.data["checks"]}
        assert checks["business_verification"] == "pending"
        assert response.data["timeline"][-1]["event"] == "responded_with_document"
        assert EnrollmentDocument.objects.get().verification_check.kind == "business_verification"
        assert kinds_after(asked, before) == ["responded_with_document"]

    def test_after_an_upload_through_the_api_the_answer_is_still_taken(self, admin, asked):
        client = api_as(admin)
        uploaded = client.post(
            f"/api/v1/enrollments/{asked.pk}/appeals/",
            {"check": "email_domain", "document_type": "domain_ownership", "comment": "", "document": pdf()},
            format="multipart",
        )
        assert uploaded.status_code == 201 and uploaded.data["enrollment"]["status"] == "action_needed"
        answered = client.post(self.url(asked), {"message": ANSWER}, format="json")
        assert answered.status_code == 200 and answered.data["status"] == "in_review"

    @pytest.mark.parametrize(
        "data,field",
        [
            ({"document_type": "domain_ownership", "document": pdf("x.pdf", EXE)}, "document"),
            ({"document_type": "passport", "document": pdf()}, "document_type"),
            ({"message": "", "document_type": "domain_ownership", "document": pdf()}, "message"),
        ],
    )
    def test_400_with_the_field_and_nothing_changes(self, admin, asked, data, field):
        response = api_as(admin).post(
            self.url(asked), {"message": ANSWER, "check": "email_domain", **data}, format="multipart"
        )
        assert response.status_code == 400
        assert field in response.data
        asked.refresh_from_db()
        assert asked.status == "action_needed" and not EnrollmentDocument.objects.exists()

    def test_403_employee_404_outsider(self, employee, outsider, asked):
        data = {
            "message": ANSWER,
            "check": "email_domain",
            "document_type": "domain_ownership",
            "document": pdf(),
        }
        assert api_as(employee).post(self.url(asked), data, format="multipart").status_code == 403
        assert api_as(outsider).post(self.url(asked), data, format="multipart").status_code == 404
        assert not EnrollmentDocument.objects.exists()
