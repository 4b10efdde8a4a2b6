"""Read-only queries for console pages that no domain service answers yet.

Aggregates across partners (traffic, approval rate, webhook health), the
webhook queues, recent audit entries, and decision lookup by id across
tenants. Everything else the console shows comes from the domains' services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from gateway.audit.models import AuditEntry
from gateway.clock import utcnow
from gateway.prequal.models import Prequalification
from gateway.webhooks.models import WebhookEvent

APPROVED = ("approved", "partially_approved")


@dataclass(frozen=True)
class Traffic:
    """One partner's recent decisions."""

    last_decision_at: dt.datetime | None
    decisions: int
    approved: int

    @property
    def approval_rate(self) -> float | None:
        """Approved share of decisions, or ``None`` without decisions."""
        return self.approved / self.decisions if self.decisions else None


def traffic(session: Session, *, days: int = 30) -> dict[tuple[str, str], Traffic]:
    """Per (partner, environment): last decision, decisions and approvals in ``days``."""
    since = utcnow() - dt.timedelta(days=days)
    pq = Prequalification
    rows = session.execute(
        select(pq.partner_id, pq.environment, pq.status, func.count(), func.max(pq.created_at))
        .where(pq.created_at >= since)
        .group_by(pq.partner_id, pq.environment, pq.status)
    ).all()
    out: dict[tuple[str, str], Traffic] = {}
    for partner_id, environment, status, count, last in rows:
        key = (partner_id, environment)
        prior = out.get(key, Traffic(None, 0, 0))
        latest = max(filter(None, (prior.last_decision_at, last)), default=None)
        approved = prior.approved + (count if status in APPROVED else 0)
        out[key] = Traffic(latest, prior.decisions + count, approved)
    return out


def webhook_counts(session: Session) -> dict[str, dict[str, int]]:
    """Per partner: events ``pending``, ``failing`` (pending after an attempt), ``dead``."""
    ev = WebhookEvent
    attempted = ev.attempts > literal_column("0")  # inline: the same text in SELECT and GROUP BY
    rows = session.execute(
        select(ev.partner_id, ev.status, attempted, func.count())
        .where(ev.status != "delivered")
        .group_by(ev.partner_id, ev.status, attempted)
    ).all()
    out: dict[str, dict[str, int]] = {}
    for partner_id, status, tried, count in rows:
        bucket = "dead" if status == "dead" else ("failing" if tried else "pending")
        counts = out.setdefault(partner_id, {"pending": 0, "failing": 0, "dead": 0})
        counts[bucket] += count
    return out


def webhook_health(session: Session, partner_id: str) -> dict[str, Any]:
    """One partner's webhook state: counts by bucket, last delivery, last error."""
    ev = WebhookEvent
    counts = webhook_counts(session).get(partner_id, {"pending": 0, "failing": 0, "dead": 0})
    delivered = session.scalar(
        select(func.count()).where(ev.partner_id == partner_id, ev.status == "delivered")
    )
    last_delivered = session.scalar(
        select(func.max(ev.delivered_at)).where(ev.partner_id == partner_id)
    )
    last_error = session.scalar(
        select(ev.last_error)
        .where(ev.partner_id == partner_id, ev.last_error.is_not(None))
        .order_by(ev.created_at.desc())
        .limit(1)
    )
    return {
        **counts,
        "delivered": delivered or 0,
        "last_delivered_at": last_delivered,
        "last_error": last_error,
    }


def webhook_queue(session: Session, bucket: str, *, limit: int = 50) -> list[WebhookEvent]:
    """Events in one bucket (``pending``, ``failing``, ``dead``), newest first."""
    ev = WebhookEvent
    query = select(ev).order_by(ev.created_at.desc()).limit(limit)
    if bucket == "dead":
        query = query.where(ev.status == "dead")
    elif bucket == "failing":
        query = query.where(ev.status == "pending", ev.attempts > 0)
    else:
        query = query.where(ev.status == "pending", ev.attempts == 0)
    return list(session.scalars(query))


def recent_audit(session: Session, *, limit: int = 100) -> list[AuditEntry]:
    """The latest audit entries across shards."""
    return list(
        session.scalars(
            select(AuditEntry)
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
    )


def decision(session: Session, decision_id: str) -> Prequalification | None:
    """A decision by id, whatever its partner (the console is the bank's own view)."""
    return session.get(Prequalification, decision_id)


def last_decision_at(session: Session, partner_id: str, environment: str) -> dt.datetime | None:
    """When the partner's credentials in ``environment`` last produced a decision."""
    pq = Prequalification
    return session.scalar(
        select(func.max(pq.created_at)).where(
            pq.partner_id == partner_id, pq.environment == environment
        )
    )
