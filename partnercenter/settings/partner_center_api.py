"""Partner Center's own REST API (``/v1/``) and the OAuth 2.0 tokens it takes, read by
``base``. Each is documented in .env.example."""

import environ

env = environ.Env()

# django-oauth-toolkit: apps registered by a partner's global admin get access tokens with
# the client-credentials grant at POST /oauth2/token. Secrets are stored hashed.
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OAUTH_ACCESS_TOKEN_SECONDS", default=3600),
    "SCOPES": {"partnercenter": "Act for the partner that registered the app"},
    "DEFAULT_SCOPES": ["partnercenter"],
}
# For how many hours a create's MS-RequestId is remembered (the same key answers the same).
PCAPI_REQUEST_ID_HOURS = env.int("PCAPI_REQUEST_ID_HOURS", default=24)
