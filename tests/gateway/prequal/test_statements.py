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

# (statements, round trips) per request, for an approved customer (offers).
# SQLite: the token's snapshot (BEGIN, state), the decision's snapshot (BEGIN,
# the folded read, campaign entry, signing key), the write (BEGIN IMMEDIATE,
# the consent and 30-day re-check, 2 inserts, 3 audit, 1 risk observation).
# PostgreSQL: one transaction, no re-check (the first read holds the consent
# FOR SHARE), 2 audit statements (the head moves in the entry's INSERT); its
# round trips add BEGIN and COMMIT (pings are not counted here).
# A persona skips the campaign entry; an Idempotency-Key adds the claim
# (its own transaction) and the completion.
PINNED = {
    ("sqlite", "model"): (14, 17),
    ("sqlite", "persona"): (13, 16),
    ("sqlite", "model+idempotency"): (17, 21),
    ("postgresql", "model"): (9, 11),
    ("postgresql", "persona"): (8, 10),
    ("postgresql", "model+idempotency"): (11, 17),
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
    # Pings are left out: a connection idle a second is pinged, and a slow
    # test machine may pause that long (tests/gateway/test_db_pool.py pins them).
    found = (len(counted.statements), counted.round_trips - counted.pings)
    assert found == PINNED[(backend, case)], "\n".join(counted.statements)
