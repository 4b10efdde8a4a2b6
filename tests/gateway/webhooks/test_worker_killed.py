"""Acceptance 4: killing the delivery worker mid-run loses no event (at least once)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.webhooks import outbox, secrets
from gateway.webhooks.models import WebhookEvent
from tests.gateway.webhooks.receiver import Receiver, point_partner_at, running

EVENTS = 30
ROOT = Path(__file__).resolve().parents[3]


def _worker(settings: Any, *args: str) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        GATEWAY_ENV="test",
        GATEWAY_DATABASE_URL=settings.database_url,
        GATEWAY_SECRET_KEY=settings.secret_key,
        GATEWAY_IDENTIFIER_PEPPER=settings.identifier_pepper,
        GATEWAY_INSTANCE_PATH=str(settings.instance_path),
        GATEWAY_PARTNER_CONFIGS=str(settings.partner_configs),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "gateway", "webhooks", "deliver", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.committing
def test_killing_the_worker_mid_delivery_loses_no_event(
    db_session: Session, demo_partners: list[str], settings: Any
) -> None:
    secrets.issue(db_session, settings.secret_key, "demo-mall", "sandbox", actor="test")
    ids = [
        outbox.emit(
            db_session,
            "application.funded",
            partner_id="demo-mall",
            environment="sandbox",
            resource_id=f"app_{i}",
            obj={"id": f"app_{i}"},
        ).id
        for i in range(EVENTS)
    ]
    db_session.commit()
    receiver = Receiver(hold=0.3)
    with running(receiver):
        point_partner_at(db_session, "demo-mall", receiver.url)
        worker = _worker(settings, "--interval", "0.1")
        for _ in range(8):  # let it deliver a few, then catch it holding a request open
            assert receiver.arrived.acquire(timeout=60), "the worker delivers nothing"
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=10)
        in_flight = receiver.requests[-1].headers["webhook-id"]
        db_session.expire_all()
        assert db_session.get(WebhookEvent, in_flight).status == "pending"  # type: ignore[union-attr]
        db_session.rollback()  # on SQLite an open transaction would hold the write lock

        receiver.hold = 0
        again = _worker(settings, "--once")
        _out, err = again.communicate(timeout=120)
        assert again.returncode == 0, err.decode()
    received = receiver.delivered_ids()
    assert set(received) == set(ids)
    assert received.count(in_flight) == 2  # sent again after the kill: at least once
    db_session.expire_all()
    statuses = db_session.execute(
        select(WebhookEvent.status, func.count()).group_by(WebhookEvent.status)
    ).all()
    assert dict(statuses) == {"delivered": EVENTS}
