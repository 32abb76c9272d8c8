"""The audit table's cases of the OAuth 2.0 apps a partner's global admin registers (see
``tests.audit.table``): the object of each row is the app."""

from partnercenter.accounts import oauth_apps
from tests.audit.table import Run, case
from tests.factories import PartnerFactory


def _partner_admin(w):
    """The world's global admin, of a partner now (apps are a partner's)."""
    PartnerFactory(tenant=w.admin.tenant, legal_name="Fabrikam Deutschland GmbH")
    return w.admin


@case(oauth_apps.app_register)
def _(w):
    admin = _partner_admin(w)
    return Run(
        kwargs={"actor": admin, "name": "Billing automation"},
        kind="app_registered",
        obj=lambda result: result[0],
        tenant=admin.tenant,
        actor=admin,
        from_state="",
        to_state="",
        data={"name": "Billing automation"},
    )


def _on_an_app(w, kind) -> Run:
    """A call on an app the partner's global admin registered: one row, of ``kind``."""
    admin = _partner_admin(w)
    app, _secret = oauth_apps.app_register(actor=admin, name="Billing automation")
    return Run(
        kwargs={"actor": admin, "app": app},
        kind=kind,
        obj=app,
        tenant=admin.tenant,
        actor=admin,
        from_state="",
        to_state="",
        data={"name": "Billing automation", "client_id": app.client_id},
    )


case(oauth_apps.app_rotate_secret)(lambda w: _on_an_app(w, "app_secret_rotated"))
case(oauth_apps.app_revoke)(lambda w: _on_an_app(w, "app_revoked"))


def _noop_revoke_twice(w):
    admin = _partner_admin(w)
    app, _secret = oauth_apps.app_register(actor=admin, name="Billing automation")
    oauth_apps.app_revoke(actor=admin, app=app)
    return oauth_apps.app_revoke, {"actor": admin, "app": app}


NO_OPS = {"remove an app twice": _noop_revoke_twice}


def _refuse_an_employee(w):
    _partner_admin(w)
    return oauth_apps.app_register, {"actor": w.employee, "name": "Mine"}


def _refuse_a_taken_name(w):
    admin = _partner_admin(w)
    oauth_apps.app_register(actor=admin, name="Taken")
    return oauth_apps.app_register, {"actor": admin, "name": "TAKEN"}


REFUSALS = {
    "an employee registers an app": _refuse_an_employee,
    "an applicant's global admin registers an app": lambda w: (
        oauth_apps.app_register,
        {"actor": w.admin, "name": "Mine"},
    ),
    "a name the partner's other app has": _refuse_a_taken_name,
}
