"""Step 7 of the indirect reseller journey on the pages: the admin agent group and the users
page (list, add an employee, edit roles), for the global admin, an employee and an outsider."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnercenter.accounts.models import Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class TestAdminAgentPage:
    def test_page_shows_the_group_and_joins(self, client, admin):
        client.force_login(admin)
        html = client.get("/partner/users/").content.decode()
        assert "You are not in the admin agent group" in html
        response = client.post("/partner/users/admin-agent/")
        assert response.status_code == 302
        admin.refresh_from_db()
        assert Role.ADMIN_AGENT in admin.roles
        html = client.get("/partner/users/").content.decode()
        assert "You are in the admin agent group" in html
        assert "Add me to the admin agent group" not in html

    def test_employee_gets_403_on_the_page_action(self, client, employee):
        client.force_login(employee)
        assert client.post("/partner/users/admin-agent/").status_code == 403
        employee.refresh_from_db()
        assert employee.roles == ["sales_agent"]


# --- The users page ------------------------------------------------------------------------------------------------


class TestUsersPage:
    def test_lists_users_with_roles(self, client, admin, employee):
        client.force_login(admin)
        response = client.get("/partner/users/")
        assert response.status_code == 200
        html = response.content.decode()
        assert employee.email in html and "Sales agent" in html
        assert "Add an employee" in html

    def test_403_for_others(self, client, employee):
        client.force_login(employee)
        assert client.get("/partner/users/").status_code == 403

    def test_outsider_sees_only_its_own_users(self, client, outsider, employee):
        client.force_login(outsider)
        response = client.get("/partner/users/")
        assert response.status_code == 200
        assert employee.email.encode() not in response.content

    def test_add_an_employee_on_the_page(self, client, admin, committed):
        client.force_login(admin)
        with committed():
            response = client.post(
                "/partner/users/",
                {
                    "first_name": "Lena",
                    "last_name": "Schmidt",
                    "email": "lena@fabrikamde.onmicrosoft.com",
                    "roles": ["sales_agent"],
                },
            )
        assert response.status_code == 302
        assert User.objects.get(email="lena@fabrikamde.onmicrosoft.com").must_change_password
        assert len(mail.outbox) == 1

    def test_page_shows_the_services_errors(self, client, admin, employee):
        client.force_login(admin)
        response = client.post(
            "/partner/users/",
            {"first_name": "Lena", "last_name": "Schmidt", "email": employee.email, "roles": ["sales_agent"]},
        )
        assert response.status_code == 200
        assert b"A user with this email already exists" in response.content

    def test_edit_roles_on_the_page(self, client, admin, employee):
        client.force_login(admin)
        response = client.post(f"/partner/users/{employee.pk}/roles/", {"roles": ["billing_admin"]})
        assert response.status_code == 302
        employee.refresh_from_db()
        assert employee.roles == ["billing_admin"]

    def test_the_last_global_admin_is_told_on_the_page(self, client, admin):
        client.force_login(admin)
        response = client.post(f"/partner/users/{admin.pk}/roles/", {"roles": ["sales_agent"]}, follow=True)
        assert b"is the only global admin" in response.content
        admin.refresh_from_db()
        assert admin.roles == ["global_admin"]

    def test_roles_of_another_tenants_user_are_404(self, client, outsider, employee):
        client.force_login(outsider)
        assert (
            client.post(f"/partner/users/{employee.pk}/roles/", {"roles": ["sales_agent"]}).status_code == 404
        )

    def test_constant_number_of_queries(self, client, admin, employee, outsider, django_assert_num_queries):
        client.force_login(admin)

        def assert_rows(response, users):
            # The page answers, with one row per user of the tenant, and no one else's.
            assert response.status_code == 200
            html = response.content.decode()
            assert html.count('<details class="roles-edit">') == len(users)
            for user in users:
                assert f"<td>{user.email}" in html
            assert outsider.email not in html

        with CaptureQueriesContext(connection) as one:
            response = client.get("/partner/users/")
        assert_rows(response, [admin, employee])
        more = UserFactory.create_batch(8, tenant=admin.tenant, roles=["sales_agent"])
        with django_assert_num_queries(len(one)):
            response = client.get("/partner/users/")
        assert_rows(response, [admin, employee, *more])
