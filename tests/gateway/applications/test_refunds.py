"""Acceptance 6: refunds after funding re-compute the remaining schedule to the fen."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from flask import Flask

from tests.gateway.applications.flow import accepted, funded


def _sum(rows: list[dict[str, Any]], key: str) -> Decimal:
    return sum((Decimal(r[key]) for r in rows), Decimal("0.00"))


def _refund(api: Any, application_id: str, amount: str, refund_id: str, **kwargs: Any) -> Any:
    return api.post(
        f"/v1/applications/{application_id}/refunds",
        json={"refund_id": refund_id, "amount": amount, "reason": "goods returned"},
        **kwargs,
    )


def _check_reconciles(schedule: list[dict[str, Any]], principal: Decimal) -> None:
    assert _sum(schedule, "principal") == principal
    for row in schedule:
        parts = Decimal(row["principal"]) + Decimal(row["interest"]) + Decimal(row["fee"])
        assert Decimal(row["payment"]) == parts
        for key in ("payment", "principal", "interest", "fee", "balance_after"):
            assert Decimal(row[key]) == Decimal(row[key]).quantize(Decimal("0.01"))
    balance = principal
    for row in schedule:
        balance -= Decimal(row["principal"])
        assert Decimal(row["balance_after"]) == balance
    assert balance == 0


def test_a_partial_refund_recomputes_the_remaining_schedule_to_the_fen(
    partner_api: Any, app: Flask
) -> None:
    api = partner_api("demo-mall")
    offer, body = funded(app, api)
    response = _refund(api, body["id"], "1234.56", "rf-1")
    assert response.status_code == 201, response.get_json()
    refund = response.get_json()
    assert refund["outstanding_before"] == "3999.00"
    assert refund["outstanding_after"] == "2764.44"
    after = refund["application"]
    assert after["outstanding_principal"] == "2764.44"
    assert after["refunded_amount"] == "1234.56"
    schedule = after["schedule"]
    assert len(schedule) == len(offer["schedule"])
    assert [r["due_date"] for r in schedule] == [r["due_date"] for r in offer["schedule"]]
    _check_reconciles(schedule, Decimal("2764.44"))
    assert _sum(schedule, "interest") < Decimal(offer["total_interest"]) or (
        Decimal(offer["total_interest"]) == 0
    )
    assert api.get(f"/v1/applications/{body['id']}").get_json()["schedule"] == schedule


def test_every_repayment_method_recomputes_and_reconciles(partner_api: Any, app: Flask) -> None:
    from tests.gateway.offers.flow import accept
    from tests.gateway.prequal.test_views import APPROVE, grant, prequal_body

    api = partner_api("demo-mall")
    consent = grant(api, APPROVE)
    offers = api.post("/v1/prequalifications", json=prequal_body(consent)).get_json()["offers"]
    methods = {}
    for offer in offers:
        methods.setdefault((offer["repayment_method"], offer["apr"] == "0.0000"), offer)
    assert len(methods) >= 3
    from tests.gateway.applications.flow import event, underwrite

    for offer in methods.values():
        # each needs its own prequalification: accepting one voids its siblings
        consent = grant(api, APPROVE)
        fresh = api.post("/v1/prequalifications", json=prequal_body(consent)).get_json()["offers"]
        twin = next(
            o
            for o in fresh
            if (o["repayment_method"], o["tenor_months"])
            == (offer["repayment_method"], offer["tenor_months"])
        )
        application = accept(api, twin, grant(api, APPROVE, "credit_inquiry")).get_json()
        underwrite(app)
        event(api, "checkout_completed", twin["id"])
        refund = _refund(api, application["id"], "999.99", f"rf-{twin['id']}").get_json()
        _check_reconciles(refund["application"]["schedule"], Decimal("2999.01"))


def test_refunds_never_go_below_zero_and_the_full_refund_clears_the_schedule(
    partner_api: Any, app: Flask
) -> None:
    api = partner_api("demo-mall")
    _, body = funded(app, api)
    too_much = _refund(api, body["id"], "3999.01", "rf-x")
    assert too_much.status_code == 422
    assert too_much.get_json()["errors"][0]["field"] == "amount"
    assert _refund(api, body["id"], "3000.00", "rf-1").status_code == 201
    assert _refund(api, body["id"], "999.01", "rf-2").status_code == 422
    last = _refund(api, body["id"], "999.00", "rf-2").get_json()["application"]
    assert last["outstanding_principal"] == "0.00"
    assert last["refunded_amount"] == "3999.00"
    assert last["schedule"] == []


def test_a_refund_is_idempotent_by_refund_id_and_by_idempotency_key(
    partner_api: Any, app: Flask
) -> None:
    api = partner_api("demo-mall")
    _, body = funded(app, api)
    first = _refund(api, body["id"], "100.00", "rf-1")
    again = _refund(api, body["id"], "100.00", "rf-1")
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json()["outstanding_after"] == "3899.00"
    assert api.get(f"/v1/applications/{body['id']}").get_json()["refunded_amount"] == "100.00"
    other = _refund(api, body["id"], "200.00", "rf-1")
    assert other.status_code == 409
    assert other.get_json()["code"] == "refund_id_reused"
    keyed = _refund(api, body["id"], "50.00", "rf-2", headers={"Idempotency-Key": "k-rf-2"})
    replay = _refund(api, body["id"], "50.00", "rf-2", headers={"Idempotency-Key": "k-rf-2"})
    assert replay.get_data() == keyed.get_data()
    assert api.get(f"/v1/applications/{body['id']}").get_json()["outstanding_principal"] == (
        "3849.00"
    )


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_an_unfunded_application_cannot_be_refunded(
    partner_api: Any, app: Flask, status: str
) -> None:
    from tests.gateway.applications.flow import underwrite

    api = partner_api("demo-mall")
    _, application = accepted(api)
    if status == "approved":
        underwrite(app)
    response = _refund(api, application["id"], "10.00", "rf-1")
    assert response.status_code == 409
