"""OAuth 2.0 client credentials as an ``httpx.Auth``: the token is somebody else's problem.

The token is fetched through the same ``httpx`` client (so a custom transport
sees it too), cached, and refreshed :data:`~._constants.TOKEN_REFRESH_MARGIN`
seconds before it expires. However many threads (``Client``) or tasks
(``AsyncClient``) need a token at once, one fetches it while the others wait on
a lock and then reuse it. A ``401`` whose ``WWW-Authenticate`` (or problem code)
says ``invalid_token`` — the gateway rotated keys, or revoked the token — drops
the token and retries the request once with a new one.

With ``dpop_key`` the token is DPoP-bound (:mod:`._dpop`): the token request
and every API call carry a fresh proof, the token is sent as
``Authorization: DPoP …``, and a ``use_dpop_nonce`` refusal is retried once
with the gateway's nonce.
"""

from __future__ import annotations

import asyncio
import base64
import threading
import time
import uuid
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any
from urllib.parse import quote_plus

import httpx

from . import _constants as constants
from ._dpop import DPoPProver
from ._exceptions import APIResponseValidationError, InstalmentsError


class ClientCredentials(httpx.Auth):
    """Bearer tokens from ``POST /oauth/token`` (grant ``client_credentials``).

    Args:
        token_url: the gateway's token endpoint.
        client_id: the partner's client id.
        client_secret: authenticates with ``client_secret_basic``.
        private_key: instead of a secret, a private key (PEM or JWK dict) that
            signs a ``private_key_jwt`` assertion (needs ``instalments[jwt]``).
        scope: space-separated scopes to ask for (default: all granted).
        dpop_key: a private key (PEM or JWK dict) binding tokens to this
            client with DPoP (needs ``instalments[jwt]``).
        clock: monotonic seconds; tests pass their own.
    """

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: str | None = None,
        private_key: str | bytes | dict[str, Any] | None = None,
        scope: str | None = None,
        dpop_key: str | bytes | dict[str, Any] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if (client_secret is None) == (private_key is None):
            raise InstalmentsError("pass exactly one of client_secret and private_key")
        self.token_url = token_url
        self.client_id = client_id
        self._secret = client_secret
        self._signer = _AssertionSigner(private_key) if private_key is not None else None
        self.scope = scope
        self._dpop = DPoPProver(dpop_key) if dpop_key is not None else None
        self.clock = clock
        self._token: str | None = None
        self._refresh_at = 0.0
        self._thread_lock = threading.Lock()
        self._task_lock: asyncio.Lock | None = None

    # -- the flows ------------------------------------------------------------

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        """Add the bearer token, fetching it (once, under a lock) when needed."""
        used = self._fresh_token()
        if used is None:
            with self._thread_lock:
                used = self._fresh_token()
                if used is None:
                    used = yield from self._sync_fetch(request)
                    if used is None:
                        return  # the token endpoint's error is the call's answer
        response = yield self._authorised(request, used)
        if self._asks_for_nonce(response):
            response.read()
            response = yield self._authorised(request, used)
        if response.status_code != 401:
            return
        response.read()
        if not _says_invalid_token(response):
            return
        with self._thread_lock:
            token = self._replacement_for(used)
            if token is None:
                token = yield from self._sync_fetch(request)
                if token is None:
                    return
        yield self._authorised(request, token)

    def _sync_fetch(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, str | None]:
        answer = yield self._token_request(request)
        answer.read()
        if self._asks_for_nonce(answer, token_endpoint=True):
            answer = yield self._token_request(request)
            answer.read()
        return self._store(answer)

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """The same flow for ``AsyncClient``, single-flight across tasks."""
        used = self._fresh_token()
        if used is None:
            async with self._lock_for_tasks():
                used = self._fresh_token()
                if used is None:
                    answer = yield self._token_request(request)
                    await answer.aread()
                    if self._asks_for_nonce(answer, token_endpoint=True):
                        answer = yield self._token_request(request)
                        await answer.aread()
                    used = self._store(answer)
                    if used is None:
                        return
        response = yield self._authorised(request, used)
        if self._asks_for_nonce(response):
            await response.aread()
            response = yield self._authorised(request, used)
        if response.status_code != 401:
            return
        await response.aread()
        if not _says_invalid_token(response):
            return
        async with self._lock_for_tasks():
            token = self._replacement_for(used)
            if token is None:
                answer = yield self._token_request(request)
                await answer.aread()
                token = self._store(answer)
                if token is None:
                    return
        yield self._authorised(request, token)

    # -- DPoP -----------------------------------------------------------------

    def _authorised(self, request: httpx.Request, token: str) -> httpx.Request:
        """The request with its token (and, with DPoP, a fresh proof for it)."""
        if self._dpop is None:
            request.headers["Authorization"] = f"Bearer {token}"
            return request
        request.headers["Authorization"] = f"DPoP {token}"
        request.headers["DPoP"] = self._dpop.proof(request.method, request.url, token)
        return request

    def _asks_for_nonce(self, response: httpx.Response, *, token_endpoint: bool = False) -> bool:
        if self._dpop is None:
            return False
        return self._dpop.asks_for_nonce(response, token_endpoint=token_endpoint)

    # -- the cache ------------------------------------------------------------

    def _lock_for_tasks(self) -> asyncio.Lock:
        if self._task_lock is None:
            self._task_lock = asyncio.Lock()
        return self._task_lock

    def _fresh_token(self) -> str | None:
        if self._token is not None and self.clock() < self._refresh_at:
            return self._token
        return None

    def _replacement_for(self, rejected: str) -> str | None:
        """A token other than ``rejected`` another caller already fetched, else ``None``."""
        token = self._fresh_token()
        if token == rejected:
            self._token = None
            return None
        return token

    def _store(self, response: httpx.Response) -> str | None:
        if not response.is_success:
            return None
        try:
            data = response.json()
            token = data["access_token"]
            lifetime = float(data.get("expires_in", 300))
        except (ValueError, KeyError, TypeError) as exc:
            raise APIResponseValidationError(
                response=response, message="the token endpoint's answer has no access_token"
            ) from exc
        if not isinstance(token, str) or not token:
            raise APIResponseValidationError(
                response=response, message="the token endpoint's access_token is not a string"
            )
        # A token shorter-lived than twice the margin is refreshed at half its life,
        # so it is still reused rather than fetched before every call.
        margin = min(constants.TOKEN_REFRESH_MARGIN, lifetime / 2)
        self._token = token
        self._refresh_at = self.clock() + lifetime - margin
        return token

    def _token_request(self, original: httpx.Request) -> httpx.Request:
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        headers = {"Accept": "application/json"}
        if self._dpop is not None:
            headers["DPoP"] = self._dpop.proof("POST", self.token_url)
        if self._signer is not None:
            form["client_id"] = self.client_id
            form["client_assertion_type"] = constants.CLIENT_ASSERTION_TYPE
            form["client_assertion"] = self._signer.assertion(self.client_id, self.token_url)
        else:
            assert self._secret is not None
            # RFC 6749 §2.3.1: id and secret are form-urlencoded, then Basic-encoded.
            pair = f"{quote_plus(self.client_id)}:{quote_plus(self._secret)}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        return httpx.Request(
            "POST",
            self.token_url,
            data=form,
            headers=headers,
            extensions={"timeout": original.extensions.get("timeout", {})},
        )


