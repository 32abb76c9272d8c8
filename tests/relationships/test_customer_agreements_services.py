"""``customer_agreement_confirm``: who may confirm a customer's acceptance of the Microsoft
Customer Agreement (each of the customer's partners, its global admin or an admin agent;
another partner's customer is not found), each validation with its field, one audit row,
and the very same confirmation twice recording once. Dates run on time-machine."""

import datetime
import uuid

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnercenter.accounts.models import Role
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, NotFound, NotPermitted
from relationships import agreement_selectors, selectors
from relationships.customer_agreements import CustomerAgreementAcceptance, CustomerAgreementTemplate
from relationships.services.customer_agreements import customer_agreement_confirm
from tests.cast import direct_customer, events_of, share_customer, user_of
from tests.factories import CustomerAgreementTemplateFactory

from .agreements_helpers import CONTACT, SHIPPED, TODAY, mca_template

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("travel")]


@pytest.fixture
def travel():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def template():
    return mca_template()


@pytest.fixture
def customer(provider, reseller, relationship):
    return share_customer(provider, reseller, company_name="Contoso GmbH")


def confirm(actor, customer, template, **overrides):
    kwargs = {
        "actor": actor,
        "customer": customer,
        "template_id": str(template.pk),
        "contact": dict(CONTACT),
        "date_agreed": datetime.date(2026, 2, 27),
    }
    return customer_agreement_confirm(**{**kwargs, **overrides})


def errors_of(call) -> dict:
    with pytest.raises(InvalidInput) as raised:
        call()
    return raised.value.errors


# --- Who may ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["provider", "reseller"])
def test_each_of_the_customers_partners_confirms(who, customer, template, provider_admin, reseller_admin):
    actor = {"provider": provider_admin, "reseller": reseller_admin}[who]
    confirmed = confirm(actor, customer, template)
    assert confirmed.created
    acceptance = CustomerAgreementAcceptance.objects.get()
    assert (acceptance.customer, acceptance.template, acceptance.recorded_by) == (customer, template, actor)
    assert (
        acceptance.recorded_by_partner
        == {
            "provider": customer.relationships.get(role="indirect_provider"),
            "reseller": customer.relationships.get(role="indirect_reseller"),
        }[who].partner
    )
    assert (acceptance.contact_first_name, acceptance.contact_last_name) == ("Lena", "Wagner")
    assert acceptance.contact_email == "lena.wagner@contoso.de"
    assert acceptance.contact_phone == "+49301234567"  # E.164
    assert acceptance.date_agreed == datetime.date(2026, 2, 27)


def test_a_direct_bill_partner_confirms_for_its_customer(direct, direct_admin, template):
    customer = direct_customer(direct)
    assert confirm(direct_admin, customer, template).created


def test_an_admin_agent_confirms(provider, customer, template):
    assert confirm(user_of(provider, Role.ADMIN_AGENT), customer, template).created


@pytest.mark.parametrize("role", [Role.SALES_AGENT, Role.HELPDESK_AGENT, Role.BILLING_ADMIN])
def test_other_roles_are_refused(role, provider, customer, template):
    with pytest.raises(NotPermitted):
        confirm(user_of(provider, role), customer, template)
    assert not CustomerAgreementAcceptance.objects.exists()


def test_another_partners_customer_is_not_found(outsider, customer, template):
    with pytest.raises(NotFound):
        confirm(outsider, customer, template)
    assert not CustomerAgreementAcceptance.objects.exists()


def test_a_partner_whose_relationship_ended_no_longer_confirms(provider_admin, customer, template):
    customer.relationships.filter(role="indirect_provider").update(state="terminated")
    with pytest.raises(NotFound):
        confirm(provider_admin, customer, template)


def test_the_customers_own_admin_is_not_a_partner(customer, template):
    from tests.factories import UserFactory

    own_admin = UserFactory(tenant=customer.tenant, roles=[Role.GLOBAL_ADMIN.value])
    with pytest.raises(NotPermitted):
        confirm(own_admin, customer, template)


# --- Validations ----------------------------------------------------------------------------------


def test_the_template_must_be_a_current_microsoft_customer_agreement(provider_admin, customer, template):
    old = CustomerAgreementTemplateFactory(is_current=False)
    for template_id in (str(old.pk), str(uuid.uuid4()), "not-a-uuid", "", None):
        errors = errors_of(lambda t=template_id: confirm(provider_admin, customer, template, template_id=t))
        assert list(errors) == ["template_id"], template_id


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", ""),
        ("first_name", "x" * 51),
        ("last_name", "   "),
        ("email", "lena.wagner"),
        ("email", ""),
        ("email", "lena@" + ".".join(c * 60 for c in "abcde") + ".de"),  # valid, and too long
        ("phone_number", "12"),
    ],
)
def test_the_contact_is_checked_field_by_field(field, value, provider_admin, customer, template):
    contact = {**CONTACT, field: value}
    errors = errors_of(lambda: confirm(provider_admin, customer, template, contact=contact))
    assert errors == {"contact": {field: errors["contact"][field]}}
    assert errors["contact"][field]


def test_the_phone_number_is_optional(provider_admin, customer, template):
    contact = {key: value for key, value in CONTACT.items() if key != "phone_number"}
    assert confirm(provider_admin, customer, template, contact=contact).acceptance.contact_phone == ""


def test_a_contact_that_is_no_object_names_each_field(provider_admin, customer, template):
    errors = errors_of(lambda: confirm(provider_admin, customer, template, contact="Lena"))
    assert set(errors["contact"]) == {"first_name", "last_name", "email"}


