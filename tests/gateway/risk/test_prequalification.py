"""The rules at prequalification, end to end: each in both modes, the burst across partners."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.audit.models import AuditEntry
from gateway.risk.models import RiskHit, RiskObservation
from tests.gateway.risk.helpers import (
    good_customer,
    hits_counted,
    id_number,
    prequalify,
    rule,
    use_rules,
)

PARTNERS = ("demo-mall", "demo-travel", "demo-academy")


def _hits(db: Session, name: str) -> list[RiskHit]:
    db.expire_all()
    return list(db.scalars(select(RiskHit).where(RiskHit.rule == name)))


@pytest.mark.parametrize("mode", ["enforce", "monitor"])
def test_a_burst_across_three_partners_triggers_the_velocity_rule(
    app: Flask, partner_api: Any, db_session: Session, mode: str
) -> None:
    use_rules(app, rule("customer_velocity", mode, threshold=2))
    number = good_customer(app, db_session, 1)
    answers = [prequalify(partner_api(p), number).get_json() for p in PARTNERS]
    assert [a["status"] for a in answers[:2]] == ["approved", "approved"], answers
    if mode == "enforce":
        assert answers[2]["status"] == "referred"
        assert answers[2]["reasons"][0]["code"] == "risk_velocity"
        assert answers[2]["offers"] == []
    else:  # counted and logged, the decision unchanged
        assert answers[2]["status"] == "approved" and answers[2]["offers"]
        assert all(r["code"] != "risk_velocity" for r in answers[2]["reasons"])
    [hit] = _hits(db_session, "customer_velocity")
    assert (hit.mode, hit.partner_id, hit.subject) == (mode, "demo-academy", answers[2]["id"])
    assert "3 prequalifications across partners in 1h" in hit.detail
    assert hits_counted(app, "customer_velocity", mode) == 1
    audited = db_session.scalars(
        select(AuditEntry).where(AuditEntry.action == "risk.rule_hit")
    ).one()
    assert audited.subject == answers[2]["id"] and audited.data["mode"] == mode


@pytest.mark.parametrize("mode", ["enforce", "monitor"])
def test_a_fourth_phone_for_one_id_number(
    app: Flask, partner_api: Any, db_session: Session, mode: str
) -> None:
    use_rules(app, rule("phones_per_id_number", mode, threshold=3, hours=24 * 30))
    api = partner_api("demo-mall")
    shared = id_number(7)
    phones = [good_customer(app, db_session, 10 + i) for i in range(4)]
    statuses = [prequalify(api, p, id_number=shared).get_json()["status"] for p in phones]
    again = prequalify(api, phones[0], id_number=shared).get_json()  # a phone seen before
    expected_last = "referred" if mode == "enforce" else "approved"
    assert statuses == ["approved"] * 3 + [expected_last]
    assert again["status"] == expected_last  # still four phones in the window
    assert [h.mode for h in _hits(db_session, "phones_per_id_number")] == [mode, mode]
    assert hits_counted(app, "phones_per_id_number", mode) == 2


@pytest.mark.parametrize("mode", ["enforce", "monitor"])
def test_an_id_number_that_is_not_the_banks_record_for_the_phone(
    app: Flask, partner_api: Any, db_session: Session, mode: str
) -> None:
    use_rules(app, rule("id_number_mismatch", mode, action="decline"))
    api = partner_api("demo-mall")
    number = good_customer(app, db_session, 20, bank_id_number=id_number(1))
    assert prequalify(api, number, id_number=id_number(1)).get_json()["status"] == "approved"
    other = prequalify(api, number, id_number=id_number(2)).get_json()
    if mode == "enforce":
        assert other["status"] == "declined"
        assert [r["code"] for r in other["reasons"]] == ["risk_identity_mismatch"]
        assert other["human_review"]["available"] is True
    else:
        assert other["status"] == "approved"
    [hit] = _hits(db_session, "id_number_mismatch")
    assert hit.action == "decline" and "bank's record" in hit.detail
    assert hits_counted(app, "id_number_mismatch", mode) == 1


@pytest.mark.parametrize("mode", ["enforce", "monitor"])
def test_many_customers_from_one_device(
    app: Flask, partner_api: Any, db_session: Session, mode: str
) -> None:
    use_rules(app, rule("customers_per_device", mode, threshold=2, hours=24))
    api = partner_api("demo-travel")
    device = {"fingerprint": "fp-7f3a9c2e11d04b", "ip": "198.51.100.23"}
    phones = [good_customer(app, db_session, 30 + i) for i in range(3)]
    answers = [prequalify(api, p, device=device).get_json() for p in phones]
    other_device = prequalify(
        api, good_customer(app, db_session, 40), device={"fingerprint": "fp-another-device"}
    )
    expected = "referred" if mode == "enforce" else "approved"
    assert [a["status"] for a in answers] == ["approved", "approved", expected]
    assert other_device.get_json()["status"] == "approved"
    assert hits_counted(app, "customers_per_device", mode) == 1
    # Hashed on arrival: the fingerprint and IP are nowhere in the table.
    rows = list(db_session.scalars(select(RiskObservation)))
    assert {r.device_hash[:4] for r in rows} == {"dvh_"}
    assert {r.ip_hash for r in rows[:3]} == {rows[0].ip_hash} and rows[0].ip_hash.startswith("iph_")
    flat = repr([(r.device_hash, r.ip_hash) for r in rows])
    assert "fp-7f3a9c2e11d04b" not in flat and "198.51.100.23" not in flat


def test_rules_skip_sandbox_personas_and_the_file_rules_apply_by_default(
    app: Flask, partner_api: Any
) -> None:
    api = partner_api("demo-mall")
    answers = [prequalify(api, "+8613800000001").get_json()["status"] for _ in range(12)]
    assert set(answers) == {"approved"}  # personas' outcomes are forced
    assert hits_counted(app, "customer_velocity", "enforce") == 0


def test_device_must_have_a_fingerprint(partner_api: Any) -> None:
    response = prequalify(partner_api("demo-mall"), "+8613800000001", device={"ip": "10.0.0.1"})
    assert response.status_code == 422
    assert "device.fingerprint" in response.get_data(as_text=True)


def test_staff_read_the_findings_with_their_detail(
    app: Flask, partner_api: Any, db_session: Session
) -> None:
    use_rules(app, rule("customer_velocity", "monitor", threshold=1))
    number = good_customer(app, db_session, 2)
    api = partner_api("demo-mall")
    prequalify(api, number)
    second = prequalify(api, number).get_json()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["risk", "hits", "--subject", second["id"], "--json"])
    assert result.exit_code == 0, result.output
    [line] = result.output.splitlines()
    found = json.loads(line)
    assert (found["rule"], found["mode"], found["reason_code"]) == (
        "customer_velocity",
        "monitor",
        "risk_velocity",
    )
    assert "2 prequalifications" in found["detail"]
    assert runner.invoke(args=["risk", "hits", "--since", "-1d"]).exit_code == 2
