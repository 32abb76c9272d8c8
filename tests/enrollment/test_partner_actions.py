"""The partner's side of the review: answering a request for information and appealing a
check with a document, on the status page and through the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrollment.models import CheckResult, EnrollmentDocument
from tests.cast import questioned_enrollment as enrollment_of
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def pdf(name="registration.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def signed_in(client, admin):
    client.force_login(admin)
    return client


def status_url(enrollment) -> str:
    return f"/enrollments/{enrollment.pk}/"


def appeal(client, enrollment, document, check="email_domain", document_type="domain_ownership", **extra):
    data = {"check": check, "document_type": document_type, "comment": "Our DNS TXT record", **extra}
    if document is not None:
        data["document"] = document
    return client.post(f"{status_url(enrollment)}appeals/", data)


def kinds(enrollment) -> list[str]:
    return list(enrollment.events.values_list("kind", flat=True))


class TestStatusPage:
    def test_shows_the_request_and_the_answer_form(self, signed_in, asked):
        content = signed_in.get(status_url(asked)).content.decode()
        assert "Action needed: the reviewer's request" in content
        assert "Send proof that you own fabrikam.de." in content
        assert f'action="/enrollments/{asked.pk}/respond/"' in content
        assert f'action="/enrollments/{asked.pk}/appeals/"' in content
        assert 'enctype="multipart/form-data"' in content

    def test_failed_check_shows_its_reason(self, signed_in, admin):
        enrollment = enrollment_of(admin)
        content = signed_in.get(status_url(enrollment)).content.decode()
        assert "is not a verified domain of your work account" in content

    def test_upload_offers_only_failed_or_questioned_checks(self, signed_in, admin):
        enrollment = enrollment_of(admin)
        form = signed_in.get(status_url(enrollment)).context["appeal_form"]
        assert [kind for kind, _label in form.fields["check"].widget.choices] == [
            "email_domain",
            "business_verification",
        ]
        assert [kind for kind, _label in form.fields["document_type"].widget.choices][1:] == [
            "domain_ownership",
            "business_registration",
            "tax_registration",
        ]

    def test_no_forms_once_decided(self, signed_in, admin):
        enrollment = enrollment_of(admin, status="rejected")
        content = signed_in.get(status_url(enrollment)).content.decode()
        assert "/appeals/" not in content and "/respond/" not in content

    def test_employee_reads_the_request_but_has_no_forms(self, client, employee, asked):
        client.force_login(employee)
        content = client.get(status_url(asked)).content.decode()
        assert "Send proof that you own fabrikam.de." in content
        assert "/respond/" not in content and "/appeals/" not in content

    def test_constant_queries(self, signed_in, asked):
        with CaptureQueriesContext(connection) as few:
            signed_in.get(status_url(asked))
        for name in ["a.pdf", "b.pdf"]:
            appeal(signed_in, asked, pdf(name), check="business_verification")
        with CaptureQueriesContext(connection) as more:
            response = signed_in.get(status_url(asked))
        assert b"a.pdf" in response.content and b"b.pdf" in response.content
        assert len(more.captured_queries) == len(few.captured_queries)


class TestRespond:
    def test_the_answer_sends_the_file_back_to_review(self, signed_in, admin, asked):
        response = signed_in.post(f"{status_url(asked)}respond/", {"message": "Done: TXT record added."})
        assert response.status_code == 302
        asked.refresh_from_db()
        assert asked.status == "in_review" and asked.due_at
        event = asked.events.get(kind="responded")
        assert (event.actor, event.note) == (admin, "Done: TXT record added.")
        assert b"Your answer was sent" in signed_in.get(response["Location"]).content

    def test_an_empty_answer_is_refused_on_the_page(self, signed_in, asked):
        response = signed_in.post(f"{status_url(asked)}respond/", {"message": "  "})
        assert response.status_code == 200
        assert b"Write your answer to the reviewer&#x27;s request." in response.content
        assert response.context["respond_form"].errors["message"]
        asked.refresh_from_db()
        assert asked.status == "action_needed"

    def test_nothing_to_answer(self, signed_in, admin):
        enrollment = enrollment_of(admin)
        response = signed_in.post(f"{status_url(enrollment)}respond/", {"message": "Hello"}, follow=True)
        assert b"No request for information is waiting for an answer." in response.content
        assert b"Current status: In review." in response.content

    def test_employee_403_outsider_404(self, client, employee, outsider, asked):
        client.force_login(employee)
        assert client.post(f"{status_url(asked)}respond/", {"message": "x"}).status_code == 403
        client.force_login(outsider)
        assert client.post(f"{status_url(asked)}respond/", {"message": "x"}).status_code == 404
        asked.refresh_from_db()
        assert asked.status == "action_needed"

    def test_post_only(self, signed_in, asked):
        assert signed_in.get(f"{status_url(asked)}respond/").status_code == 405


class TestAppealPage:
    def test_a_pdf_puts_the_check_back_to_pending_and_the_request_still_waits(self, signed_in, admin, asked):
        response = appeal(signed_in, asked, pdf("dns-proof.pdf"))
        assert response.status_code == 302
        check = asked.checks.get(kind="email_domain")
        assert check.result == CheckResult.PENDING
        asked.refresh_from_db()
        assert asked.status == "action_needed"  # answered by the answer, not by the upload
        document = EnrollmentDocument.objects.get()
        assert (document.original_name, document.content_type, document.document_type) == (
            "dns-proof.pdf",
            "application/pdf",
            "domain_ownership",
        )
        assert document.verification_check == check and document.uploaded_by == admin
        assert document.file.read() == PDF
        event = asked.events.get(kind="appeal_submitted")
        assert "Proof of domain ownership" in event.detail and event.note.startswith("Our DNS TXT record")
        page = signed_in.get(response["Location"]).content.decode()
        assert "Your document was sent" in page and "dns-proof.pdf" in page

    def test_while_in_review_the_status_stays(self, signed_in, admin):
        enrollment = enrollment_of(admin)
        assert appeal(signed_in, enrollment, pdf()).status_code == 302
        enrollment.refresh_from_db()
        assert enrollment.status == "in_review"
        assert enrollment.checks.get(kind="email_domain").result == "pending"
        assert "appeal_submitted" in kinds(enrollment)

    def test_png_and_jpeg_are_accepted(self, signed_in, admin):
        enrollment = enrollment_of(admin)
        png = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="image/png")
        jpeg = SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, content_type="image/jpeg")
        assert appeal(signed_in, enrollment, png).status_code == 302
        assert appeal(signed_in, enrollment, jpeg, check="business_verification").status_code == 302
        assert sorted(EnrollmentDocument.objects.values_list("content_type", flat=True)) == [
            "image/jpeg",
            "image/png",
        ]

    def _nothing_changed(self, enrollment, status="action_needed"):
        enrollment.refresh_from_db()
        assert enrollment.status == status
        assert enrollment.checks.get(kind="email_domain").result == CheckResult.FAILED
        assert not EnrollmentDocument.objects.exists()
        assert "appeal_submitted" not in kinds(enrollment)

    def test_an_exe_renamed_pdf_is_refused(self, signed_in, asked):
        response = appeal(signed_in, asked, pdf("invoice.pdf", EXE))
        assert response.status_code == 200
        assert response.context["appeal_form"].errors["document"] == [
            "Upload a PDF, PNG or JPEG file. Other types are not accepted."
        ]
        assert b"Upload a PDF, PNG or JPEG file." in response.content
        self._nothing_changed(asked)

    def test_a_file_over_the_limit_is_refused(self, signed_in, asked, settings):
        settings.DOCUMENT_MAX_BYTES = 1024
        response = appeal(signed_in, asked, pdf(content=PDF + b"0" * 2048))
        assert response.status_code == 200
        errors = response.context["appeal_form"].errors["document"]
        assert len(errors) == 1 and errors[0].startswith("The file is too large")
        self._nothing_changed(asked)

    def test_a_huge_file_is_skipped_while_it_streams_in(self, signed_in, asked, settings):
        # Past FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), Django would stream it to a temporary
        # file; the handler stops keeping it as soon as it passes the limit.
        settings.DOCUMENT_MAX_BYTES = 64 * 1024
        response = appeal(signed_in, asked, pdf(content=PDF + b"0" * (3 * 1024 * 1024)))
        assert response.status_code == 200
        assert b"The file is too large (3 MB)." in response.content
        assert response.wsgi_request.uploads_too_large == {"document"}  # skipped, never kept
        assert "document" not in response.wsgi_request.FILES
        self._nothing_changed(asked)

    def test_exactly_the_limit_is_accepted(self, signed_in, asked, settings):
        settings.DOCUMENT_MAX_BYTES = 1024
        response = appeal(signed_in, asked, pdf(content=PDF + b"0" * (1024 - len(PDF))))
        assert response.status_code == 302
        assert EnrollmentDocument.objects.get().size == 1024

    @pytest.mark.parametrize(
        "fields,error_field,words",
        [
            ({"document_type": ""}, "document_type", "Choose the type of document"),
            ({"check": "mpn_status"}, "check", "Only a failed or questioned check can be appealed."),
            ({"check": ""}, "check", "Choose the check you are answering."),
        ],
    )
    def test_bad_fields(self, signed_in, asked, fields, error_field, words):
        response = appeal(signed_in, asked, pdf(), **fields)
        assert response.status_code == 200
        assert words in response.context["appeal_form"].errors[error_field][0]
        self._nothing_changed(asked)

    def test_no_document(self, signed_in, asked):
        response = appeal(signed_in, asked, None)
        assert response.context["appeal_form"].errors["document"] == [
            "Attach the document (PDF, PNG or JPEG)."
        ]
        self._nothing_changed(asked)

    def test_not_after_a_decision(self, signed_in, admin):
        enrollment = enrollment_of(admin, status="rejected")
        response = appeal(signed_in, enrollment, pdf())
        assert response.status_code == 302
        page = signed_in.get(response["Location"]).content.decode()
        assert "Documents can be added only while the enrollment is in review" in page
        assert "Current status: Rejected." in page
        assert not EnrollmentDocument.objects.exists()

    def test_employee_403_outsider_404(self, client, employee, outsider, asked):
        client.force_login(employee)
        assert appeal(client, asked, pdf()).status_code == 403
        client.force_login(outsider)
        assert appeal(client, asked, pdf()).status_code == 404
        self._nothing_changed(asked)


class TestApi:
    def respond(self, user, enrollment, body):
        return api_as(user).post(f"/api/v1/enrollments/{enrollment.pk}/respond/", body, format="json")

    def appeal(self, user, enrollment, **fields):
        body = {"check": "email_domain", "document_type": "domain_ownership", "comment": "DNS", **fields}
        body.setdefault("document", pdf())
        if body["document"] is None:
            del body["document"]
        return api_as(user).post(f"/api/v1/enrollments/{enrollment.pk}/appeals/", body, format="multipart")

    def test_respond(self, admin, asked):
        response = self.respond(admin, asked, {"message": "TXT record added."})
        assert response.status_code == 200, response.data
        assert response.data["status"] == "in_review"
        assert response.data["timeline"][-1]["event"] == "responded"

    def test_respond_400_with_the_field(self, admin, asked):
        response = self.respond(admin, asked, {"message": ""})
        assert response.status_code == 400
        assert response.data == {"message": ["Write your answer to the reviewer's request."]}
        assert self.respond(admin, asked, {}).status_code == 400

    def test_respond_403_employee_404_outsider(self, employee, outsider, asked):
        response = self.respond(employee, asked, {"message": "x"})
        assert response.status_code == 403
        assert "global admin" in response.data["detail"]
        assert self.respond(outsider, asked, {"message": "x"}).status_code == 404

    def test_respond_409_when_nothing_was_asked(self, admin):
        enrollment = enrollment_of(admin)
        response = self.respond(admin, enrollment, {"message": "x"})
        assert response.status_code == 409
        assert response.data["status"] == "in_review" and response.data["code"] == "invalid_transition"

    def test_appeal(self, admin, asked):
        response = self.appeal(admin, asked)
        assert response.status_code == 201, response.data
        assert response.data["document"]["check"] == "email_domain"
        assert response.data["document"]["content_type"] == "application/pdf"
        assert response.data["document"]["original_name"] == "registration.pdf"
        assert response.data["enrollment"]["status"] == "action_needed"
        checks = {c["kind"]: c["result"] for c in response.data["enrollment"]["checks"]}
        assert checks["email_domain"] == "pending"

    @pytest.mark.parametrize(
        "fields,field",
        [
            ({"document": pdf("setup.pdf", EXE)}, "document"),
            ({"document": None}, "document"),
            ({"document_type": "passport"}, "document_type"),
            ({"check": "mpn_status"}, "check"),
        ],
    )
    def test_appeal_400_with_the_field(self, admin, asked, fields, field):
        response = self.appeal(admin, asked, **fields)
        assert response.status_code == 400
        assert field in response.data
        assert not EnrollmentDocument.objects.exists()

    def test_appeal_too_large(self, admin, asked, settings):
        settings.DOCUMENT_MAX_BYTES = 1024
        response = self.appeal(admin, asked, document=pdf(content=PDF + b"0" * 4096))
        assert response.status_code == 400
        assert response.data["document"][0].startswith("The file is too large")
        assert not EnrollmentDocument.objects.exists()

    def test_appeal_403_employee_404_outsider(self, employee, outsider, asked):
        assert self.appeal(employee, asked).status_code == 403
        assert self.appeal(outsider, asked).status_code == 404
        assert not EnrollmentDocument.objects.exists()

    def test_appeal_409_after_a_decision(self, admin):
        enrollment = enrollment_of(admin, status="approved")
        response = self.appeal(admin, enrollment)
        assert response.status_code == 409
        assert response.data["status"] == "approved"
