"""Acceptance 3: retries with the same webhook-id, backoff, dead-letter after 3 days, replay."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from typing import Any

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.webhooks import delivery, outbox, secrets, signing
from gateway.webhooks.models import WebhookAttempt, WebhookEvent
from tests.gateway.webhooks.receiver import Receiver, free_port, point_partner_at, running

START = dt.datetime(2026, 11, 21, 6, 0, tzinfo=dt.UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def _emit(db: Session, count: int, resources: int = 3) -> list[str]:
    ids = []
    for i in range(count):
        event = outbox.emit(
            db,
            "application.approved",
            partner_id="demo-mall",
            environment="sandbox",
            resource_id=f"app_resource{i % resources}",
            obj={"id": f"app_resource{i % resources}", "n": i},
            now=START,
        )
        ids.append(event.id)
    db.commit()
    return ids


def _run_until_settled(app: Flask, clock: Clock, secret_key: str, rounds: int = 200) -> int:
    """Run the worker, jumping the clock to the next due attempt, until nothing is pending."""
    database = app.extensions["gateway.db"]
    with httpx.Client(timeout=delivery.TIMEOUT) as http:
        for n in range(rounds):
            delivery.deliver_due(
                database, secret_key=secret_key, http=http, clock=clock, rng=random.Random(n)
            )
            with database.new_session() as db:
                due = db.scalar(
                    select(WebhookEvent.next_attempt_at)
                    .where(WebhookEvent.status == "pending")
                    .order_by(WebhookEvent.next_attempt_at)
                    .limit(1)
                )
            if due is None:
                return n
            clock.now = max(clock.now, due)
    raise AssertionError("deliveries did not settle")


@pytest.fixture
def secret(db_session: Session, demo_partners: list[str], settings: Any) -> str:
    value = secrets.issue(
        db_session, settings.secret_key, "demo-mall", "sandbox", actor="test", now=START
    )
    db_session.commit()
    return value


def test_every_event_is_delivered_once_the_receiver_is_back_with_the_same_id(
    app: Flask, db_session: Session, secret: str, settings: Any
) -> None:
    with running(Receiver(fail_first=7)) as receiver:
        point_partner_at(db_session, "demo-mall", receiver.url)
        ids = _emit(db_session, 5)
        _run_until_settled(app, Clock(START), settings.secret_key)
    assert sorted(receiver.delivered_ids()) == sorted(ids)  # each exactly once
    assert len(receiver.requests) == 5 + 7
    for event_id in ids:
        seen = [r for r in receiver.requests if r.headers["webhook-id"] == event_id]
        assert len({r.body for r in seen}) == 1
        for request in seen:
            assert signing.verify(secret, request.headers, request.body)
        payload = json.loads(seen[0].body)
        assert payload["id"] == event_id
        assert set(payload) == {"id", "type", "created_at", "sequence", "data"}
    sequences = [json.loads(r.body)["sequence"] for r in receiver.requests if r.status < 300]
    assert sorted(sequences) == [1, 1, 1, 2, 2]
    logged = db_session.scalars(select(WebhookAttempt)).all()
    assert len(logged) == len(receiver.requests)
    assert {a.outcome for a in logged} == {"delivered", "failed"}


def test_a_receiver_that_refuses_connections_gets_every_event_once_it_listens(
    app: Flask, db_session: Session, secret: str, settings: Any
) -> None:
    port = free_port()
    point_partner_at(db_session, "demo-mall", f"http://127.0.0.1:{port}/webhooks")
    ids = _emit(db_session, 3)
    clock = Clock(START)
    database = app.extensions["gateway.db"]
    with httpx.Client(timeout=delivery.TIMEOUT) as http:
        for n in range(4):  # down: every attempt is refused
            delivery.deliver_due(
                database,
                secret_key=settings.secret_key,
                http=http,
                clock=clock,
                rng=random.Random(n),
            )
            clock.now += dt.timedelta(hours=1)
    db_session.expire_all()
    refused = db_session.scalars(select(WebhookAttempt)).all()
    assert len(refused) == 12 and all(a.status_code is None for a in refused)
    assert all("ConnectError" in (a.error or "") for a in refused)
    with running(Receiver(), port=port) as receiver:
        _run_until_settled(app, clock, settings.secret_key)
    assert sorted(receiver.delivered_ids()) == sorted(ids)
    assert len(receiver.requests) == 3


def test_retries_back_off_exponentially_with_jitter() -> None:
    rng = random.Random(7)
    waits = [delivery.backoff(n, rng).total_seconds() for n in range(1, 12)]
    for n, wait in enumerate(waits, start=1):
        ceiling = min(30 * 2 ** (n - 1), 6 * 3600)
        assert ceiling / 2 <= wait <= ceiling
    assert len({round(w) for w in waits}) == len(waits)


def test_after_three_days_of_failure_it_is_dead_lettered_and_replay_delivers_it(
    app: Flask, db_session: Session, secret: str, settings: Any, runner: FlaskCliRunner
) -> None:
    receiver = Receiver(always_fail=True)
    with running(receiver):
        point_partner_at(db_session, "demo-mall", receiver.url)
        [event_id] = _emit(db_session, 1)
        clock = Clock(START)
        _run_until_settled(app, clock, settings.secret_key)
        db_session.expire_all()
        event = db_session.get(WebhookEvent, event_id)
        assert event is not None and event.status == "dead"
        assert event.dead_at == START + dt.timedelta(days=3)
        attempts = db_session.scalars(
            select(WebhookAttempt.attempted_at)
            .where(WebhookAttempt.event_id == event_id)
            .order_by(WebhookAttempt.number)
        ).all()
        assert attempts[-1] - attempts[0] == dt.timedelta(days=3)
        assert 15 <= len(attempts) <= 30
        gaps = [b - a for a, b in itertools.pairwise(attempts)]
        assert gaps[0] < gaps[3] < gaps[6]

        listed = runner.invoke(args=["webhooks", "list", "--status", "dead", "--json"])
        assert [e["id"] for e in json.loads(listed.output)["data"]] == [event_id]
        receiver.always_fail = False
        result = runner.invoke(args=["webhooks", "replay", event_id])
        assert result.exit_code == 0, result.output
        clock.now += dt.timedelta(minutes=1)
        _run_until_settled(app, clock, settings.secret_key)
    assert receiver.delivered_ids() == [event_id]
    assert {r.headers["webhook-id"] for r in receiver.requests} == {event_id}
    db_session.expire_all()
    assert db_session.get(WebhookEvent, event_id).status == "delivered"  # type: ignore[union-attr]
    shown = runner.invoke(args=["webhooks", "attempts", event_id, "--json"])
    assert json.loads(shown.output)["data"][-1]["outcome"] == "delivered"


def test_replay_of_an_unknown_event_fails_with_exit_1(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["webhooks", "replay", "evt_nope"])
    assert result.exit_code == 1


def test_without_a_secret_nothing_is_sent_and_the_event_waits(
    app: Flask, db_session: Session, demo_partners: list[str], settings: Any
) -> None:
    with running(Receiver()) as receiver:
        point_partner_at(db_session, "demo-mall", receiver.url)
        [event_id] = _emit(db_session, 1)
        with httpx.Client() as http:
            delivery.deliver_due(
                app.extensions["gateway.db"],
                secret_key=settings.secret_key,
                http=http,
                clock=Clock(START),
            )
    assert receiver.requests == []
    db_session.expire_all()
    event = db_session.get(WebhookEvent, event_id)
    assert event is not None and event.status == "pending"
    assert "secret" in (event.last_error or "")