def _says_invalid_token(response: httpx.Response) -> bool:
    if 'error="invalid_token"' in response.headers.get("www-authenticate", ""):
        return True
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and "invalid_token" in (body.get("code"), body.get("error"))


class _AssertionSigner:
    """Signs ``private_key_jwt`` client assertions (RFC 7523) with joserfc."""

    def __init__(self, private_key: str | bytes | dict[str, Any]) -> None:
        try:
            from joserfc import jwk
            from joserfc.errors import JoseError
        except ImportError as exc:
            raise InstalmentsError(
                "private_key_jwt needs the jwt extra: pip install 'instalments[jwt]'"
            ) from exc
        self._key = _import_private_key(private_key, jwk.import_key, JoseError)
        self._alg = {"EC": "ES256", "OKP": "EdDSA"}.get(self._key.key_type, "RS256")

    def assertion(self, client_id: str, audience: str) -> str:
        from joserfc import jwt

        now = int(time.time())
        claims = {
            "iss": client_id,
            "sub": client_id,
            "aud": audience,
            "jti": str(uuid.uuid4()),
            "iat": now,
            "exp": now + 60,
        }
        header = {"alg": self._alg}
        if self._key.kid:
            header["kid"] = self._key.kid
        return jwt.encode(header, claims, self._key)


def _import_private_key(
    data: str | bytes | dict[str, Any], import_key: Any, error: type[Exception]
) -> Any:
    """A JWK dict names its type; a PEM is tried as each type (joserfc will not guess)."""
    if isinstance(data, dict):
        return import_key(data)
    for key_type in ("EC", "RSA", "OKP"):
        try:
            return import_key(data, key_type)
        except (error, ValueError):
            continue
    raise InstalmentsError("private_key is not an EC, RSA or OKP private key")
