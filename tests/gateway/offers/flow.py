"""Shared steps of the offer lifecycle tests: consent, prequalify, accept."""

from __future__ import annotations

from typing import Any

from tests.gateway.prequal.test_views import APPROVE, grant, prequal_body


def approved_offer(api: Any, phone: str = APPROVE, **overrides: Any) -> tuple[dict[str, Any], str]:
    """Prequalify ``phone`` and return its best offer and a credit_inquiry consent id."""
    consent_id = grant(api, phone)
    response = api.post("/v1/prequalifications", json=prequal_body(consent_id, phone, **overrides))
    assert response.status_code == 201, response.get_json()
    offers = response.get_json()["offers"]
    assert offers, response.get_json()
    credit = grant(api, phone, "credit_inquiry")
    return offers[0], credit


def accept(api: Any, offer: dict[str, Any], credit: str, **kwargs: Any) -> Any:
    """POST the acceptance of ``offer`` with its own token."""
    return api.post(
        f"/v1/offers/{offer['id']}/accept",
        json={"offer_token": offer["offer_token"], "credit_inquiry_consent_id": credit},
        **kwargs,
    )
