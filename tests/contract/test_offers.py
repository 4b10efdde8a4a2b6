"""Accepting an offer through the SDK: the application, and the typed refusals."""

from __future__ import annotations

import instalments
import pytest
from instalments import Client, sandbox, types

from .test_consents import evidence
from .test_prequalifications import SCENARIO, consent_for


def _inquiry_consent(client: Client, phone: str) -> str:
    notice = client.consent_notices.retrieve("credit_inquiry")
    created = client.consents.create(
        customer={"phone": phone},
        grants=[{"purpose": "credit_inquiry", "granted": True, "notice_version": notice.version}],
        evidence=evidence(),
    )
    return created.consents[0].id


def _decision(client: Client, phone: str = sandbox.APPROVED) -> tuple[list[types.Offer], str]:
    """An approved decision's offers, and its decision token to accept them with."""
    decision = client.prequalifications.create(
        consent_id=consent_for(client, phone), customer={"phone": phone}, scenario=SCENARIO
    )
    assert decision.decision_token is not None
    return decision.offers, decision.decision_token


def test_accepting_an_offer_starts_an_application(gateway_sdk: Client) -> None:
    offers, token = _decision(gateway_sdk)
    offer = offers[0]
    assert offer.offer_token is None  # the decision token signs every offer
    assert gateway_sdk.offers.retrieve(offer.id).status == "open"
    assert gateway_sdk.offers.verify(offer, decision=token).id == offer.id
    application = gateway_sdk.offers.accept(
        offer.id,
        decision_token=token,
        credit_inquiry_consent_id=_inquiry_consent(gateway_sdk, sandbox.APPROVED),
    )
    assert isinstance(application, types.Application) and application.offer_id == offer.id
    assert gateway_sdk.applications.retrieve(application.id).id == application.id
    assert gateway_sdk.offers.retrieve(offer.id).status == "accepted"


def test_refusals_at_acceptance_are_typed(gateway_sdk: Client) -> None:
    (first, second, *_), token = _decision(gateway_sdk)
    _, other_token = _decision(gateway_sdk)
    with pytest.raises(instalments.ConsentRequiredError):
        gateway_sdk.offers.accept(
            first.id, decision_token=token, credit_inquiry_consent_id="cns_missing"
        )
    inquiry = _inquiry_consent(gateway_sdk, sandbox.APPROVED)
    with pytest.raises(instalments.DecisionTokenMismatchError) as mismatch:
        gateway_sdk.offers.accept(
            first.id, decision_token=other_token, credit_inquiry_consent_id=inquiry
        )
    assert "sub" in mismatch.value.problem.model_extra["claims"]  # type: ignore[index]
    with pytest.raises(instalments.BadRequestError):
        gateway_sdk.offers.accept(first.id, offer_token="a.b.c", credit_inquiry_consent_id=inquiry)
    gateway_sdk.offers.accept(first.id, decision_token=token, credit_inquiry_consent_id=inquiry)
    with pytest.raises(instalments.ConflictError) as caught:
        gateway_sdk.offers.accept(
            second.id, decision_token=token, credit_inquiry_consent_id=inquiry
        )
    assert isinstance(
        caught.value, instalments.OfferVoidError | instalments.OfferAlreadyAcceptedError
    )


def test_an_application_can_be_cancelled_before_funding(gateway_sdk: Client) -> None:
    offers, token = _decision(gateway_sdk)
    offer = offers[0]
    application = gateway_sdk.offers.accept(
        offer.id,
        decision_token=token,
        credit_inquiry_consent_id=_inquiry_consent(gateway_sdk, sandbox.APPROVED),
    )
    cancelled = gateway_sdk.applications.cancel(application.id, reason="order cancelled")
    assert cancelled.status == "cancelled"
    assert gateway_sdk.applications.retrieve(application.id).status == "cancelled"
