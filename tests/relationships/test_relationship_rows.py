"""The provider-reseller relationships' rows written by hand (issue 12): the Indirect
resellers page's rows and both pages' GDAP cells (``relationships.views.relationship_rows``)
must be what the templates wrote (kept here as they were), and the API's rows what the
serializer's declared fields write; for every kind of row (active and terminated,
administrator access kept or removed, GDAP relationships in each status, with and without
an end, extension, known roles), for a user who may act and one who may not, in each
language and in another time zone. And the pages and the API read a constant, counted
number of queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Engine
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework import serializers

from relationships import list_selectors, selectors
from relationships.api.admin_access import PartnerRelationshipSerializer
from relationships.models import GdapStatus, GranularAdminRelationship, RelationshipState
from relationships.services.admin_access import GDAP_ROLES
from relationships.views.relationship_rows import RelationshipRows, reseller_rows_html
from tests.cast import invite_reseller, make_provider, user_of
from tests.conftest import api_as
from tests.factories import ProviderResellerRelationshipFactory, active_partner

pytestmark = pytest.mark.django_db

# The templates as they were before the rows were written by hand.
GDAP_TEMPLATE = """{% load i18n portal %}{% with gdaps=relationship.granular_admin.all %}
{% if gdaps %}
<ul class="gdap">
  {% for gdap in gdaps %}
  <li>
    <strong>{{ gdap.name }}</strong> <span class="badge status-{{ gdap.status }}">{{ gdap.get_status_display }}</span>
    <br><small class="muted">{{ gdap.role_labels|as_list }} · {% blocktranslate count days=gdap.duration_days %}{{ days }} day{% plural %}{{ days }} days{% endblocktranslate %}{% if gdap.auto_extend %} · {% translate "extends automatically" %}{% endif %}{% if gdap.ends_at %} · {% translate "ends" %} <time datetime="{{ gdap.ends_at|date:'c' }}">{{ gdap.ends_at|date:"DATE_FORMAT" }}</time>{% endif %}</small>
    {% if can_act %}
    <div class="actions">
      {% if side == "reseller" and gdap.can_approve %}
        <form method="post" action="{% url 'relationships:gdap-approve' gdap.pk %}">{% csrf_token %}<button class="button small primary" type="submit">{% translate "Approve" %}</button></form>
      {% endif %}
      {% if gdap.can_terminate %}
        <form method="post" action="{% url 'relationships:gdap-terminate' gdap.pk %}">{% csrf_token %}<button class="button small" type="submit">{% translate "Terminate" %}</button></form>
      {% endif %}
    </div>
    {% endif %}
  </li>
  {% endfor %}
</ul>
{% else %}
<span class="muted">{% translate "None" context "granular admin relationships" %}</span>
{% endif %}
{% endwith %}
"""
RESELLER_ROWS_TEMPLATE = """{% load i18n %}
    {% for relationship in page.object_list %}{% with reseller=relationship.reseller %}
      <tr>
        <td><strong>{{ reseller.legal_name }}</strong><br><small class="muted">{% translate "MPN ID" %} {{ reseller.mpn_id }}</small></td>
        <td>{{ reseller.country.name }}</td>
        <td><span class="badge status-{{ relationship.state }}">{{ relationship.get_state_display }}</span></td>
        <td>{% if relationship.admin_access %}{% translate "Yes" %}{% else %}{% translate "Removed by the reseller" %}{% if relationship.admin_access_removed_at %}<br><small class="muted">{{ relationship.admin_access_removed_at|date:"DATE_FORMAT" }}</small>{% endif %}{% endif %}</td>
        <td><time datetime="{{ relationship.established_at|date:'c' }}">{{ relationship.established_at|date:"DATE_FORMAT" }}</time></td>
        <td>{% include "_gdap.html" with side="provider" %}
          {% if can_act and relationship.is_active %}<p><a class="button small" href="{% url 'relationships:gdap-new' relationship.pk %}">{% translate "Request granular admin roles" %}</a></p>{% endif %}</td>
      </tr>
    {% endwith %}{% endfor %}
