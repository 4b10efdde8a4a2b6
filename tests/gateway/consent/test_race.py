"""Revocation racing prequalification on both backends (threads, real commits).

On PostgreSQL the prequalification holds the consent row (``FOR SHARE``)
while it decides and the revocation takes it ``FOR UPDATE``; on SQLite the
decision is drafted in a read snapshot and its write transaction re-checks
the consent under the single write lock. Whichever commits first, no open
offer may survive relying on a revoked consent.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.consent.models import Consent
from gateway.offers.models import Offer
from tests.gateway.prequal.test_views import grant, prequal_body

ROUNDS = 8
PREQUALS_PER_ROUND = 3


@pytest.mark.committing
def test_revocation_racing_prequalification_never_leaves_an_open_offer(
    app: Flask, partner_api: Any, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    headers = api.headers()
    phones = [f"+86139000{i:05d}" for i in range(ROUNDS)]
    consents = [grant(api, phone) for phone in phones]
    outcomes: list[int] = []
    lock = threading.Lock()

    def prequalify(consent_id: str, phone: str, barrier: threading.Barrier) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(
            "/v1/prequalifications", json=prequal_body(consent_id, phone), headers=headers
        )
        with lock:
            outcomes.append(response.status_code)

    def revoke(consent_id: str, barrier: threading.Barrier) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(f"/v1/consents/{consent_id}/revoke", headers=headers)
        assert response.status_code == 200

    for consent_id, phone in zip(consents, phones, strict=True):
        barrier = threading.Barrier(PREQUALS_PER_ROUND + 1)
        threads = [
            threading.Thread(target=prequalify, args=(consent_id, phone, barrier))
            for _ in range(PREQUALS_PER_ROUND)
        ]
        threads.append(threading.Thread(target=revoke, args=(consent_id, barrier)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert set(outcomes) <= {201, 403}, outcomes
    db_session.expire_all()
    revoked = db_session.scalars(select(Consent).where(Consent.id.in_(consents))).all()
    assert {c.status for c in revoked} == {"revoked"}
    open_offers = db_session.scalars(
        select(Offer).where(Offer.consent_id.in_(consents), Offer.status == "open")
    ).all()
    assert open_offers == []
    # Offers that were issued before the revocation exist and are void: the race was real.
    issued = db_session.scalars(select(Offer).where(Offer.consent_id.in_(consents))).all()
    assert all(o.status == "void" for o in issued)
