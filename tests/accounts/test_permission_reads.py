"""A user's permissions, its own and its groups', read in one query compiled once per
process (``accounts.backends.UserBackend``): the same set Django's ``ModelBackend`` reads."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group

from enrollment.permissions import REVIEW_PERMISSION, is_reviewer, program_staff_permissions
from partnercenter.accounts.backends import UserBackend
from partnercenter.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # as a new request loads it: nothing cached


def test_its_own_and_its_groups_permissions_in_one_query(django_assert_num_queries):
    staff = UserFactory(tenant=None, is_staff=True)
    own, *theirs = program_staff_permissions().order_by("codename")
    staff.user_permissions.add(own)
    group = Group.objects.create(name="Program staff")
    group.permissions.add(*theirs)
    staff.groups.add(group)
    user = fresh(staff)
    with django_assert_num_queries(1):
        found = UserBackend().get_all_permissions(user)
        assert is_reviewer(user) and user.has_perm("enrollment.view_enrollment")
    assert found == ModelBackend().get_all_permissions(fresh(staff))
    assert len(found) == len(theirs) + 1 and REVIEW_PERMISSION in found


def test_a_permission_taken_away_is_gone_on_the_next_request():
    staff = UserFactory(tenant=None, is_staff=True)
    staff.user_permissions.add(*program_staff_permissions())
    assert is_reviewer(fresh(staff))
    staff.user_permissions.clear()
    user = fresh(staff)
    assert not is_reviewer(user) and UserBackend().get_all_permissions(user) == set()


def test_an_inactive_user_has_none_and_a_superuser_has_all():
    staff = UserFactory(tenant=None, is_staff=True, is_active=False)
    staff.user_permissions.add(*program_staff_permissions())
    assert UserBackend().get_all_permissions(fresh(staff)) == set()
    root = UserFactory(tenant=None, is_staff=True, is_superuser=True)
    assert UserBackend().get_all_permissions(fresh(root)) == ModelBackend().get_all_permissions(fresh(root))