def test_the_date_is_not_in_the_future(provider_admin, customer, template):
    tomorrow = datetime.date(2026, 3, 3)
    errors = errors_of(lambda: confirm(provider_admin, customer, template, date_agreed=tomorrow))
    assert list(errors) == ["date_agreed"]
    assert confirm(provider_admin, customer, template, date_agreed=datetime.date(2026, 3, 2)).created  # today


def test_the_date_is_not_before_the_template_was_published(provider_admin, customer, template):
    errors = errors_of(
        lambda: confirm(provider_admin, customer, template, date_agreed=datetime.date(2020, 1, 31))
    )
    assert list(errors) == ["date_agreed"]
    assert confirm(provider_admin, customer, template, date_agreed=datetime.date(2020, 2, 1)).created


def test_a_date_and_time_counts_by_its_utc_day(provider_admin, customer, template):
    at = datetime.datetime(2026, 3, 2, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))
    errors = errors_of(lambda: confirm(provider_admin, customer, template, date_agreed=at))
    assert list(errors) == ["date_agreed"]  # 04:30 UTC on 3 March: tomorrow


def test_no_date_is_an_error_on_its_field(provider_admin, customer, template):
    errors = errors_of(lambda: confirm(provider_admin, customer, template, date_agreed="2026-02-27"))
    assert list(errors) == ["date_agreed"]


def test_a_year_ahead_the_same_dates_hold(provider_admin, customer, template):
    with time_machine.travel(TODAY + datetime.timedelta(days=366), tick=False):
        assert confirm(provider_admin, customer, template, date_agreed=datetime.date(2027, 3, 3)).created


# --- The record ---------------------------------------------------------------------------------------


def test_one_audit_row_in_the_partners_history(provider, provider_admin, customer, template):
    acceptance = confirm(provider_admin, customer, template).acceptance
    (event,) = events_of(acceptance)
    assert event.kind == "customer_agreement_confirmed"
    assert event.tenant_id == provider.tenant_id
    assert event.actor == provider_admin
    assert event.data["date_agreed"] == "2026-02-27"
    assert event.data["customer_id"] == str(customer.pk)
    assert (
        event.sentence
        == "Contoso GmbH accepted the Microsoft Customer Agreement on Feb. 27, 2026 (Lena Wagner)."
    )


def test_the_very_same_confirmation_twice_records_once(provider_admin, customer, template):
    first = confirm(provider_admin, customer, template)
    again = confirm(
        provider_admin, customer, template, contact={**CONTACT, "email": "lena.wagner@contoso.de "}
    )
    assert again.acceptance == first.acceptance and not again.created
    assert CustomerAgreementAcceptance.objects.count() == 1
    assert Event.objects.filter(kind="customer_agreement_confirmed").count() == 1


def test_a_reconfirmation_is_kept_beside_the_first(provider_admin, reseller_admin, customer, template):
    confirm(provider_admin, customer, template)
    with time_machine.travel(TODAY + datetime.timedelta(hours=1), tick=False):
        later = confirm(reseller_admin, customer, template, contact={**CONTACT, "first_name": "Max"})
    assert later.created and CustomerAgreementAcceptance.objects.count() == 2
    row = selectors.customer_for(customer.relationships.get(role="indirect_provider").partner, customer.pk)
    assert agreement_selectors.latest_customer_agreement(row) == later.acceptance


def test_refused_and_invalid_calls_write_nothing(provider, provider_admin, customer, template):
    with pytest.raises(InvalidInput):
        confirm(provider_admin, customer, template, contact={})
    with pytest.raises(NotPermitted):
        confirm(user_of(provider, Role.SALES_AGENT), customer, template)
    assert not CustomerAgreementAcceptance.objects.exists()
    assert not Event.objects.filter(kind="customer_agreement_confirmed").exists()


# --- Reads ---------------------------------------------------------------------------------------------


def test_a_customers_confirmations_in_one_query_whatever_their_number(
    provider, provider_admin, customer, template
):
    row = selectors.customer_for(provider, customer.pk)
    for index in range(5):
        with time_machine.travel(TODAY + datetime.timedelta(minutes=index), tick=False):
            confirm(provider_admin, customer, template, contact={**CONTACT, "first_name": f"Lena{index}"})
    with CaptureQueriesContext(connection) as queries:
        found = [
            (a.contact_first_name, a.template.agreement_link)
            for a in agreement_selectors.customer_agreements(row)
        ]
    assert len(queries) == 1
    assert [name for name, _ in found] == [f"Lena{i}" for i in reversed(range(5))]
    assert list(agreement_selectors.customer_agreements(row, "MicrosoftCloudAgreement")) == []


def test_mca_metadata_lists_the_current_templates(template):
    CustomerAgreementTemplateFactory(is_current=False)
    assert [vars(m) for m in agreement_selectors.mca_metadata()] == [
        {
            "template_id": str(SHIPPED.MCA_TEMPLATE_ID),
            "agreement_type": "MicrosoftCustomerAgreement",
            "agreement_link": "https://www.microsoft.com/licensing/docs/customeragreement",
            "version_rank": 1,
        }
    ]


def test_the_migration_ships_the_current_template():
    CustomerAgreementTemplate.objects.all().delete()
    SHIPPED.ship(apps, None)
    template = CustomerAgreementTemplate.objects.get()
    assert template.pk == SHIPPED.MCA_TEMPLATE_ID and template.is_current
    assert template.agreement_link == "https://www.microsoft.com/licensing/docs/customeragreement"
