"""Several delivery workers side by side on PostgreSQL never send one event twice."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from flask import Flask
from sqlalchemy.orm import Session

from gateway.webhooks import delivery, outbox, secrets
from tests.gateway.webhooks.receiver import Receiver, point_partner_at, running


@pytest.mark.postgresql_only
@pytest.mark.committing
def test_four_workers_deliver_each_event_exactly_once(
    app: Flask, db_session: Session, demo_partners: list[str], settings: Any
) -> None:
    secrets.issue(db_session, settings.secret_key, "demo-mall", "sandbox", actor="test")
    ids = [
        outbox.emit(
            db_session,
            "application.approved",
            partner_id="demo-mall",
            environment="sandbox",
            resource_id=f"app_{i}",
            obj={"id": f"app_{i}"},
        ).id
        for i in range(60)
    ]
    db_session.commit()
    with running(Receiver(hold=0.01)) as receiver:
        point_partner_at(db_session, "demo-mall", receiver.url)
        reports: list[delivery.Report] = []

        def work() -> None:
            with httpx.Client(timeout=delivery.TIMEOUT) as http:
                reports.append(
                    delivery.deliver_due(
                        app.extensions["gateway.db"], secret_key=settings.secret_key, http=http
                    )
                )

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert sorted(receiver.delivered_ids()) == sorted(ids)
    assert sum(len(r.delivered) for r in reports) == len(ids)
    assert sum(1 for r in reports if r.delivered) >= 2  # the work was actually shared
