"""Step 7 of the indirect reseller journey, through the services and the API: the global
admin adds employees with roles (emailed a temporary password they must change at first
sign-in), lists users, changes roles and joins the admin agent group; each change is audited
(the pages: test_users_pages.py; the temporary password: test_passwords.py)."""

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnercenter.accounts import services
from partnercenter.accounts.models import User
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, NotPermitted
from partnercenter.notifications.models import Notification
from tests.accounts.conftest import EMPLOYEE, TEMPORARY
from tests.conftest import api_as
from tests.factories import PASSWORD, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Adding employees ---------------------------------------------------------------------------------


class TestUserAdd:
    def test_global_admin_adds_an_employee(self, admin, committed):
        with committed():
            response = api_as(admin).post("/api/v1/partner/users/", EMPLOYEE, format="json")
        assert response.status_code == 201, response.data
        user = User.objects.get(email="lena.schmidt@fabrikamde.onmicrosoft.com")
        assert user.tenant == admin.tenant
        assert user.roles == ["sales_agent", "helpdesk_agent"]
        assert user.must_change_password
        assert response.data["email"] == "lena.schmidt@fabrikamde.onmicrosoft.com"
        assert response.data["must_change_password"] is True
        assert "password" not in response.data

    def test_one_email_with_a_temporary_password_and_the_sign_in_link(self, admin, committed):
        with committed():
            services.user_add(actor=admin, **EMPLOYEE)
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["lena.schmidt@fabrikamde.onmicrosoft.com"]
        assert message.subject == f"Your Partner Center account at {admin.tenant.name}"
        assert "http://testserver/sign-in/" in message.body
        password = TEMPORARY.search(message.body).group(1)
        assert len(password) >= 16
        assert password in message.alternatives[0][0]
        assert authenticate(email="lena.schmidt@fabrikamde.onmicrosoft.com", password=password) is not None

    def test_no_email_before_the_commit(self, admin, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.user_add(actor=admin, **EMPLOYEE)
        assert mail.outbox == [] and len(callbacks) == 1

    def test_temporary_passwords_differ(self, admin, committed):
        with committed():
            services.user_add(actor=admin, **EMPLOYEE)
            services.user_add(actor=admin, **{**EMPLOYEE, "email": "max@fabrikamde.onmicrosoft.com"})
        first, second = (TEMPORARY.search(m.body).group(1) for m in mail.outbox)
        assert first != second

    def test_the_password_is_encrypted_at_rest(self, admin, added):
        _user, password = added
        with connection.cursor() as cursor:
            cursor.execute("SELECT context FROM notifications_notification WHERE template = 'user_welcome'")
            (raw,) = cursor.fetchone()
        assert password not in raw
        assert Notification.objects.get(template="user_welcome").context["temporary_password"] == password

    @pytest.mark.parametrize(("language", "expected"), [("ru", "ru"), ("zh-hant", "zh-hant")])
    def test_email_in_the_partners_language(self, admin, language, expected):
        PartnerFactory(tenant=admin.tenant, language=language)
        services.user_add(actor=admin, **EMPLOYEE)
        assert Notification.objects.get(template="user_welcome").language == expected

    def test_email_in_english_before_the_partner_enrolled(self, admin):
        services.user_add(actor=admin, **EMPLOYEE)
        assert Notification.objects.get(template="user_welcome").language == "en"

    def test_employee_gets_403(self, employee):
        response = api_as(employee).post("/api/v1/partner/users/", EMPLOYEE, format="json")
        assert response.status_code == 403
        assert not User.objects.filter(email="lena.schmidt@fabrikamde.onmicrosoft.com").exists()
        with pytest.raises(NotPermitted):
            services.user_add(actor=employee, **EMPLOYEE)

    def test_email_taken_whatever_its_case_is_400(self, admin, employee):
        response = api_as(admin).post(
            "/api/v1/partner/users/", {**EMPLOYEE, "email": employee.email.upper()}, format="json"
        )
        assert response.status_code == 400
        assert set(response.data) == {"email"}
        assert mail.outbox == []

    def test_a_taken_email_is_reported_with_the_other_errors(self, admin, employee):
        with pytest.raises(InvalidInput) as exc:
            services.user_add(actor=admin, **{**EMPLOYEE, "email": employee.email, "roles": []})
        assert set(exc.value.errors) == {"email", "roles"}

    @pytest.mark.parametrize(
        "field,value",
        [
            ("roles", []),
            ("roles", ["owner"]),
            ("email", "lena@"),
            ("first_name", " "),
            ("last_name", "x" * 51),
        ],
    )
    def test_bad_input_is_400_on_the_field(self, admin, field, value):
        response = api_as(admin).post("/api/v1/partner/users/", {**EMPLOYEE, field: value}, format="json")
        assert response.status_code == 400
        assert set(response.data) == {field}
        assert User.objects.count() == 1
        assert not Notification.objects.exists()

    def test_roles_are_kept_in_a_stable_order_without_duplicates(self, admin):
        user = services.user_add(
            actor=admin, **{**EMPLOYEE, "roles": ["helpdesk_agent", "sales_agent", "helpdesk_agent"]}
        )
        assert user.roles == ["sales_agent", "helpdesk_agent"]


# --- Listing users and changing roles --------------------------------------------------------------------------


class TestUsersApi:
    def test_global_admin_lists_the_tenants_users(self, admin, employee, outsider):
        response = api_as(admin).get("/api/v1/partner/users/")
        assert response.status_code == 200
        assert response.data["count"] == 2
        assert {u["email"] for u in response.data["results"]} == {admin.email, employee.email}
        assert set(response.data["results"][0]) == {
            "id",
            "email",
            "first_name",
            "last_name",
            "roles",
            "is_active",
            "must_change_password",
            "date_joined",
        }

    def test_employee_may_not_list(self, employee):
        assert api_as(employee).get("/api/v1/partner/users/").status_code == 403

    def test_list_has_a_constant_number_of_queries(self, admin, django_assert_num_queries):
        client = api_as(admin)
        with CaptureQueriesContext(connection) as one:
            client.get("/api/v1/partner/users/")
        UserFactory.create_batch(8, tenant=admin.tenant, roles=["sales_agent"])
        with django_assert_num_queries(len(one)):
            response = client.get("/api/v1/partner/users/")
        assert response.data["count"] == 9

    def test_global_admin_changes_roles(self, admin, employee):
        response = api_as(admin).patch(
            f"/api/v1/partner/users/{employee.pk}/",
            {"roles": ["billing_admin", "admin_agent"]},
            format="json",
        )
        assert response.status_code == 200, response.data
        employee.refresh_from_db()
        assert employee.roles == ["admin_agent", "billing_admin"]
        assert response.data["roles"] == ["admin_agent", "billing_admin"]

    def test_another_tenants_user_is_404(self, outsider, employee):
        response = api_as(outsider).patch(
            f"/api/v1/partner/users/{employee.pk}/", {"roles": ["global_admin"]}, format="json"
        )
        assert response.status_code == 404
        employee.refresh_from_db()
        assert employee.roles == ["sales_agent"]

    def test_employee_may_not_change_roles(self, employee):
        response = api_as(employee).patch(
            f"/api/v1/partner/users/{employee.pk}/", {"roles": ["global_admin"]}, format="json"
        )
        assert response.status_code == 403
        employee.refresh_from_db()
        assert employee.roles == ["sales_agent"]

    @pytest.mark.parametrize("roles", [[], ["owner"]])
    def test_bad_roles_are_400(self, admin, employee, roles):
        response = api_as(admin).patch(
            f"/api/v1/partner/users/{employee.pk}/", {"roles": roles}, format="json"
        )
        assert response.status_code == 400
        assert set(response.data) == {"roles"}

    def test_the_last_global_admin_keeps_the_role(self, admin):
        response = api_as(admin).patch(
            f"/api/v1/partner/users/{admin.pk}/", {"roles": ["admin_agent"]}, format="json"
        )
        assert response.status_code == 400
        assert "only global admin" in response.data["roles"][0]
        admin.refresh_from_db()
        assert admin.roles == ["global_admin"]

    def test_with_another_global_admin_the_role_can_go(self, admin, tenant):
        second = UserFactory(tenant=tenant, roles=["global_admin"])
        response = api_as(admin).patch(
            f"/api/v1/partner/users/{admin.pk}/", {"roles": ["admin_agent"]}, format="json"
        )
        assert response.status_code == 200
        # Now ``second`` is the last one.
        with pytest.raises(InvalidInput):
            services.user_roles_update(actor=second, user=second, roles=["sales_agent"])

    def test_an_inactive_global_admin_does_not_count(self, admin, tenant):
        UserFactory(tenant=tenant, roles=["global_admin"], is_active=False)
        with pytest.raises(InvalidInput):
            services.user_roles_update(actor=admin, user=admin, roles=["admin_agent"])

    def test_service_refuses_another_tenants_user(self, admin, outsider):
        with pytest.raises(NotPermitted):
            services.user_roles_update(actor=admin, user=outsider, roles=["sales_agent"])


class TestAdminAgentGroup:
    def test_global_admin_joins_once(self, admin):
        services.admin_agent_join(actor=admin)
        services.admin_agent_join(actor=admin)
        admin.refresh_from_db()
        assert admin.roles == ["global_admin", "admin_agent"]

    def test_employee_may_not(self, employee):
        with pytest.raises(NotPermitted):
            services.admin_agent_join(actor=employee)


class TestAudit:
    def test_every_account_change_is_recorded_with_who_and_what(self, admin, employee, committed):
        from partnercenter.accounts import services as account_services

        with committed():
            added = account_services.user_add(
                actor=admin,
                email="new@fabrikamde.onmicrosoft.com",
                first_name="Nina",
                last_name="Roth",
                roles=["sales_agent"],
            )
        account_services.user_roles_update(actor=admin, user=employee, roles=["helpdesk_agent"])
        account_services.admin_agent_join(actor=admin)
        account_services.password_change(user=admin, old_password=PASSWORD, new_password="Another-Secret-77")
        rows = [
            (
                e.kind,
                e.actor.email,
                e.object_type,
                e.object_id,
                e.data["email"],
                e.data["before"],
                e.data["after"],
            )
            for e in Event.objects.order_by("id")
        ]
        assert rows == [
            ("user_added", admin.email, "accounts.user", str(added.pk), added.email, [], ["sales_agent"]),
            (
                "roles_changed",
                admin.email,
                "accounts.user",
                str(employee.pk),
                employee.email,
                ["sales_agent"],
                ["helpdesk_agent"],
            ),
            (
                "roles_changed",
                admin.email,
                "accounts.user",
                str(admin.pk),
                admin.email,
                ["global_admin"],
                ["global_admin", "admin_agent"],
            ),
            ("password_changed", admin.email, "accounts.user", str(admin.pk), admin.email, [], []),
        ]
        assert all(e.tenant_id == admin.tenant_id for e in Event.objects.all())

    def test_a_refused_change_records_nothing(self, admin):
        from partnercenter.accounts import services as account_services
        from partnercenter.core.errors import InvalidInput

        with pytest.raises(InvalidInput):
            account_services.user_roles_update(
                actor=admin, user=admin, roles=["sales_agent"]
            )  # the last global admin
        assert not Event.objects.exists()
