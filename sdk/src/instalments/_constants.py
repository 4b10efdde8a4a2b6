"""Defaults the client falls back to, in one place so the docs can cite them.

The reasoning behind each figure is in ``docs/sdk/retries.md``.
"""

from __future__ import annotations

from typing import Final

ENV_CLIENT_ID: Final = "INSTALMENTS_CLIENT_ID"
ENV_CLIENT_SECRET: Final = "INSTALMENTS_CLIENT_SECRET"  # noqa: S105 - a variable name
ENV_BASE_URL: Final = "INSTALMENTS_BASE_URL"

#: The gateway ``make demo`` serves; partners set their own with ``base_url=``.
DEFAULT_BASE_URL: Final = "http://127.0.0.1:8000"

#: Seconds. Connecting is fast or broken: 5 s covers a cold TLS handshake across
#: the country. Reading allows the slowest prequalification (scoring + pricing +
#: signing, well under 1 s) ten times over while staying inside a checkout page's
#: patience, so a stuck request is retried (with its idempotency key) rather than
#: left to hang.
DEFAULT_CONNECT_TIMEOUT: Final = 5.0
DEFAULT_READ_TIMEOUT: Final = 10.0
DEFAULT_WRITE_TIMEOUT: Final = 10.0
DEFAULT_POOL_TIMEOUT: Final = 10.0

DEFAULT_MAX_RETRIES: Final = 2

#: Exponential backoff: 0.5 s, 1 s, 2 s, … capped at 8 s, then jittered.
INITIAL_RETRY_DELAY: Final = 0.5
MAX_RETRY_DELAY: Final = 8.0
#: A server's ``Retry-After`` is honoured up to this many seconds; longer (or
#: unparseable) values fall back to the backoff, so one bad header cannot park a
#: checkout for an hour.
MAX_RETRY_AFTER: Final = 60.0

#: Refresh the access token this many seconds before it expires, so a token never
#: expires in flight between the check and the gateway reading it.
TOKEN_REFRESH_MARGIN: Final = 60.0

TOKEN_PATH: Final = "/oauth/token"  # noqa: S105 - a path
JWKS_PATH: Final = "/.well-known/jwks.json"
CLIENT_ASSERTION_TYPE: Final = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
#: The ``typ`` of the one token that signs a whole prequalification decision.
DECISION_TOKEN_TYPE: Final = "decision+jwt"  # noqa: S105 - a JOSE typ
#: The ``typ`` of the per-offer tokens of offers issued before decision tokens (deprecated).
OFFER_TOKEN_TYPE: Final = "offer+jwt"  # noqa: S105 - a JOSE typ
OFFER_TOKEN_ALGORITHMS: Final = ("ES256",)
#: The gateway's advice on retrying a failed request (``true`` / ``false``),
#: honoured before the SDK's own rules, as Stripe's and Stainless' SDKs do.
SHOULD_RETRY_HEADER: Final = "x-should-retry"
