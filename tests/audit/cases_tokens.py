"""The audit table's cases of a user's API tokens (see ``tests.audit.table``)."""

from partnercenter.accounts import services as accounts
from tests.audit.table import Run, case


@case(accounts.api_token_issue)
def _(w):
    return Run(
        kwargs={"user": w.admin},
        kind="api_token_issued",
        obj=w.admin,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="",
        to_state="",
        data={"email": w.admin.email},
    )


@case(accounts.api_token_revoke)
def _(w):
    token, _key = accounts.api_token_issue(user=w.admin)
    return Run(
        kwargs={"actor": w.admin, "token": token},
        kind="api_token_revoked",
        obj=w.admin,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="",
        to_state="",
        data={"prefix": token.prefix, "email": w.admin.email},
    )
