"""Offer tokens: ES256 JWS checked against a JWKS the client fetches and caches."""

from __future__ import annotations

import base64
import builtins
import json
import time
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx
from instalments import AsyncClient, Client, InstalmentsError, OfferTokenError
from joserfc import jwk, jws

from .aio import run_async

SIGNING = jwk.ECKey.generate_key("P-256", parameters={"kid": "offers-2026-11"})
ROTATED = jwk.ECKey.generate_key("P-256", parameters={"kid": "offers-2026-12"})


def _jwks(*keys: jwk.ECKey) -> dict[str, Any]:
    return {"keys": [key.as_dict(private=False) | {"use": "sig", "alg": "ES256"} for key in keys]}


def offer_token(
    key: jwk.ECKey = SIGNING, *, exp_in: int = 900, header: dict[str, Any] | None = None
) -> str:
    claims = {"sub": "off_1", "iss": "https://gw.test", "iat": int(time.time())}
    claims |= {"exp": int(time.time()) + exp_in, "principal": "3999.00", "tenor_months": 12}
    claims["campaign"] = "double-11"  # a claim this SDK does not know is kept
    protected = {"alg": "ES256", "typ": "offer+jwt", "kid": key.kid} | (header or {})
    return jws.serialize_compact(protected, json.dumps(claims).encode(), key)


@pytest.fixture
def jwks_route(router: respx.MockRouter) -> respx.Route:
    return router.get("/.well-known/jwks.json").mock(
        return_value=httpx.Response(200, json=_jwks(SIGNING))
    )


def test_a_gateway_signed_token_verifies_and_the_jwks_is_cached(
    sdk: Client, jwks_route: respx.Route, router: respx.MockRouter
) -> None:
    claims = sdk.offers.verify_token(offer_token())
    assert claims.sub == "off_1" and claims.principal == Decimal("3999.00")
    assert claims.tenor_months == 12 and claims.model_extra == {"campaign": "double-11"}
    sdk.offers.verify_token(offer_token())
    sdk.with_options(max_retries=0).offers.verify_token(offer_token())
    assert jwks_route.call_count == 1
    assert "Authorization" not in jwks_route.calls.last.request.headers
    assert router["token"].call_count == 0  # the JWKS is public


def test_an_unknown_kid_refetches_the_jwks_once(sdk: Client, jwks_route: respx.Route) -> None:
    sdk.offers.verify_token(offer_token())
    jwks_route.mock(return_value=httpx.Response(200, json=_jwks(SIGNING, ROTATED)))
    assert sdk.offers.verify_token(offer_token(ROTATED)).sub == "off_1"
    assert jwks_route.call_count == 2
    stranger = jwk.ECKey.generate_key("P-256", parameters={"kid": "not-ours"})
    with pytest.raises(OfferTokenError, match="not-ours"):
        sdk.offers.verify_token(offer_token(stranger))
    assert jwks_route.call_count == 3


def test_a_token_signed_by_another_key_under_our_kid_is_rejected(
    sdk: Client, jwks_route: respx.Route
) -> None:
    forger = jwk.ECKey.generate_key("P-256", parameters={"kid": "offers-2026-11"})
    with pytest.raises(OfferTokenError):
        sdk.offers.verify_token(offer_token(forger))


def test_altered_terms_break_the_signature(sdk: Client, jwks_route: respx.Route) -> None:
    header, payload, signature = offer_token().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["principal"] = "1.00"
    altered = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(OfferTokenError):
        sdk.offers.verify_token(f"{header}.{altered}.{signature}")


def test_an_expired_token_is_rejected(sdk: Client, jwks_route: respx.Route) -> None:
    with pytest.raises(OfferTokenError, match="expired"):
        sdk.offers.verify_token(offer_token(exp_in=-1))


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("not-a-jws", "not a compact JWS"),
        ("!!!.x.y", "does not decode"),
        (base64.urlsafe_b64encode(b"[1]").decode() + ".x.y", "not a compact JWS"),
    ],
)
def test_malformed_tokens_are_rejected(sdk: Client, token: str, message: str) -> None:
    with pytest.raises(OfferTokenError, match=message):
        sdk.offers.verify_token(token)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ({"typ": "JWT"}, "not an offer token"),
        ({"kid": ""}, "no key id"),
    ],
)
def test_tokens_of_another_type_or_without_kid_are_rejected(
    sdk: Client, header: dict[str, Any], message: str
) -> None:
    with pytest.raises(OfferTokenError, match=message):
        sdk.offers.verify_token(offer_token(header=header))


def test_only_es256_is_accepted(sdk: Client) -> None:
    hs = jwk.OctKey.generate_key(256, parameters={"kid": "offers-2026-11"})
    token = jws.serialize_compact(
        {"alg": "HS256", "typ": "offer+jwt", "kid": "offers-2026-11"}, b"{}", hs
    )
    with pytest.raises(OfferTokenError, match="algorithm"):
        sdk.offers.verify_token(token)


def test_claims_without_expiry_are_rejected(sdk: Client, jwks_route: respx.Route) -> None:
    protected = {"alg": "ES256", "typ": "offer+jwt", "kid": SIGNING.kid}
    token = jws.serialize_compact(protected, b'{"sub": "off_1"}', SIGNING)
    with pytest.raises(OfferTokenError, match="malformed"):
        sdk.offers.verify_token(token)


def test_a_jwks_that_is_not_an_object_is_reported(sdk: Client, router: respx.MockRouter) -> None:
    from instalments import APIResponseValidationError

    router.get("/.well-known/jwks.json").mock(return_value=httpx.Response(200, json=[]))
    with pytest.raises(APIResponseValidationError):
        sdk.offers.verify_token(offer_token())


def test_verification_needs_the_jwt_extra(
    sdk: Client, jwks_route: respx.Route, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_joserfc(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("joserfc"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_joserfc)
    with pytest.raises(InstalmentsError, match=r"instalments\[jwt\]"):
        sdk.offers.verify_token(offer_token())


def test_the_async_client_verifies_and_refetches_the_same_way(
    async_sdk: AsyncClient, jwks_route: respx.Route, router: respx.MockRouter
) -> None:
    async def main() -> None:
        assert (await async_sdk.offers.verify_token(offer_token())).sub == "off_1"
        await async_sdk.offers.verify_token(offer_token())
        jwks_route.mock(return_value=httpx.Response(200, json=_jwks(ROTATED)))
        await async_sdk.offers.verify_token(offer_token(ROTATED))
        jwks_route.mock(return_value=httpx.Response(200, json={"keys": "x"}))
        with pytest.raises(OfferTokenError):
            await async_sdk.offers.verify_token(offer_token(exp_in=5, header={"kid": "gone"}))

    run_async(main())
    assert jwks_route.call_count == 3


def test_the_async_client_reports_a_jwks_that_is_not_an_object(
    async_sdk: AsyncClient, router: respx.MockRouter
) -> None:
    from instalments import APIResponseValidationError

    router.get("/.well-known/jwks.json").mock(return_value=httpx.Response(200, json="x"))
    with pytest.raises(APIResponseValidationError):
        run_async(async_sdk.offers.verify_token(offer_token()))
