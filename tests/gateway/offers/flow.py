"""Shared steps of the offer lifecycle tests: consent, prequalify, accept."""

from __future__ import annotations

from typing import Any

from tests.gateway.prequal.test_views import APPROVE, grant, prequal_body


def approved_decision(
    api: Any, phone: str = APPROVE, **overrides: Any
) -> tuple[dict[str, Any], str]:
    """Prequalify ``phone``: the decision (with offers) and a credit_inquiry consent id."""
    consent_id = grant(api, phone)
    response = api.post("/v1/prequalifications", json=prequal_body(consent_id, phone, **overrides))
    assert response.status_code == 201, response.get_json()
    decision = response.get_json()
    assert decision["offers"], decision
    credit = grant(api, phone, "credit_inquiry")
    return decision, credit


def approved_offer(api: Any, phone: str = APPROVE, **overrides: Any) -> tuple[dict[str, Any], str]:
    """Prequalify ``phone``: its best offer, carrying its decision's ``decision_token``
    (as :func:`accept` sends it), and a credit_inquiry consent id."""
    decision, credit = approved_decision(api, phone, **overrides)
    return dict(decision["offers"][0], decision_token=decision["decision_token"]), credit


def decision_token_of(api: Any, offer: dict[str, Any]) -> str:
    """The decision token ``offer`` carries, else its prequalification's (read from the API)."""
    if "decision_token" in offer:
        return str(offer["decision_token"])
    decision = api.get(f"/v1/prequalifications/{offer['prequalification_id']}").get_json()
    return str(decision["decision_token"])


def accept(api: Any, offer: dict[str, Any], credit: str, **kwargs: Any) -> Any:
    """POST the acceptance of ``offer`` with its decision's token."""
    return api.post(
        f"/v1/offers/{offer['id']}/accept",
        json={"decision_token": decision_token_of(api, offer), "credit_inquiry_consent_id": credit},
        **kwargs,
    )
