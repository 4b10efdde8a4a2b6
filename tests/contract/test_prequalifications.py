"""Prequalification through the SDK: personas, typed offers, signed tokens, idempotent retries."""

from __future__ import annotations

from decimal import Decimal

import instalments
import pytest
from instalments import Client, sandbox, types
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.prequal.models import Prequalification

from .test_consents import evidence

SCENARIO: types.ScenarioParam = {
    "type": "ecommerce",
    "amount": Decimal("3999.00"),
    "currency": "CNY",
    "merchant_order_ref": "order-1001",
    "item_category": "electronics",
}


def consent_for(client: Client, phone: str) -> str:
    """Record a ``prequalification`` consent for ``phone``; return its id."""
    notice = client.consent_notices.retrieve("prequalification")
    created = client.consents.create(
        customer={"phone": phone},
        grants=[{"purpose": "prequalification", "granted": True, "notice_version": notice.version}],
        evidence=evidence(),
    )
    return created.consents[0].id


def test_an_approved_persona_gets_typed_offers_with_verifiable_tokens(gateway_sdk: Client) -> None:
    decision = gateway_sdk.prequalifications.create(
        consent_id=consent_for(gateway_sdk, sandbox.APPROVED),
        customer={"phone": sandbox.APPROVED},
        scenario=SCENARIO,
    )
    assert decision.status == "approved"
    assert decision.approved_amount == Decimal("3999.00")
    assert decision.offers and all(isinstance(o.apr, Decimal) for o in decision.offers)
    offer = decision.offers[0]
    assert sum(line.principal for line in offer.schedule) == offer.principal
    for each in decision.offers:  # every offer, exactly as received, is the one signed
        pinned = gateway_sdk.offers.verify(each, decision=decision)
        assert (pinned.id, pinned.principal, pinned.apr) == (each.id, each.principal, each.apr)
        assert pinned.monthly_payment == each.monthly_payment
    claims = gateway_sdk.offers.verify_decision(decision)
    assert claims.sub == decision.id and claims.consent_id == decision.consent_id
    assert gateway_sdk.prequalifications.retrieve(decision.id).id == decision.id


def test_a_declined_persona_gets_reasons_and_no_offers(gateway_sdk: Client) -> None:
    decision = gateway_sdk.prequalifications.create(
        consent_id=consent_for(gateway_sdk, sandbox.DECLINED),
        customer={"phone": sandbox.DECLINED},
        scenario=SCENARIO,
    )
    assert decision.status == "declined"
    assert decision.offers == [] and decision.reasons and decision.reasons[0].code


def test_without_consent_the_sdk_raises_consent_required(gateway_sdk: Client) -> None:
    with pytest.raises(instalments.ConsentRequiredError) as caught:
        gateway_sdk.prequalifications.create(
            consent_id="cns_doesnotexist", customer={"phone": sandbox.APPROVED}, scenario=SCENARIO
        )
    assert caught.value.status_code == 403 and caught.value.request_id


def test_products_are_typed_with_decimal_limits(gateway_sdk: Client) -> None:
    products = gateway_sdk.products.list(amount=Decimal("3999.00"), currency="CNY").data
    mall = next(p for p in products if p.code == "mall_instalments")
    assert mall.min_amount == Decimal("500.00") and 12 in mall.tenors


def test_a_500_after_commit_is_retried_into_exactly_one_prequalification(
    gateway_sdk: Client, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    monkeypatch.setattr(Client, "_sleep", lambda self, seconds: slept.append(seconds))
    consent_id = consent_for(gateway_sdk, sandbox.FAILS_AFTER_COMMIT)
    decision = gateway_sdk.prequalifications.create(
        consent_id=consent_id, customer={"phone": sandbox.FAILS_AFTER_COMMIT}, scenario=SCENARIO
    )
    assert len(slept) == 1  # the first answer was the 500; the retry replayed the commit
    count = db_session.scalar(
        select(func.count())
        .select_from(Prequalification)
        .where(Prequalification.consent_id == consent_id)
    )
    assert count == 1
    assert db_session.get(Prequalification, decision.id) is not None


@pytest.mark.committing
def test_the_500_after_commit_persona_over_a_real_socket(
    socket_sdk: Client, db_session: Session
) -> None:
    consent_id = consent_for(socket_sdk, sandbox.FAILS_AFTER_COMMIT)
    decision = socket_sdk.with_options(max_retries=2).prequalifications.create(
        consent_id=consent_id, customer={"phone": sandbox.FAILS_AFTER_COMMIT}, scenario=SCENARIO
    )
    assert decision.id
    count = db_session.scalar(
        select(func.count())
        .select_from(Prequalification)
        .where(Prequalification.consent_id == consent_id)
    )
    assert count == 1


def test_a_declined_customer_can_ask_for_human_review(gateway_sdk: Client) -> None:
    decision = gateway_sdk.prequalifications.create(
        consent_id=consent_for(gateway_sdk, sandbox.DECLINED),
        customer={"phone": sandbox.DECLINED},
        scenario=SCENARIO,
    )
    assert decision.human_review is not None and decision.human_review.available
    reviewed = gateway_sdk.prequalifications.request_human_review(decision.id)
    assert reviewed.id == decision.id
