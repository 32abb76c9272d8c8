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
    # RFC 9700 (OAuth 2.0 Security BCP), as django-oauth-toolkit 4.0 will default to; the
    # portal issues client-credentials tokens only, so no flow it serves loses anything.
    # Tokens are stored as their SHA-256 only; a token in a URL's query string is refused.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
# For how many hours a create's MS-RequestId is remembered (the same key answers the same).
PCAPI_REQUEST_ID_HOURS = env.int("PCAPI_REQUEST_ID_HOURS", default=24)
