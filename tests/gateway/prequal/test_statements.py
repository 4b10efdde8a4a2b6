"""The statements and round trips of one prequalification, pinned per backend.

The hot path's database work is counted with :func:`gateway.db.counting`
(``before_cursor_execute``, the pool's pings, ended transactions), on a
committing app so the count is production's, not the test's savepoints. A
change that adds a statement fails here: if it is worth its cost, raise the
pin in the same commit and say why (docs/performance.md keeps the figures).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from gateway.db.counting import counting
from tests.gateway.prequal.test_views import APPROVE, grant, prequal_body

pytestmark = pytest.mark.committing

MODEL_SCORED = "+8613912345678"  # no persona: the model scores a synthetic profile

# (statements, round trips) per request, for an approved customer (offers);
# a persona skips the campaign entry; an Idempotency-Key adds the claim (its
# own transaction) and the completion. PostgreSQL's round trips add the
# pool's ping, BEGIN and COMMIT to the statements.
PINNED = {
    ("sqlite", "model"): (19, 22),
    ("sqlite", "persona"): (14, 17),
    ("sqlite", "model+idempotency"): (24, 28),
    ("postgresql", "model"): (14, 17),
    ("postgresql", "persona"): (10, 13),
    ("postgresql", "model+idempotency"): (18, 25),
}


def _count(app: Flask, api: Any, phone: str, headers: dict[str, str] | None = None) -> Any:
    consent_id = grant(api, phone)
    body = prequal_body(consent_id, phone)
    api.post("/v1/prequalifications", json=body)  # warm: token, partner config, signing key
    engine = app.extensions["gateway.db"].engine
    with counting(engine) as counted:
        response = api.post("/v1/prequalifications", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return counted


@pytest.mark.parametrize("case", ["model", "persona", "model+idempotency"])
def test_a_prequalification_runs_the_pinned_statements(
    app: Flask, partner_api: Any, backend: str, case: str
) -> None:
    api = partner_api("demo-mall")
    phone = APPROVE if case == "persona" else MODEL_SCORED
    headers = {"Idempotency-Key": "statements-1"} if "idempotency" in case else None
    counted = _count(app, api, phone, headers)
    found = (len(counted.statements), counted.round_trips)
    assert found == PINNED[(backend, case)], "\n".join(counted.statements)
