"""The rest of a checkout through the SDK: widget sessions, funnel events, funding, refunds."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import instalments
import pytest
from flask.testing import FlaskCliRunner
from instalments import Client, sandbox

from .test_offers import _decision, _inquiry_consent


def test_a_checkout_session_gives_a_client_token(gateway_sdk: Client) -> None:
    session = gateway_sdk.checkout_sessions.create(
        amount=Decimal("3999.00"),
        currency="CNY",
        scenario="ecommerce",
        allowed_origin="http://127.0.0.1:5055",
        merchant_order_ref="order-1001",
    )
    assert session.id and session.client_token
    assert session.expires_at > datetime.now(UTC)


def test_an_origin_the_partner_did_not_configure_is_refused(gateway_sdk: Client) -> None:
    with pytest.raises(instalments.APIStatusError) as caught:
        gateway_sdk.checkout_sessions.create(
            amount="3999.00",
            currency="CNY",
            scenario="ecommerce",
            allowed_origin="https://evil.example",
        )
    assert 400 <= caught.value.status_code < 500


def test_checkout_completed_funds_the_application_which_can_then_be_refunded(
    gateway_sdk: Client, runner: FlaskCliRunner
) -> None:
    offers, token = _decision(gateway_sdk)
    offer = offers[0]
    application = gateway_sdk.offers.accept(
        offer.id,
        decision_token=token,
        credit_inquiry_consent_id=_inquiry_consent(gateway_sdk, sandbox.APPROVED),
    )
    # The bank's underwriting worker decides it (the approving persona is approved).
    worked = runner.invoke(
        args=["applications", "work", "--once", "--min-delay", "0", "--max-delay", "0"]
    )
    assert worked.exit_code == 0, worked.output
    assert gateway_sdk.applications.retrieve(application.id).status == "approved"
    event_id = f"evt-{uuid.uuid4()}"
    for expected_duplicate in (False, True):
        recorded = gateway_sdk.events.create(
            id=event_id,
            type="checkout_completed",
            offer_id=offer.id,
            occurred_at=datetime.now(UTC),
        )
        assert recorded.duplicate is expected_duplicate
    funded = gateway_sdk.applications.retrieve(application.id)
    assert funded.status == "funded", funded.status
    refund = gateway_sdk.applications.refund(
        application.id, refund_id="rf-1", amount=Decimal("100.00"), reason="returned one item"
    )
    assert refund.amount == Decimal("100.00")
    assert refund.outstanding_after == refund.outstanding_before - Decimal("100.00")
    assert refund.application.refunded_amount == Decimal("100.00")
