"""DPoP in the SDK: proofs on the token request and every call, nonces retried once."""

from __future__ import annotations

import base64
import builtins
import hashlib
from typing import Any

import httpx
import instalments
import pytest
import respx
from instalments import AsyncClient, Client
from instalments._dpop import DPoPProver, access_token_hash
from joserfc import jwk, jwt

from .aio import run_async
from .conftest import BASE_URL, token_response

PRODUCTS = {"data": []}
NONCE_HEADERS = {"DPoP-Nonce": "n-2", "WWW-Authenticate": 'DPoP error="use_dpop_nonce"'}


@pytest.fixture
def key() -> jwk.ECKey:
    return jwk.ECKey.generate_key("P-256", private=True)


def _decoded(proof: str) -> Any:
    return jwt.decode(
        proof, jwk.import_key(_header_jwk(proof)), algorithms=["ES256", "PS256", "EdDSA"]
    )


def _header_jwk(proof: str) -> dict[str, Any]:
    import json

    segment = proof.split(".")[0]
    header: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    )
    jwk_dict: dict[str, Any] = header["jwk"]
    return jwk_dict


def _client(key: jwk.ECKey) -> Client:
    return Client(
        client_id="c", client_secret="s", base_url=BASE_URL, dpop_key=key.as_dict(private=True)
    )


def test_the_token_request_and_each_call_carry_a_proof(
    router: respx.MockRouter, key: jwk.ECKey
) -> None:
    router["token"].mock(
        return_value=httpx.Response(
            200, json={"access_token": "tok-d", "token_type": "DPoP", "expires_in": 600}
        )
    )
    products = router.get("/v1/products").mock(return_value=httpx.Response(200, json=PRODUCTS))
    _client(key).products.list(amount="3999.00")
    token_proof = _decoded(router["token"].calls.last.request.headers["DPoP"])
    assert token_proof.header["typ"] == "dpop+jwt"
    assert token_proof.header["jwk"] == key.as_dict(private=False)
    assert token_proof.claims["htm"] == "POST"
    assert token_proof.claims["htu"] == f"{BASE_URL}/oauth/token"
    assert "ath" not in token_proof.claims
    call = products.calls.last.request
    assert call.headers["Authorization"] == "DPoP tok-d"
    proof = _decoded(call.headers["DPoP"])
    assert proof.claims["htm"] == "GET"
    assert proof.claims["htu"] == f"{BASE_URL}/v1/products"  # no query
    assert proof.claims["ath"] == access_token_hash("tok-d")
    assert proof.claims["jti"] != token_proof.claims["jti"]


def test_nonces_asked_for_are_sent_and_the_request_retried_once(
    router: respx.MockRouter, key: jwk.ECKey
) -> None:
    router["token"].mock(
        side_effect=[
            httpx.Response(400, json={"error": "use_dpop_nonce"}, headers={"DPoP-Nonce": "n-1"}),
            token_response("tok-d"),
        ]
    )
    products = router.get("/v1/products").mock(
        side_effect=[httpx.Response(401, headers=NONCE_HEADERS), httpx.Response(200, json=PRODUCTS)]
    )
    _client(key).products.list()
    token_proofs = [_decoded(c.request.headers["DPoP"]) for c in router["token"].calls]
    assert "nonce" not in token_proofs[0].claims
    assert token_proofs[1].claims["nonce"] == "n-1"
    call_proofs = [_decoded(c.request.headers["DPoP"]) for c in products.calls]
    assert [p.claims.get("nonce") for p in call_proofs] == ["n-1", "n-2"]


def test_async_nonces_asked_for_are_sent_and_the_request_retried_once(
    router: respx.MockRouter, key: jwk.ECKey
) -> None:
    router["token"].mock(
        side_effect=[
            httpx.Response(400, json={"error": "use_dpop_nonce"}, headers={"DPoP-Nonce": "n-1"}),
            token_response("tok-d"),
        ]
    )
    products = router.get("/v1/products").mock(
        side_effect=[httpx.Response(401, headers=NONCE_HEADERS), httpx.Response(200, json=PRODUCTS)]
    )
    client = AsyncClient(
        client_id="c", client_secret="s", base_url=BASE_URL, dpop_key=key.as_pem(private=True)
    )
    run_async(client.products.list())
    assert router["token"].call_count == 2
    assert products.call_count == 2
    assert _decoded(products.calls.last.request.headers["DPoP"]).claims["nonce"] == "n-2"


def _response(status: int, headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
    return httpx.Response(
        status, headers=headers, request=httpx.Request("POST", BASE_URL), **kwargs
    )


def test_only_a_use_dpop_nonce_refusal_with_a_nonce_is_retried(key: jwk.ECKey) -> None:
    prover = DPoPProver(key.as_dict(private=True))
    assert not prover.asks_for_nonce(
        _response(401, NONCE_HEADERS | {"DPoP-Nonce": ""}), token_endpoint=False
    )
    assert not prover.asks_for_nonce(_response(200, {"DPoP-Nonce": "n-3"}), token_endpoint=False)
    assert prover.nonce == "n-3"  # kept for the next proof all the same
    assert not prover.asks_for_nonce(
        _response(400, {"DPoP-Nonce": "n-4"}, content=b"<html>"), token_endpoint=True
    )
    assert not prover.asks_for_nonce(
        _response(400, {"DPoP-Nonce": "n-5"}, json={"error": "invalid_client"}), token_endpoint=True
    )
    assert not prover.asks_for_nonce(
        _response(400, {"DPoP-Nonce": "n-6"}, json=["x"]), token_endpoint=True
    )
    assert prover.asks_for_nonce(_response(401, NONCE_HEADERS), token_endpoint=True)
    assert prover.nonce == "n-2"


@pytest.mark.parametrize(
    "make",
    [
        lambda: jwk.RSAKey.generate_key(2048, private=True),
        lambda: jwk.ECKey.generate_key("P-384", private=True),
    ],
    ids=["rsa", "p-384"],
)
def test_dpop_keys_other_than_p256_are_refused(make: Any) -> None:
    with pytest.raises(instalments.InstalmentsError, match="P-256"):
        DPoPProver(make().as_dict(private=True))


def test_proofs_name_the_url_without_query_or_fragment(key: jwk.ECKey) -> None:
    decoded = _decoded(
        DPoPProver(key.as_dict(private=True)).proof("GET", "https://gw.test/v1/x?y=1#z")
    )
    assert decoded.header["alg"] == "ES256"
    assert decoded.claims["htu"] == "https://gw.test/v1/x"


def test_dpop_needs_the_jwt_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_joserfc(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("joserfc"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_joserfc)
    with pytest.raises(instalments.InstalmentsError, match=r"instalments\[jwt\]"):
        Client(client_id="c", client_secret="s", dpop_key="-----BEGIN PRIVATE KEY-----")


def test_the_token_hash_is_base64url_sha256() -> None:
    digest = hashlib.sha256(b"tok").digest()
    assert access_token_hash("tok") == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
