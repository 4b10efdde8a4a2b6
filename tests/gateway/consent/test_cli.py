"""``gateway consents``: revoke and export through the bank's own channel."""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskCliRunner

from tests.gateway.prequal.test_views import grant, prequal_body

PHONE = "+8613912340000"


def test_bank_channel_revocation_blocks_the_next_prequalification(
    partner_api: Any, runner: FlaskCliRunner
) -> None:
    api = partner_api("demo-mall")
    consent_id = grant(api, PHONE)
    result = runner.invoke(args=["consents", "revoke", "--customer", PHONE, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [row["id"] for row in report["revoked"]] == [consent_id]
    response = api.post("/v1/prequalifications", json=prequal_body(consent_id, PHONE))
    assert response.status_code == 403
    assert api.get(f"/v1/consents/{consent_id}").get_json()["status"] == "revoked"


def test_export_lists_every_consent_and_decision_without_raw_identifiers(
    partner_api: Any, runner: FlaskCliRunner
) -> None:
    mall, academy = partner_api("demo-mall"), partner_api("demo-academy")
    consent_id = grant(mall, PHONE)
    pq = mall.post("/v1/prequalifications", json=prequal_body(consent_id, PHONE)).get_json()
    grant(academy, PHONE, "marketing")
    result = runner.invoke(args=["consents", "export", "--customer", PHONE, "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["customer_ref"].startswith("cus_")
    assert {(c["partner_id"], c["purpose"]) for c in document["consents"]} == {
        ("demo-mall", "prequalification"),
        ("demo-academy", "marketing"),
    }
    assert [d["id"] for d in document["decisions"]] == [pq["id"]]
    assert document["decisions"][0]["consent_id"] == consent_id
    assert PHONE[3:] not in result.output


def test_export_by_customer_reference_gives_the_same_document(
    partner_api: Any, runner: FlaskCliRunner
) -> None:
    grant(partner_api("demo-mall"), PHONE)
    by_phone = json.loads(
        runner.invoke(args=["consents", "export", "--customer", PHONE, "--json"]).output
    )
    by_ref = json.loads(
        runner.invoke(
            args=["consents", "export", "--customer", by_phone["customer_ref"], "--json"]
        ).output
    )
    assert by_ref["consents"] == by_phone["consents"]


def test_malformed_customer_is_exit_2_with_one_line(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["consents", "export", "--customer", "not-a-phone"])
    assert result.exit_code == 2
    assert "--customer" in result.output


def test_expire_marks_nothing_when_all_are_current(
    partner_api: Any, runner: FlaskCliRunner
) -> None:
    grant(partner_api("demo-mall"), PHONE)
    result = runner.invoke(args=["consents", "expire", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == {"expired": []}
