"""Acceptance 1: two partners accept for one customer at the same moment, over the cap.

Real commits on PostgreSQL, one thread and one connection per partner: the
customer's advisory lock makes the second acceptance wait for the first and
re-read the exposure, so exactly one succeeds and the other is
``409 exposure_limit``; the next prequalification offers only the headroom.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from tests.gateway.prequal.test_views import grant
from tests.gateway.risk.helpers import good_customer, prequalify, use_rules

pytestmark = [pytest.mark.postgresql_only, pytest.mark.committing]

ROUNDS = 3


def _offer(api: Any, number: str, amount: str) -> dict[str, Any]:
    body = prequalify(api, number, amount).get_json()
    assert body["status"] == "approved", body
    # The best offer, carrying its decision's token to accept it with.
    offer: dict[str, Any] = dict(body["offers"][0], decision_token=body["decision_token"])
    return offer


def _race(app: Flask, attempts: list[tuple[Any, dict[str, Any], str]]) -> list[Any]:
    barrier = threading.Barrier(len(attempts))
    results: list[Any] = [None] * len(attempts)

    def worker(i: int) -> None:
        api, offer, credit = attempts[i]
        client = app.test_client()
        headers = api.headers()
        barrier.wait()
        results[i] = client.post(
            f"/v1/offers/{offer['id']}/accept",
            json={"decision_token": offer["decision_token"], "credit_inquiry_consent_id": credit},
            headers=headers,
        )

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_partners_accepting_at_once_over_the_cap_exactly_one_succeeds(
    app: Flask, partner_api: Any, db_session: Session, round_: int
) -> None:
    use_rules(app, cap="150000.00")
    travel, academy = partner_api("demo-travel"), partner_api("demo-academy")
    number = good_customer(app, db_session, 60 + round_)
    # Each fits under the cap alone (80,000 and 90,000); together they do not.
    attempts = [
        (travel, _offer(travel, number, "80000.00"), grant(travel, number, "credit_inquiry")),
        (academy, _offer(academy, number, "90000.00"), grant(academy, number, "credit_inquiry")),
    ]
    results = _race(app, attempts)
    statuses = sorted(r.status_code for r in results)
    assert statuses == [201, 409], [r.get_json() for r in results]
    refused = next(r for r in results if r.status_code == 409)
    assert refused.get_json()["code"] == "exposure_limit"
    db_session.expire_all()
    principals = list(db_session.scalars(select(Application.principal)))
    assert len(principals) == 1 and sum(principals) <= 150000
    # Afterwards a prequalification offers only the headroom.
    headroom = 150000 - int(principals[0])
    again = prequalify(academy, number, "90000.00").get_json()
    assert again["status"] == "partially_approved"
    assert again["approved_amount"] == f"{headroom}.00"
    assert again["reasons"][0]["code"] == "exposure_limit"
    count = db_session.scalar(select(func.count()).select_from(Application))
    assert count == 1
