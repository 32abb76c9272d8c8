"""Uploaded documents in an S3-compatible object store (issue 13): the partner's upload,
through the API and through the page, lands in the bucket; the reviewer's download reads
it back through the portal's permission check; the bucket serves nothing to anyone else.
Against a local S3 server (moto's server mode), not a mock of the storage."""

import pytest
import requests
from django.core.files.storage import default_storage

from enrollment.models import EnrollmentDocument
from tests.conftest import api_as
from tests.object_store import object_store, s3_server  # noqa: F401

from .test_partner_actions import PDF, appeal, pdf

pytestmark = pytest.mark.django_db


def download(client, document):
    return client.get(f"/review/documents/{document.pk}/")


def test_an_api_upload_is_stored_in_the_bucket_and_read_back_by_the_reviewer(
    object_store,  # noqa: F811
    admin,
    asked,
    client,
    reviewer,
):
    response = api_as(admin).post(
        f"/api/v1/enrollments/{asked.pk}/appeals/",
        {"check": "email_domain", "document_type": "domain_ownership", "document": pdf("dns-proof.pdf")},
        format="multipart",
    )
    assert response.status_code == 201, response.data
    document = EnrollmentDocument.objects.get()
    assert default_storage.__class__.__name__ == "S3Storage"
    assert object_store.keys() == [document.file.name]
    assert document.file.name.startswith("enrollment-documents/")
    assert object_store.read(document.file.name) == PDF

    client.force_login(reviewer)
    served = download(client, document)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    assert served["Content-Disposition"].startswith("attachment")
    assert 'filename="dns-proof.pdf"' in served["Content-Disposition"]
    assert served["Cache-Control"] == "private, no-store"


def test_a_page_upload_is_stored_in_the_bucket(object_store, admin, asked, client):  # noqa: F811
    client.force_login(admin)
    assert appeal(client, asked, pdf("dns-proof.pdf")).status_code == 302
    document = EnrollmentDocument.objects.get()
    assert object_store.read(document.file.name) == PDF


def test_two_documents_with_one_name_are_two_objects(object_store, admin, asked):  # noqa: F811
    partner = api_as(admin)
    for check, kind in (
        ("email_domain", "domain_ownership"),
        ("business_verification", "business_registration"),
    ):
        response = partner.post(
            f"/api/v1/enrollments/{asked.pk}/appeals/",
            {"check": check, "document_type": kind, "document": pdf("scan.pdf")},
            format="multipart",
        )
        assert response.status_code == 201, response.data
    names = sorted(EnrollmentDocument.objects.values_list("file", flat=True))
    assert len(set(names)) == 2 and sorted(object_store.keys()) == names


def test_the_bucket_serves_nobody_but_the_portal(object_store, admin, asked, client, outsider):  # noqa: F811
    api_as(admin).post(
        f"/api/v1/enrollments/{asked.pk}/appeals/",
        {"check": "email_domain", "document_type": "domain_ownership", "document": pdf()},
        format="multipart",
    )
    document = EnrollmentDocument.objects.get()
    key = document.file.name
    # No public URL: an unsigned request to the store is refused...
    unsigned = requests.get(f"{object_store.server.endpoint_url}/{object_store.name}/{key}", timeout=10)
    assert unsigned.status_code == 403
    grants = object_store.server.client().get_object_acl(Bucket=object_store.name, Key=key)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants), (
        grants
    )  # no AllUsers, no AuthenticatedUsers
    # ...and a URL the storage would hand out is signed and short-lived.
    url = document.file.url
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    # The portal's download checks who asks: the partner itself and another partner get nothing.
    for user in (admin, outsider):
        client.force_login(user)
        assert download(client, document).status_code in (403, 404)
    client.logout()
    assert download(client, document).status_code == 302
