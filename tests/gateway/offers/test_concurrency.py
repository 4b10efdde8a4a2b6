"""Acceptance 1: 20 threads accepting one offer at once make exactly one application.

Real commits on PostgreSQL; each thread calls the WSGI app with its own client,
so each request has its own app context, session and connection.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from tests.gateway.offers.flow import approved_offer

THREADS = 20

pytestmark = [pytest.mark.postgresql_only, pytest.mark.committing]


def _race(app: Flask, api: Any, offer: dict[str, Any], credit: str, key: str | None) -> list[Any]:
    """Fire THREADS acceptances at once; a thread told "in flight" (or rate limited)
    retries, as the SDK does, until it gets an answer."""
    barrier = threading.Barrier(THREADS)
    results: list[Any] = [None] * THREADS
    headers = api.headers({"Idempotency-Key": key} if key else None)
    body = {"decision_token": offer["decision_token"], "credit_inquiry_consent_id": credit}

    def worker(i: int) -> None:
        client = app.test_client()
        barrier.wait()
        for _ in range(200):
            response = client.post(f"/v1/offers/{offer['id']}/accept", json=body, headers=headers)
            code = response.get_json().get("code") if response.status_code >= 400 else None
            if code not in ("idempotency_in_flight", "rate_limited"):
                break
            time.sleep(float(response.headers.get("Retry-After", "0.1")) / 4)
        results[i] = response

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _applications(db_session: Session, offer_id: str) -> int:
    db_session.expire_all()
    return int(
        db_session.scalar(
            select(func.count()).select_from(Application).where(Application.offer_id == offer_id)
        )
        or 0
    )


def test_twenty_concurrent_acceptances_make_one_application(
    app: Flask, partner_api: Any, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    offer, credit = approved_offer(api)
    results = _race(app, api, offer, credit, key=None)
    statuses = sorted(r.status_code for r in results)
    assert statuses == [201] + [409] * (THREADS - 1)
    codes = {r.get_json()["code"] for r in results if r.status_code == 409}
    assert codes == {"offer_already_accepted"}
    assert _applications(db_session, offer["id"]) == 1


def test_twenty_concurrent_retries_with_one_key_replay_the_first_response_byte_for_byte(
    app: Flask, partner_api: Any, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    offer, credit = approved_offer(api)
    results = _race(app, api, offer, credit, key="accept-race-1")
    assert {r.status_code for r in results} == {201}
    bodies = {r.get_data() for r in results}
    assert len(bodies) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in results) == THREADS - 1
    assert _applications(db_session, offer["id"]) == 1
    later = api.post(
        f"/v1/offers/{offer['id']}/accept",
        json={"decision_token": offer["decision_token"], "credit_inquiry_consent_id": credit},
        headers={"Idempotency-Key": "accept-race-1"},
    )
    assert later.get_data() == bodies.pop()