"""
ENGINE = Engine(
    loaders=[
        (
            "django.template.loaders.locmem.Loader",
            {"_gdap.html": GDAP_TEMPLATE, "rows.html": RESELLER_ROWS_TEMPLATE},
        )
    ],
    libraries={"i18n": "django.templatetags.i18n", "portal": "partnercenter.core.templatetags.portal"},
)
# Whitespace the browser does not show: runs of it, and any beside a block's tag.
BLOCK_TAGS = "tr|td|ul|li|div|form|p|br"


def shown(html: str) -> str:
    html = re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', str(html)
    )
    html = re.sub(r"\s+", " ", html)
    return re.sub(rf" ?(</?(?:{BLOCK_TAGS})\b[^>]*>) ?", r"\1", html).strip()


def as_templates_read_them(relationships):
    """The relationships as the pages read them before: GDAP prefetched, roles labelled."""
    relationships = list(relationships.prefetch_related("granular_admin"))
    for relationship in relationships:
        for gdap in relationship.granular_admin.all():
            gdap.role_labels = [str(GDAP_ROLES.get(role, role)) for role in gdap.roles]
    return relationships


def gdap(relationship, **kwargs):
    values = {"name": "Helpdesk", "roles": ["Global Reader"], "duration_days": 30, **kwargs}
    return GranularAdminRelationship.objects.create(relationship=relationship, **values)


@pytest.fixture
def both_sides():
    """A provider with resellers of every kind of row, and a reseller with two providers."""
    now = timezone.now().replace(hour=23, minute=30)  # another day in Tokyo
    provider = make_provider("Contoso & Söhne <Distribution>")
    kept = ProviderResellerRelationshipFactory(
        provider=provider, reseller=active_partner(legal_name='Fabrikam "Cloud" & Co', country="JP")
    )
    gdap(
        kept, name="<b>Ops</b>", roles=["Global Reader", "User Administrator", "Custom role"], duration_days=1
    )
    gdap(
        kept,
        status=GdapStatus.ACTIVE,
        auto_extend=True,
        ends_at=now + timedelta(days=90),
        created_at=now - timedelta(days=1),
    )
    gdap(kept, status=GdapStatus.APPROVAL_PENDING, duration_days=730, created_at=now - timedelta(days=2))
    removed = ProviderResellerRelationshipFactory(
        provider=provider, admin_access=False, admin_access_removed_at=now - timedelta(days=3)
    )
    gdap(removed, status=GdapStatus.TERMINATED, ends_at=now - timedelta(days=3))
    ProviderResellerRelationshipFactory(
        provider=provider,
        state=RelationshipState.TERMINATED,
        admin_access=False,
        established_at=now - timedelta(days=400),
    )
    other = ProviderResellerRelationshipFactory(reseller=kept.reseller, provider=make_provider("Litware"))
    gdap(other, status=GdapStatus.APPROVAL_PENDING, roles=[])
    return provider, kept.reseller


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans", "zh-hant"])
@pytest.mark.parametrize("can_act", [True, False])
def test_the_rows_are_what_the_templates_wrote(both_sides, language, can_act):
    provider, reseller = both_sides
    request = RequestFactory().get("/")
    with translation.override(language), timezone.override("Asia/Tokyo"):
        context = {"can_act": can_act, "csrf_token": "token"}
        provider_side = list_selectors.relationship_rows(provider, selectors.PROVIDER_OF)
        written = reseller_rows_html(
            request, list_selectors.with_granular_admin(provider_side), can_act=can_act
        )
        page = {"object_list": as_templates_read_them(provider_side)}
        expected = ENGINE.get_template("rows.html").render(Context({**context, "page": page}))
        assert shown(written) == shown(expected)
        assert written.count("<tr>") == 3

        rows = RelationshipRows(request, can_act=can_act)
        reseller_side = list_selectors.relationship_rows(reseller, selectors.RESELLER_OF)
        templates_read, cells = as_templates_read_them(reseller_side), ""
        for relationship, before in zip(
            list_selectors.with_granular_admin(reseller_side), templates_read, strict=True
        ):
            expected = ENGINE.get_template("_gdap.html").render(
                Context({**context, "relationship": before, "side": "reseller"})
            )
            assert shown(rows.gdap(relationship, "reseller")) == shown(expected)
            cells += expected
    assert ("/approve/" in cells) is can_act and ("/terminate/" in cells) is can_act


def test_the_api_rows_are_what_the_declared_fields_write(both_sides):
    provider, reseller = both_sides
    users = {provider: user_of(provider), reseller: user_of(reseller)}
    for partner, relationship_type in [
        (provider, selectors.PROVIDER_OF),
        (reseller, selectors.RESELLER_OF),
        (reseller, ""),
    ]:
        body = api_as(users[partner]).get("/api/v1/relationships/", {"relationship_type": relationship_type})
        results = body.json()["results"]
        assert len(results) == (3 if partner == provider else 2)
        declared_by = PartnerRelationshipSerializer(context={"partner": partner})
        for written in results:
            relationship = selectors.relationships_of(partner).get(pk=written["id"])
            declared = serializers.Serializer.to_representation(declared_by, relationship)
            assert list(written.items()) == list(declared.items())


def test_the_provider_page_reads_a_counted_number_of_queries(client, both_sides):
    provider, _ = both_sides
    admin = user_of(provider)
    invite_reseller(admin, email="first@reseller.example")
    client.force_login(admin)
    with CaptureQueriesContext(connection) as read:
        page = client.get("/indirect-resellers/")
    assert page.status_code == 200 and page.content.decode().count('<ul class="gdap">') == 2
    # The session, the user with its tenant; the partner's rows (``relationships.kept``); the
    # partner with its listing; the kept count of its resellers, a page of them, their GDAP
    # relationships; the invitations' count and page; the navigation's (base.html).
    assert len(read.captured_queries) == 10, [q["sql"][:80] for q in read.captured_queries]


def test_the_api_reads_a_counted_number_of_queries(both_sides):
    provider, _ = both_sides
    api = api_as(user_of(provider))
    with CaptureQueriesContext(connection) as read:
        assert (
            api.get("/api/v1/relationships/", {"relationship_type": selectors.PROVIDER_OF}).status_code == 200
        )
    # The partner's rows (``relationships.kept``), the partner, the kept count, the page
    # (``api_as`` signs in without reading a token).
    assert len(read.captured_queries) == 4, [q["sql"][:80] for q in read.captured_queries]


def test_the_empty_invitation_form_is_written_once_a_language_as_the_template_wrote_it(client, provider):
    from django.template.loader import render_to_string

    from relationships.forms.providers import ResellerInviteForm

    client.force_login(user_of(provider))
    for language in ("en", "ru", "en", "zh-hans"):
        with translation.override(language):
            expected = render_to_string(
                "relationships/providers/_form.html", {"form": ResellerInviteForm(auto_id="id_invite_%s")}
            )
            page = client.get("/indirect-resellers/", headers={"accept-language": language}).content.decode()
        assert expected in page and 'id="id_invite_email"' in page
    sent_back = client.post("/indirect-resellers/invite/", {"email": "not an address"})
    assert sent_back.status_code == 400 and 'class="field has-error"' in sent_back.content.decode()
    assert 'value="not an address"' in sent_back.content.decode()
