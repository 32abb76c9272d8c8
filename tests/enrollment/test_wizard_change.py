"""*Change* on the wizard's Review step returns to the Review step (issue 8, "No dead
ends"): the link carries ``?next=`` the Review step, the changed step goes back there once
it is valid instead of walking every later step again, and ``next`` is followed only to a
URL of this site."""

import pytest
from django.test import RequestFactory

from enrollment.models import Enrollment
from partnercenter.core.navigation import local_url

from .test_views import STEP_DATA, post_step

pytestmark = pytest.mark.django_db

REVIEW = "/enroll/apply/review/"
STEPS = ["program", "mpn", "business", "contact", "support", "bank"]


@pytest.fixture
def at_review(client, admin, mpn):
    """The global admin filled in every step and reads the Review step."""
    client.force_login(admin)
    client.get("/enroll/apply/")
    for step in STEPS:
        assert post_step(client, step).status_code == 302, step
    return client


def test_every_change_link_returns_to_the_review_step(at_review):
    page = at_review.get(REVIEW).content.decode()
    for step in STEPS:
        assert f'href="/enroll/apply/{step}/?next=/enroll/apply/review/"' in page, step


def test_the_changed_step_goes_back_to_the_review_step(at_review, committed):
    step = at_review.get("/enroll/apply/contact/?next=/enroll/apply/review/")
    assert '<input type="hidden" name="next" value="/enroll/apply/review/">' in step.content.decode()
    changed = {**STEP_DATA["contact"], "contact-first_name": "Lena", "next": REVIEW}
    response = post_step(at_review, "contact", changed)
    assert response.status_code == 302 and response["Location"] == REVIEW
    review = at_review.get(REVIEW)
    assert "Lena Becker" in review.content.decode()
    with committed():
        finished = post_step(at_review, "review")
        at_review.get(finished["Location"])
    assert Enrollment.objects.get().partner.contact_first_name == "Lena"


def test_an_invalid_change_stays_on_its_step_and_keeps_the_way_back(at_review):
    response = post_step(
        at_review, "contact", {**STEP_DATA["contact"], "contact-email": "x@gmail.com", "next": REVIEW}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert '<input type="hidden" name="next" value="/enroll/apply/review/">' in response.content.decode()


def test_without_next_the_wizard_goes_on_to_the_next_step(at_review):
    response = post_step(at_review, "contact")
    assert response["Location"] == "/enroll/apply/support/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/enroll/apply/review/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "http://testserver/enroll/apply/review/",
        "enroll/apply/review/",
    ],
)
def test_next_is_followed_only_to_a_path_of_this_site(at_review, target):
    response = post_step(at_review, "contact", {**STEP_DATA["contact"], "next": target})
    assert response["Location"] == "/enroll/apply/support/"
    page = at_review.get("/enroll/apply/contact/", {"next": target}).content.decode()
    assert '<input type="hidden" name="next"' not in page


@pytest.mark.parametrize(
    "value,expected",
    [
        ("/enroll/apply/review/", "/enroll/apply/review/"),
        ("/review/?status=in_review", "/review/?status=in_review"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("///evil.example", None),
        ("javascript:alert(1)", None),
        ("", None),
        (None, None),
        (["/"], None),
    ],
)
def test_local_url(value, expected):
    request = RequestFactory().get("/")
    assert local_url(request, value) == expected
