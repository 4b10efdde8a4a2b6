"""DPoP proofs (RFC 9449): access tokens bound to a key only this client holds.

A partner whose gateway config says ``token_binding: dpop`` passes its
private key as ``dpop_key=``. Each request then carries a fresh proof: a JWT
signed with that key naming the method, the URL (without query) and, at the
API, the hash of the access token. A stolen token is useless without the key.
When the gateway asks for a server nonce (``use_dpop_nonce`` with a
``DPoP-Nonce`` header), the nonce is kept and the request retried once.
Signing needs joserfc, the ``instalments[jwt]`` extra.
"""

from __future__ import annotations

import base64
import hashlib
import time
import uuid
from typing import Any

import httpx

from ._exceptions import InstalmentsError

PROOF_TYPE = "dpop+jwt"
PROOF_ALGORITHM = "ES256"  # the one the gateway accepts for DPoP


def access_token_hash(token: str) -> str:
    """The ``ath`` claim: base64url SHA-256 of the access token."""
    digest = hashlib.sha256(token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class DPoPProver:
    """Makes DPoP proofs with one EC P-256 private key (PEM or JWK dict), remembering the nonce.

    Raises:
        InstalmentsError: joserfc is missing, or the key is not an EC P-256 private key.
    """

    def __init__(self, private_key: str | bytes | dict[str, Any]) -> None:
        try:
            from joserfc import jwk
            from joserfc.errors import JoseError
        except ImportError as exc:
            raise InstalmentsError(
                "DPoP needs the jwt extra: pip install 'instalments[jwt]'"
            ) from exc
        from ._auth import _import_private_key

        self._key = _import_private_key(private_key, jwk.import_key, JoseError)
        if self._key.key_type != "EC" or self._key.get("crv") != "P-256":
            raise InstalmentsError("dpop_key must be an EC P-256 private key (DPoP uses ES256)")
        self._public = self._key.as_dict(private=False)
        #: The last ``DPoP-Nonce`` the gateway sent (``None`` until it asks for one).
        self.nonce: str | None = None

    def proof(self, method: str, url: str | httpx.URL, access_token: str | None = None) -> str:
        """A fresh proof for one request.

        Args:
            method: the HTTP method.
            url: the request URL (its query and fragment are left out).
            access_token: at the API, the token the proof accompanies.

        Returns:
            The compact JWS for the ``DPoP`` header.
        """
        from joserfc import jwt

        target = httpx.URL(url).copy_with(query=None, fragment=None)
        claims: dict[str, Any] = {
            "jti": str(uuid.uuid4()),
            "htm": method,
            "htu": str(target),
            "iat": int(time.time()),
        }
        if access_token is not None:
            claims["ath"] = access_token_hash(access_token)
        if self.nonce is not None:
            claims["nonce"] = self.nonce
        header = {"typ": PROOF_TYPE, "alg": PROOF_ALGORITHM, "jwk": self._public}
        return jwt.encode(header, claims, self._key)

    def asks_for_nonce(self, response: httpx.Response, *, token_endpoint: bool) -> bool:
        """Keep a ``DPoP-Nonce`` the response carries; whether it refused for want of one."""
        nonce = response.headers.get("dpop-nonce")
        if not nonce:
            return False
        self.nonce = nonce
        if 'error="use_dpop_nonce"' in response.headers.get("www-authenticate", ""):
            return True
        if not token_endpoint or response.status_code != 400:
            return False
        try:
            body = response.json()
        except ValueError:
            return False
        return isinstance(body, dict) and body.get("error") == "use_dpop_nonce"
