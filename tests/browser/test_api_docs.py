"""The API docs (Swagger UI) work under the Content-Security-Policy, in a real Chromium:
served from the portal's own static files (drf-spectacular-sidecar), their script from a
file, and nothing refused by the policy. Not a journey page: no screenshot, no axe-core
(Swagger UI's own markup is not the portal's)."""

import pytest
from playwright.sync_api import Browser, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_the_api_docs_render_their_operations_under_the_policy(browser: Browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    refused = []
    page.on(
        "console", lambda message: "Content Security Policy" in message.text and refused.append(message.text)
    )
    outside = []
    page.on(
        "request",
        lambda request: not request.url.startswith(live_server.url) and outside.append(request.url),
    )
    try:
        response = page.goto(f"{live_server.url}/api/v1/docs/")
        assert response is not None and response.status == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("CSP Partner Portal API")
        expect(page.locator(".opblock").first).to_be_visible()
        expect(page.locator(".opblock-tag", has_text="enrollments").first).to_be_visible()
    finally:
        context.close()
    assert refused == []
    assert outside == []
