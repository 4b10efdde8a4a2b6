"""The delivery worker: send due events, sign each attempt, back off, dead-letter.

Each event is claimed in its own short transaction with
``SELECT … FOR UPDATE SKIP LOCKED``: many workers run side by side on
PostgreSQL and never send one event twice at the same time (on SQLite,
which has no row locks, run one worker). The HTTP request is made while the
row is held, and the outcome is committed right after. A worker killed
between sending and committing leaves the event pending, so it is sent again:
delivery is at least once, and every attempt carries the same ``webhook-id``
for receivers to drop repeats.

Failures back off exponentially with jitter (30 s, 1 min, 2 min … capped at
6 h, each between half and all of that) for up to three days after the event;
the attempt at the three-day mark is the last, then the event is dead-lettered
until ``gateway webhooks replay`` makes it pending again.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.db import Database
from gateway.errors import NotFound
from gateway.webhooks import secrets, signing
from gateway.webhooks.models import WebhookAttempt, WebhookEvent
from gateway.webhooks.outbox import RETRY_WINDOW

FIRST_RETRY = dt.timedelta(seconds=30)
MAX_RETRY = dt.timedelta(hours=6)
TIMEOUT = httpx.Timeout(5.0, connect=2.0)
USER_AGENT = "instalments-gateway-webhooks/1"


def backoff(failures: int, rng: random.Random | None = None) -> dt.timedelta:
    """The wait after the ``failures``-th failed attempt: exponential, capped, jittered.

    "Equal jitter": between half and all of ``30 s × 2^(failures-1)`` (at most
    6 h), so retries of many events do not arrive in step.
    """
    ceiling = min(FIRST_RETRY * (1 << min(max(failures - 1, 0), 20)), MAX_RETRY)
    factor: float = (rng or random).uniform(0.5, 1.0)
    return ceiling * factor


@dataclass
class Report:
    """What one run of the worker did."""

    delivered: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    dead: list[str] = field(default_factory=list)

    @property
    def attempts(self) -> int:
        """How many attempts were made."""
        return len(self.delivered) + len(self.retrying) + len(self.dead)


class EventNotFound(NotFound):
    """No such webhook event."""

    code = "webhook_event_not_found"


def _claim(session: Session, now: dt.datetime) -> WebhookEvent | None:
    return session.scalars(
        select(WebhookEvent)
        .where(WebhookEvent.status == "pending", WebhookEvent.next_attempt_at <= now)
        .order_by(WebhookEvent.next_attempt_at, WebhookEvent.created_at)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()


def _endpoint(session: Session, event: WebhookEvent) -> str | None:
    from gateway.partners.services import get_partner

    config = get_partner(session, event.partner_id).config.environment(event.environment)
    return str(config.webhook_url) if config and config.webhook_url else None


def _send(
    http: httpx.Client, url: str, keys: secrets.SigningKeys, event: WebhookEvent, now: dt.datetime
) -> tuple[int | None, str | None]:
    body = event.body.encode()
    headers = signing.headers(keys.keys, event.id, int(now.timestamp()), body)
    headers |= {"content-type": "application/json", "user-agent": USER_AGENT}
    try:
        response = http.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}"


def attempt(
    session: Session,
    event: WebhookEvent,
    *,
    http: httpx.Client,
    secret_key: str,
    now: dt.datetime,
    rng: random.Random | None = None,
) -> str:
    """Make one attempt at a claimed event and record it (the caller commits).

    Returns:
        The event's status afterwards: ``delivered``, ``pending`` or ``dead``.
    """
    started = time.monotonic()
    url = _endpoint(session, event)
    keys = secrets.signing_keys(session, secret_key, event.partner_id, event.environment, now)
    status_code: int | None = None
    error: str | None
    if url is None:
        error = "no webhook_url configured for this environment"
    elif keys is None:
        error = "no webhook secret issued (gateway webhooks secret)"
    else:
        status_code, error = _send(http, url, keys, event, now)
    event.attempts += 1
    session.add(
        WebhookAttempt(
            event_id=event.id,
            number=event.attempts,
            attempted_at=now,
            url=url,
            status_code=status_code,
            duration_ms=int((time.monotonic() - started) * 1000),
            outcome="delivered" if error is None else "failed",
            error=error,
        )
    )
    if error is None:
        event.status = "delivered"
        event.delivered_at = now
        event.last_error = None
    elif now >= event.retry_until:
        event.status = "dead"
        event.dead_at = now
        event.last_error = error
    else:
        retry_at = now + backoff(event.attempts, rng)
        event.next_attempt_at = min(retry_at, event.retry_until)
        event.last_error = error
    session.flush()
    return event.status


def deliver_due(
    database: Database,
    *,
    secret_key: str,
    http: httpx.Client,
    clock: Callable[[], dt.datetime] = utcnow,
    limit: int = 100,
    rng: random.Random | None = None,
) -> Report:
    """Attempt every due event (up to ``limit``), one transaction each.

    Args:
        database: where the outbox lives.
        secret_key: ``Settings.secret_key`` (unseals the signing secrets).
        http: the client deliveries go through (short timeouts).
        clock: the current time (tests inject one to skip days).
        limit: at most this many attempts in this run.
        rng: randomness of the jitter (tests).

    Returns:
        The ids delivered, still retrying and dead-lettered in this run.
    """
    report = Report()
    for _ in range(limit):
        with database.new_session() as db:
            now = clock()
            event = _claim(db, now)
            if event is None:
                return report
            status = attempt(db, event, http=http, secret_key=secret_key, now=now, rng=rng)
            event_id = event.id
            db.commit()
        {"delivered": report.delivered, "pending": report.retrying, "dead": report.dead}[
            status
        ].append(event_id)
    return report


def replay(session: Session, event_id: str, *, now: dt.datetime | None = None) -> WebhookEvent:
    """Make an event (usually dead-lettered) due again at once; same id, same body.

    Raises:
        EventNotFound: no such event.
    """
    event = session.scalars(
        select(WebhookEvent).where(WebhookEvent.id == event_id).with_for_update()
    ).first()
    if event is None:
        raise EventNotFound(f"no webhook event {event_id!r}")
    now = now or utcnow()
    event.status = "pending"
    event.next_attempt_at = now
    event.dead_at = None
    event.retry_until = now + RETRY_WINDOW  # a replay gets a fresh window of retries
    session.flush()
    return event
