"""Issue 21: one decision token per prequalification pins every offer; acceptance checks it."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from gateway.identity import pairwise_customer_ref
from gateway.keys import services as keys
from gateway.offers.models import Offer
from gateway.offers.services import token_claims
from gateway.offers.tokens import pinned_terms
from gateway.prequal import decision as decision_module
from gateway.prequal import signing
from gateway.prequal.models import Prequalification
from gateway.prequal.pricing import price_offers
from tests.gateway.offers.flow import accept, approved_decision
from tests.gateway.offers.test_acceptance import _claims, _tamper
from tests.gateway.prequal.test_views import DECLINE, prequalify

TERMS = [k for k in pinned_terms(Offer(**dict.fromkeys(["apr"], Decimal(0)))) if k != "id"]


def _accept(api: Any, offer_id: str, credit: str, **tokens: Any) -> Any:
    return api.post(
        f"/v1/offers/{offer_id}/accept", json={**tokens, "credit_inquiry_consent_id": credit}
    )


def _changed(value: Any) -> Any:
    if isinstance(value, int):
        return value + 1
    return "9.99" if value != "9.99" else "8.88"


def test_a_twelve_offer_decision_is_signed_once(
    partner_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed: list[str] = []
    refs: list[str] = []
    sign, ref = keys.sign, signing.pairwise_customer_ref

    def counting_sign(session: Session, claims: Any, *, typ: str) -> str:
        signed.append(typ)
        return sign(session, claims, typ=typ)

    def counting_ref(*args: str) -> str:
        refs.append(args[1])
        return ref(*args)

    def unsubsidised(terms: Any, *args: Any) -> Any:
        # demo-mall's 3- and 6-month 0 % plans replace three offers each: price
        # every tenor and method instead, the dozen a decision can hold.
        return price_offers(replace(terms, merchant_subsidy=None), *args)

    api = partner_api("demo-mall")
    monkeypatch.setattr(decision_module, "price_offers", unsubsidised)
    monkeypatch.setattr(keys, "sign", counting_sign)
    monkeypatch.setattr(signing, "pairwise_customer_ref", counting_ref)
    decision, _credit = approved_decision(api)
    assert len(decision["offers"]) == 12
    assert signed.count("decision+jwt") == 1 and "offer+jwt" not in signed
    assert len(refs) == 1  # the partner's pairwise reference, once per decision
    claims = _claims(decision["decision_token"])
    assert [entry["id"] for entry in claims["offers"]] == [o["id"] for o in decision["offers"]]
    for offer in decision["offers"]:
        assert offer["offer_token"] is None


def test_a_decision_without_offers_has_no_token(partner_api: Any) -> None:
    body = prequalify(partner_api("demo-mall"), DECLINE).get_json()
    assert body["status"] == "declined"
    assert body["decision_token"] is None


def test_the_decision_token_is_stored_and_read_back(partner_api: Any, db_session: Session) -> None:
    api = partner_api("demo-mall")
    decision, _ = approved_decision(api)
    stored = db_session.get(Prequalification, decision["id"])
    assert stored is not None and stored.decision_token == decision["decision_token"]
    again = api.get(f"/v1/prequalifications/{decision['id']}").get_json()
    assert again["decision_token"] == decision["decision_token"]
    listed = api.get("/v1/prequalifications", query_string={"limit": 1}).get_json()["data"]
    assert listed[0]["decision_token"] == decision["decision_token"]


@pytest.mark.parametrize("term", TERMS)
def test_any_pinned_term_of_any_offer_signed_otherwise_is_a_mismatch(
    partner_api: Any, db_session: Session, term: str
) -> None:
    api = partner_api("demo-mall")
    decision, credit = approved_decision(api)
    index = TERMS.index(term) % len(decision["offers"])
    claims = _claims(decision["decision_token"])
    claims["offers"][index][term] = _changed(claims["offers"][index][term])
    # Signed with the gateway's own key: only the comparison with the stored offer catches it.
    forged = keys.sign(db_session, claims, typ="decision+jwt")
    offer_id = decision["offers"][index]["id"]
    response = _accept(api, offer_id, credit, decision_token=forged)
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "decision_token_mismatch"
    assert body["claims"] == [f"offers.{term}"]
    genuine = decision["decision_token"]
    assert _accept(api, offer_id, credit, decision_token=genuine).status_code == 201


@pytest.mark.parametrize("claim", ["sub", "exp", "partner_id", "environment", "consent_id"])
def test_a_changed_decision_claim_is_a_mismatch(
    partner_api: Any, db_session: Session, claim: str
) -> None:
    api = partner_api("demo-mall")
    decision, credit = approved_decision(api)
    claims = _claims(decision["decision_token"])
    claims[claim] = claims[claim] + 1 if claim == "exp" else "other"
    forged = keys.sign(db_session, claims, typ="decision+jwt")
    response = _accept(api, decision["offers"][0]["id"], credit, decision_token=forged)
    assert response.status_code == 400
    assert claim in response.get_json()["claims"]


def test_a_stored_offer_changed_after_signing_no_longer_matches(
    partner_api: Any, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    decision, credit = approved_decision(api)
    offer = db_session.get(Offer, decision["offers"][3]["id"])
    assert offer is not None
    offer.principal = Decimal("1.00")
    db_session.commit()
    response = _accept(api, offer.id, credit, decision_token=decision["decision_token"])
    assert response.status_code == 400
    assert response.get_json()["claims"] == ["offers.principal"]


def test_a_token_signed_with_its_signature_kept_but_payload_changed_is_refused(
    partner_api: Any,
) -> None:
    api = partner_api("demo-mall")
    decision, credit = approved_decision(api)
    forged = _tamper(decision["decision_token"], consent_id="cns_other")
    response = _accept(api, decision["offers"][0]["id"], credit, decision_token=forged)
    assert response.status_code == 400
    assert response.get_json()["code"] == "decision_token_mismatch"
    assert "signature" in response.get_json()["detail"]


@pytest.mark.parametrize(
    "tokens",
    [{}, {"decision_token": "DECISION", "offer_token": "a.b.c"}],
    ids=["neither", "both"],
)
def test_exactly_one_token_is_required(partner_api: Any, tokens: dict[str, str]) -> None:
    api = partner_api("demo-mall")
    decision, credit = approved_decision(api)
    tokens = {k: decision["decision_token"] if v == "DECISION" else v for k, v in tokens.items()}
    response = _accept(api, decision["offers"][0]["id"], credit, **tokens)
    assert response.status_code == 400
    assert response.get_json()["field"] == "decision_token"


def test_an_offer_token_for_an_offer_issued_without_one_is_refused(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    decision, credit = approved_decision(api)
    response = _accept(api, decision["offers"][0]["id"], credit, offer_token="a.b.c")
    assert response.status_code == 400
    assert response.get_json()["field"] == "offer_token"


def _legacy_token(db_session: Session, settings: Any, offer: Offer) -> str:
    """The offer+jwt an offer got before decision tokens, stored on its row as then."""
    ref = pairwise_customer_ref(settings.identifier_pepper, offer.partner_id, offer.customer_ref)
    token = keys.sign(db_session, token_claims(offer, "http://localhost", ref), typ="offer+jwt")
    offer.token = token
    db_session.commit()
    return token


def test_an_in_flight_offer_with_its_own_token_is_still_accepted_with_it(
    partner_api: Any, db_session: Session, settings: Any
) -> None:
    api = partner_api("demo-mall")
    decision, credit = approved_decision(api)
    offer = db_session.get(Offer, decision["offers"][0]["id"])
    assert offer is not None
    token = _legacy_token(db_session, settings, offer)
    assert api.get(f"/v1/offers/{offer.id}").get_json()["offer_token"] == token
    forged = _tamper(token, principal="1.00")
    refused = _accept(api, offer.id, credit, offer_token=forged)
    assert refused.status_code == 400
    assert refused.get_json()["code"] == "offer_token_mismatch"
    response = _accept(api, offer.id, credit, offer_token=token)
    assert response.status_code == 201, response.get_json()


def test_accept_helper_sends_the_decision_token(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    decision, credit = approved_decision(api)
    offer = dict(decision["offers"][-1], decision_token=decision["decision_token"])
    assert accept(api, offer, credit).status_code == 201
