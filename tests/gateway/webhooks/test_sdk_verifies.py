"""A real delivery of a real application event verifies and parses with the partner SDK."""

from __future__ import annotations

from typing import Any

import httpx
from flask import Flask
from sqlalchemy.orm import Session

from gateway.webhooks import delivery, secrets
from tests.gateway.applications.flow import accepted, underwrite
from tests.gateway.webhooks.receiver import Receiver, point_partner_at, running


def test_the_sdk_verifies_and_types_what_the_worker_sends(
    app: Flask, partner_api: Any, db_session: Session, settings: Any
) -> None:
    from instalments import webhooks

    secret = secrets.issue(db_session, settings.secret_key, "demo-mall", "sandbox", actor="test")
    db_session.commit()
    api = partner_api("demo-mall")
    _, application = accepted(api)
    underwrite(app)
    with running(Receiver()) as receiver:
        point_partner_at(db_session, "demo-mall", receiver.url)
        with httpx.Client(timeout=delivery.TIMEOUT) as http:
            delivery.deliver_due(
                app.extensions["gateway.db"], secret_key=settings.secret_key, http=http
            )
    events = [webhooks.verify(r.body, r.headers, secret) for r in receiver.requests]
    assert [(e.type, e.sequence) for e in events] == [
        ("application.submitted", 1),
        ("application.approved", 2),
    ]
    assert all(isinstance(e, webhooks.ApplicationEvent) for e in events)
    assert events[1].data.object.id == application["id"]  # type: ignore[union-attr]
    assert events[1].data.object.status == "approved"  # type: ignore[union-attr]
