"""The exposure cap at prequalification and acceptance, partner concentration, the personas."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.identity import customer_ref
from gateway.partners import services as partners
from gateway.partners.config import Limits
from gateway.partners.loader import load_directory
from gateway.risk.exposure import customer_exposure, partner_outstanding
from gateway.risk.models import RiskHit
from tests.conftest import DEMO_PARTNERS
from tests.gateway.offers.flow import accept
from tests.gateway.prequal.test_views import grant
from tests.gateway.risk.helpers import good_customer, prequalify, use_rules

APPROVE = "+8613800000001"


def _offer_and_credit(api: Any, number: str, amount: str) -> tuple[dict[str, Any], str]:
    response = prequalify(api, number, amount)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["offers"], body
    return body["offers"][0], grant(api, number, "credit_inquiry")


def test_exposure_counts_pending_and_funded_across_partners(
    app: Flask, partner_api: Any, db_session: Session
) -> None:
    pepper = app.extensions["gateway.settings"].identifier_pepper
    ref = customer_ref(pepper, APPROVE)
    mall, travel = partner_api("demo-mall"), partner_api("demo-travel")
    first = accept(mall, *_offer_and_credit(mall, APPROVE, "3999.00")).get_json()
    second = accept(travel, *_offer_and_credit(travel, APPROVE, "6000.00")).get_json()
    cap = Decimal("200000.00")
    assert customer_exposure(db_session, ref, "sandbox", cap).outstanding == Decimal("9999.00")
    db_session.execute(
        update(Application)
        .where(Application.id == first["id"])
        .values(status="funded", outstanding_principal=Decimal("2500.50"))
    )
    db_session.execute(
        update(Application).where(Application.id == second["id"]).values(status="declined")
    )
    exposure = customer_exposure(db_session, ref, "sandbox", cap)
    assert exposure.outstanding == Decimal("2500.50")
    assert exposure.headroom == Decimal("197499.50")
    assert customer_exposure(db_session, ref, "live", cap).outstanding == Decimal("0.00")
    assert partner_outstanding(db_session, "demo-mall", "sandbox") == Decimal("2500.50")


def test_prequalification_offers_only_the_headroom_and_acceptance_rechecks(
    app: Flask, partner_api: Any, db_session: Session
) -> None:
    use_rules(app, cap="10000.00")
    mall, travel = partner_api("demo-mall"), partner_api("demo-travel")
    number = good_customer(app, db_session, 50)
    early = _offer_and_credit(travel, number, "8000.00")  # before anything was accepted
    assert accept(mall, *_offer_and_credit(mall, number, "3999.00")).status_code == 201
    late = prequalify(travel, number, "8000.00").get_json()
    assert late["status"] == "partially_approved"
    assert late["approved_amount"] == "6000.00"  # 10,000 - 3,999, in whole hundreds
    assert late["reasons"][0]["code"] == "exposure_limit"
    assert {o["principal"] for o in late["offers"]} == {"6000.00"}
    refused = accept(travel, *early)
    assert refused.status_code == 409
    problem = refused.get_json()
    assert problem["code"] == "exposure_limit"
    assert "3999" not in problem["detail"]  # nothing about the customer's other credit
    [hit] = db_session.scalars(select(RiskHit).where(RiskHit.rule == "exposure_cap"))
    assert "headroom 6001.00" in hit.detail
    tiny = prequalify(mall, number, "9000.00").get_json()
    assert tiny["status"] == "partially_approved" and tiny["approved_amount"] == "6000.00"


def test_below_the_product_minimum_the_headroom_declines(
    app: Flask, partner_api: Any, db_session: Session
) -> None:
    use_rules(app, cap="4300.00")
    mall = partner_api("demo-mall")
    number = good_customer(app, db_session, 51)
    assert accept(mall, *_offer_and_credit(mall, number, "3999.00")).status_code == 201
    answer = prequalify(mall, number, "2000.00").get_json()
    assert answer["status"] == "declined"
    assert [r["code"] for r in answer["reasons"]] == ["exposure_limit"]


def test_a_partner_past_its_limit_declines_new_prequalifications(
    app: Flask, partner_api: Any, db_session: Session
) -> None:
    loaded = load_directory(DEMO_PARTNERS)
    limited = loaded.configs["demo-mall"].model_copy(
        update={"limits": Limits(max_outstanding=Decimal("3000.00"))}
    )
    partners.apply(db_session, {"demo-mall": limited})
    db_session.commit()
    mall = partner_api("demo-mall")
    assert accept(mall, *_offer_and_credit(mall, APPROVE, "3999.00")).status_code == 201
    answer = prequalify(mall, "+8613800000004").get_json()
    assert answer["status"] == "declined"
    assert [r["code"] for r in answer["reasons"]] == ["partner_limit_reached"]
    assert "3999" not in answer["reasons"][0]["message"]
    [hit] = db_session.scalars(select(RiskHit).where(RiskHit.rule == "partner_limit"))
    assert "3999.00" in hit.detail and "3000.00" in hit.detail  # the detail is for staff
    registry = app.extensions["gateway.metrics"].registry
    labels = {"partner": "demo-mall", "environment": "sandbox"}
    assert registry.get_sample_value("gateway_partner_outstanding_principal", labels) == 3999.0
    metrics = app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert b"gateway_partner_outstanding_principal" in metrics.data
    other = prequalify(partner_api("demo-travel"), APPROVE).get_json()
    assert other["status"] == "approved"  # another partner is not limited


def test_sandbox_personas_for_the_exposure_and_velocity_outcomes(partner_api: Any) -> None:
    mall = partner_api("demo-mall")
    limited = prequalify(mall, "+8613800000007", "3999.00").get_json()
    assert limited["status"] == "partially_approved"
    assert limited["approved_amount"] == "2000.00"
    assert limited["reasons"][0]["code"] == "exposure_limit"
    small = prequalify(mall, "+8613800000007", "1500.00").get_json()
    assert small["status"] == "approved"
    referred = prequalify(mall, "+8613800000008").get_json()
    assert referred["status"] == "referred"
    assert referred["reasons"][0]["code"] == "risk_velocity"


def test_an_amount_above_the_global_cap_is_422_naming_scenario_amount(partner_api: Any) -> None:
    response = prequalify(partner_api("demo-mall"), APPROVE, "200000.01")
    assert response.status_code == 422
    problem = response.get_json()
    assert any(e["field"] == "scenario.amount" for e in problem["errors"]), problem
    assert "200000.00" in response.get_data(as_text=True)
    at_cap = prequalify(partner_api("demo-mall"), APPROVE, "200000.00")
    assert at_cap.status_code == 201  # the product's maximum declines it, not the schema
