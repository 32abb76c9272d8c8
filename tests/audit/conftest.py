from types import SimpleNamespace

import pytest


@pytest.fixture
def w(admin, employee, mpn, application):
    """The world of the audit tests: the global admin's partner-to-be and its employee."""
    return SimpleNamespace(admin=admin, employee=employee, mpn=mpn, application=application)
