"""``POST /v1/webhook-endpoints/test``: a signed ``ping`` sent now, its result returned.

A sandbox partner checks its receiver (URL, TLS, signature verification)
without waiting for a real event. The ping is an ordinary outbox event of
type ``ping``, signed with the environment's secret exactly as every other
delivery, and attempted once inside the request; it is never retried (a
failed ping is dead-lettered at once), so it shows in the event log with
its one attempt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import httpx
from sqlalchemy.orm import Session

from gateway import ids
from gateway.clock import utcnow
from gateway.errors import DomainError
from gateway.webhooks.delivery import attempt
from gateway.webhooks.log import attempts_of
from gateway.webhooks.models import WebhookAttempt, WebhookEvent
from gateway.webhooks.outbox import emit


class SandboxOnly(DomainError):
    """Test deliveries are for the sandbox; live receivers hear only real events."""

    code = "sandbox_only"
    kind = "forbidden"
    title = "Only in the sandbox"


@dataclass(frozen=True)
class PingResult:
    """The ping event and its one attempt."""

    event: WebhookEvent
    attempt: WebhookAttempt


def send_ping(
    session: Session,
    *,
    partner_id: str,
    environment: str,
    http: httpx.Client,
    secret_key: str,
    now: dt.datetime | None = None,
) -> PingResult:
    """Write a ``ping`` event and attempt it once, now (the caller commits).

    Raises:
        SandboxOnly: the caller is in the live environment.
    """
    if environment != "sandbox":
        raise SandboxOnly("test deliveries are only sent in the sandbox")
    now = now or utcnow()
    event = emit(
        session,
        "ping",
        partner_id=partner_id,
        environment=environment,
        resource_id=ids.new_id("ping"),
        obj={"object": "ping", "partner_id": partner_id, "environment": environment},
        now=now,
    )
    status = attempt(session, event, http=http, secret_key=secret_key, now=now)
    if status == "pending":  # a ping is never retried
        event.status = "dead"
        event.dead_at = now
        session.flush()
    (only,) = attempts_of(session, [event.id])[event.id]
    return PingResult(event=event, attempt=only)
