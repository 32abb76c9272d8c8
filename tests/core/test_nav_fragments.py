"""``base.html`` renders the navigation's links once a process for each language and set of
facts (``{% cache ... using="fragments" %}``, issue 12): whatever a link depends on must be
in the fragment's key, or one user would be shown another's links."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from relationships.context_processors import nav_key
from tests.factories import IndirectProviderFactory, PartnerFactory, UserFactory, active_partner

BASE = Path(settings.BASE_DIR) / "templates" / "base.html"


def _nav_block() -> tuple[list[str], str]:
    text = BASE.read_text()
    found = re.search(r"{% cache \d+ portal-nav (.*?) using=\"fragments\" %}(.*?){% endcache %}", text, re.S)
    assert found, "base.html caches the navigation's links"
    return found.group(1).split(), found.group(2)


def test_every_fact_the_cached_links_read_is_in_the_key():
    vary_on, block = _nav_block()
    assert "LANGUAGE_CODE" in vary_on
    read = set(re.findall(r"\b(?:user[.|]\w+|partner_nav\.\w+|billing_nav\.\w+)", block))
    for expression in read:
        if expression.startswith(("partner_nav.", "billing_nav.")):
            # The context processors' facts: their ``key`` sums up every one of them.
            assert expression.split(".")[0] + ".key" in vary_on, expression
        else:
            assert expression in vary_on, f"{expression} is read inside the cached links but not in their key"


def test_each_fact_changes_the_key():
    facts = dict.fromkeys(("partner", "active", "provider", "may_enroll", "reviewer"), False)
    keys = {nav_key(facts)} | {nav_key({**facts, name: True}) for name in facts}
    assert len(keys) == len(facts) + 1


@pytest.mark.django_db
def test_the_pages_key_is_the_key_of_their_facts(client):
    """Of each context processor's facts, not of some of them."""
    for partner in (None, PartnerFactory(), IndirectProviderFactory().partner):
        client.force_login(UserFactory(tenant=partner.tenant) if partner else UserFactory())
        context = client.get("/").context
        for name in ("partner_nav", "billing_nav"):
            facts = {key: value for key, value in context[name].items() if key != "key"}
            assert facts and context[name]["key"] == nav_key(facts)


@pytest.mark.django_db
def test_a_provider_and_a_reseller_each_see_their_own_links(client):
    reseller, provider = active_partner(), IndirectProviderFactory().partner
    client.force_login(UserFactory(tenant=provider.tenant, first_name="Paula"))
    assert "/indirect-resellers/" in client.get("/").content.decode()
    client.force_login(UserFactory(tenant=reseller.tenant, first_name="Rafael"))
    html = client.get("/").content.decode()
    assert (
        "/indirect-resellers/" not in html
        and "/customers/" in html
        and "Rafael" in html
        and "Paula" not in html
    )
