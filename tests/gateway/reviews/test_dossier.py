"""``gateway reviews show``: the dossier a reviewer decides on, with no raw identifier."""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from gateway.consent.models import Consent
from tests.gateway.prequal.test_views import REFER, prequalify
from tests.gateway.reviews.flow import case_for, referred

VELOCITY = "+8613800000008"  # sandbox persona: referred by the velocity rule
SCENARIO = {"type": "ecommerce", "amount": "45000.00", "currency": "CNY", "item_category": "x"}


def _show(runner: FlaskCliRunner, case_id: str) -> tuple[dict[str, Any], str]:
    result = runner.invoke(args=["reviews", "show", case_id, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output), result.output


def test_a_referral_dossier_has_decision_rules_affordability_consent_and_audit(
    partner_api: Any, runner: FlaskCliRunner, db_session: Session
) -> None:
    body = referred(partner_api("demo-mall"))
    case = case_for(db_session, body["id"])
    dossier, text = _show(runner, case.id)
    assert dossier["case"]["id"] == case.id and dossier["case"]["kind"] == "referral"
    decision = dossier["decision"]
    assert (decision["status"], decision["grade"], decision["score"]) == ("referred", "E", 560)
    assert decision["pd"] == 0.3 and decision["inputs_hash"].startswith("sha256:")
    assert dossier["inputs"]["scenario"]["amount"] == "3999.00"
    assert dossier["inputs"]["facts_source"] == "sandbox_persona"
    fired = {r["rule"] for r in dossier["policy_rules"] if r["fired"]}
    assert fired == {"referral_band"}
    afford = dossier["affordability"]
    assert afford["capacity"] == "15000.00"  # 30000.00 × 0.50 − 0.00
    assert set(afford["max_principal_by_tenor"]) == {"3", "6", "12", "24"}
    consent = db_session.get(Consent, body["consent_id"])
    assert consent is not None
    assert dossier["consent"]["id"] == consent.id
    assert dossier["consent"]["receipt_id"] == consent.receipt_id
    actions = [entry["action"] for entry in dossier["audit"]]
    assert "prequalification.decided" in actions and "review.opened" in actions
    assert "consent.granted" in actions or any(a.startswith("consent.") for a in actions)
    assert REFER not in text and REFER.removeprefix("+86") not in text


def test_a_model_decision_dossier_recomputes_the_factors(
    partner_api: Any, runner: FlaskCliRunner, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    for n in range(100):  # sandbox phones scored by the model on synthetic profiles
        phone = f"+86139{n:08d}"
        body = prequalify(api, phone, scenario=SCENARIO).get_json()
        if body["status"] in ("declined", "partially_approved"):
            break
    else:
        raise AssertionError("no synthetic customer was declined")
    api.post(f"/v1/prequalifications/{body['id']}/human-review")
    dossier, text = _show(runner, case_for(db_session, body["id"]).id)
    assert dossier["inputs"]["facts_source"] == "synthetic_profile"
    assert "verified_monthly_income" in dossier["inputs"]["facts"]
    model = dossier["model"]
    assert model["matches_decision"] is True and model["score"] == dossier["decision"]["score"]
    assert model["factors"] and {"feature", "reason", "points", "shortfall"} <= set(
        model["factors"][0]
    )
    fired = {r["rule"] for r in dossier["policy_rules"] if r["fired"]}
    codes = {r["code"] for r in dossier["decision"]["reasons"]}
    assert fired - {"referral_band"} <= codes
    assert phone.removeprefix("+86") not in text


def test_showing_an_unknown_case_is_a_clear_error(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["reviews", "show", "rev_missing"])
    assert result.exit_code == 2 and "review_not_found" in result.output


def test_a_velocity_referral_shows_the_risk_rule_that_referred_it(
    partner_api: Any, runner: FlaskCliRunner, db_session: Session
) -> None:
    body = prequalify(partner_api("demo-mall"), VELOCITY).get_json()
    assert body["status"] == "referred", body
    dossier, _ = _show(runner, case_for(db_session, body["id"]).id)
    assert dossier["case"]["kind"] == "referral"
    assert [hit["rule"] for hit in dossier["risk_rules"] if hit["action"] == "refer"]
