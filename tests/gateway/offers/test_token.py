"""Acceptance 2: a decision token verifies against JWKS with joserfc; a changed term is refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from joserfc import jws
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet

from tests.gateway.offers.flow import accept, approved_offer
from tests.gateway.offers.test_acceptance import _claims, _tamper


@pytest.mark.parametrize(
    ("term", "value"),
    [
        ("principal", "3998.00"),
        ("apr", "0.0100"),
        ("tenor_months", 7),
        ("monthly_payment", "1.00"),
        ("total_repayable", "3999.00"),
        ("schedule_hash", "sha256:" + "0" * 64),
    ],
)
def test_decision_token_verifies_with_joserfc_and_a_changed_term_is_refused(
    client: FlaskClient, partner_api: Any, term: str, value: Any
) -> None:
    api = partner_api("demo-mall")
    offer, credit = approved_offer(api)
    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").get_json())
    verified = jws.deserialize_compact(offer["decision_token"], keys, algorithms=["ES256"])
    assert json.loads(verified.payload)["offers"][0]["id"] == offer["id"]

    entries = _claims(offer["decision_token"])["offers"]
    entries[0][term] = value
    forged = _tamper(offer["decision_token"], offers=entries)
    with pytest.raises(BadSignatureError):
        jws.deserialize_compact(forged, keys, algorithms=["ES256"])
    response = accept(api, dict(offer, decision_token=forged), credit)
    assert response.status_code == 400
    assert response.get_json()["code"] == "decision_token_mismatch"
    assert accept(api, offer, credit).status_code == 201
