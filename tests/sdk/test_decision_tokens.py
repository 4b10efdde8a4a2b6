"""Decision tokens: one ES256 JWS pins every offer; the SDK checks an offer against it."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import time
from typing import Any

import httpx
import instalments
import pytest
import respx
from instalments import (
    AsyncClient,
    Client,
    DecisionTokenError,
    OfferTokenError,
    verify_decision_token,
)
from instalments.types import Offer, Prequalification
from joserfc import jwk, jws

from . import samples
from .aio import run_async

SIGNING = jwk.ECKey.generate_key("P-256", parameters={"kid": "decisions-2026-11"})
ROTATED = jwk.ECKey.generate_key("P-256", parameters={"kid": "decisions-2026-12"})
PINNED = (
    "product_code", "currency", "principal", "tenor_months", "repayment_method", "apr",
    "monthly_payment", "total_interest", "total_fees", "total_cost", "total_repayable",
    "merchant_subsidy",
)  # fmt: skip


def _jwks(*keys: jwk.ECKey) -> dict[str, Any]:
    return {"keys": [key.as_dict(private=False) | {"use": "sig", "alg": "ES256"} for key in keys]}


def _schedule_hash(schedule: list[dict[str, Any]]) -> str:
    canonical = json.dumps(schedule, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def _entry(offer: dict[str, Any]) -> dict[str, Any]:
    entry = {"id": offer["id"], **{term: offer[term] for term in PINNED}}
    return entry | {"schedule_hash": _schedule_hash(offer["schedule"])}


OTHER_OFFER = samples.OFFER | {"id": "off_2", "tenor_months": 6, "principal": "3999.00"}
DECISION = samples.PREQUALIFICATION | {"offers": [samples.OFFER, OTHER_OFFER]}


def decision_token(
    key: jwk.ECKey = SIGNING,
    *,
    exp_in: int = 900,
    header: dict[str, Any] | None = None,
    offers: list[dict[str, Any]] | None = None,
    **claims: Any,
) -> str:
    payload = {"iss": "https://gw.test", "sub": "pq_1", "iat": int(time.time())}
    payload |= {"exp": int(time.time()) + exp_in, "partner_id": "demo-mall"}
    payload |= {"environment": "sandbox", "customer_ref": "cref_1", "consent_id": "cns_1"}
    payload["offers"] = [_entry(o) for o in (offers or DECISION["offers"])]
    payload |= claims
    protected = {"alg": "ES256", "typ": "decision+jwt", "kid": key.kid} | (header or {})
    return jws.serialize_compact(protected, json.dumps(payload).encode(), key)


def decision(token: str | None = None) -> Prequalification:
    return Prequalification.model_validate(DECISION | {"decision_token": token or decision_token()})


@pytest.fixture
def jwks_route(router: respx.MockRouter) -> respx.Route:
    return router.get("/.well-known/jwks.json").mock(
        return_value=httpx.Response(200, json=_jwks(SIGNING))
    )


def test_every_offer_of_a_signed_decision_verifies_and_the_jwks_is_cached(
    sdk: Client, jwks_route: respx.Route, router: respx.MockRouter
) -> None:
    pq = decision()
    for offer in pq.offers:
        pinned = sdk.offers.verify(offer, decision=pq)
        assert pinned.id == offer.id and pinned.principal == offer.principal
    claims = sdk.offers.verify_decision(pq.decision_token or "")
    assert claims.sub == "pq_1" and claims.customer_ref == "cref_1"
    assert [entry.id for entry in claims.offers] == ["off_1", "off_2"]
    assert sdk.with_options(max_retries=0).offers.verify(samples.OFFER, decision=pq).id == "off_1"
    assert jwks_route.call_count == 1
    assert "Authorization" not in jwks_route.calls.last.request.headers
    assert router["token"].call_count == 0  # the JWKS is public


def test_an_unknown_kid_refetches_the_jwks_once(sdk: Client, jwks_route: respx.Route) -> None:
    sdk.offers.verify_decision(decision())
    jwks_route.mock(return_value=httpx.Response(200, json=_jwks(SIGNING, ROTATED)))
    assert sdk.offers.verify_decision(decision_token(ROTATED)).sub == "pq_1"
    assert jwks_route.call_count == 2
    stranger = jwk.ECKey.generate_key("P-256", parameters={"kid": "not-ours"})
    with pytest.raises(DecisionTokenError, match="not-ours"):
        sdk.offers.verify_decision(decision_token(stranger))
    assert jwks_route.call_count == 3


@pytest.mark.parametrize("term", [*PINNED, "schedule"])
@pytest.mark.parametrize("index", [0, 1])
def test_any_term_of_any_offer_changed_after_signing_is_refused(
    sdk: Client, jwks_route: respx.Route, term: str, index: int
) -> None:
    pq = decision()
    received = copy.deepcopy(DECISION["offers"][index])
    if term == "schedule":
        received["schedule"][0]["payment"] = "1.00"
    elif term in ("product_code", "currency", "repayment_method"):
        received[term] = "X"
    else:
        received[term] = {"tenor_months": 7, "apr": "0.0001"}.get(term, "1.00")
    with pytest.raises(DecisionTokenError) as refused:
        sdk.offers.verify(received, decision=pq)
    assert refused.value.terms == [term]
    assert isinstance(refused.value, OfferTokenError)  # old except clauses still catch it


def test_an_altered_token_breaks_the_signature(sdk: Client, jwks_route: respx.Route) -> None:
    header, payload, signature = decision_token().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["offers"][0]["principal"] = "1.00"
    altered = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(DecisionTokenError, match="rejected") as refused:
        sdk.offers.verify(samples.OFFER, decision=f"{header}.{altered}.{signature}")
    assert refused.value.terms == []


def test_an_offer_of_another_decision_or_not_pinned_is_refused(
    sdk: Client, jwks_route: respx.Route
) -> None:
    elsewhere = samples.OFFER | {"prequalification_id": "pq_2"}
    with pytest.raises(DecisionTokenError, match="not of decision") as refused:
        sdk.offers.verify(elsewhere, decision=decision())
    assert refused.value.terms == ["prequalification_id"]
    only_first = decision_token(offers=[samples.OFFER])
    with pytest.raises(DecisionTokenError, match="pins no offer") as refused:
        sdk.offers.verify(Offer.model_validate(OTHER_OFFER), decision=only_first)
    assert refused.value.terms == ["id"]


def test_an_expired_token_is_refused(sdk: Client, jwks_route: respx.Route) -> None:
    with pytest.raises(DecisionTokenError, match="expired"):
        sdk.offers.verify(samples.OFFER, decision=decision_token(exp_in=-1))


def test_a_prequalification_without_a_token_cannot_be_checked(sdk: Client) -> None:
    declined = Prequalification.model_validate(samples.PREQUALIFICATION | {"decision_token": None})
    with pytest.raises(DecisionTokenError, match="no decision token"):
        sdk.offers.verify_decision(declined)


@pytest.mark.parametrize(
    ("header", "message"),
    [({"typ": "offer+jwt"}, "not an decision token"), ({"kid": ""}, "no key id")],
)
def test_tokens_of_another_type_or_without_kid_are_refused(
    sdk: Client, header: dict[str, Any], message: str
) -> None:
    with pytest.raises(DecisionTokenError, match=message):
        sdk.offers.verify_decision(decision_token(header=header))


def test_claims_without_offers_are_malformed(sdk: Client, jwks_route: respx.Route) -> None:
    protected = {"alg": "ES256", "typ": "decision+jwt", "kid": SIGNING.kid}
    token = jws.serialize_compact(protected, b'{"sub": "pq_1", "exp": 1}', SIGNING)
    with pytest.raises(DecisionTokenError, match="malformed"):
        sdk.offers.verify_decision(token)


def test_the_pure_function_verifies_offline() -> None:
    claims = verify_decision_token(decision_token(), _jwks(SIGNING), now=int(time.time()))
    assert claims.offers[1].id == "off_2"
    with pytest.raises(DecisionTokenError, match="expired"):
        verify_decision_token(decision_token(), _jwks(SIGNING), now=int(time.time()) + 10_000)
    assert instalments.verify_decision_token is verify_decision_token


def test_accept_takes_exactly_one_token(sdk: Client) -> None:
    with pytest.raises(TypeError, match="exactly one"):
        sdk.offers.accept("off_1", credit_inquiry_consent_id="cns_2")
    with pytest.raises(TypeError, match="exactly one"):
        sdk.offers.accept(
            "off_1", credit_inquiry_consent_id="cns_2", decision_token="a.b.c", offer_token="x"
        )


def test_the_async_client_verifies_and_refetches_the_same_way(
    async_sdk: AsyncClient, jwks_route: respx.Route
) -> None:
    async def main() -> None:
        pq = decision()
        assert (await async_sdk.offers.verify(samples.OFFER, decision=pq)).id == "off_1"
        await async_sdk.offers.verify_decision(pq)
        jwks_route.mock(return_value=httpx.Response(200, json=_jwks(ROTATED)))
        assert (await async_sdk.offers.verify_decision(decision_token(ROTATED))).sub == "pq_1"
        with pytest.raises(DecisionTokenError) as refused:
            await async_sdk.offers.verify(
                samples.OFFER | {"apr": "0.0001"}, decision=decision_token(ROTATED)
            )
        assert refused.value.terms == ["apr"]
        with pytest.raises(TypeError):
            await async_sdk.offers.accept("off_1", credit_inquiry_consent_id="cns_2")

    run_async(main())
    assert jwks_route.call_count == 2
