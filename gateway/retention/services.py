"""``gateway retention run``: remove what is past its retention period, in batches.

Each category selects the ids past its period (oldest first), deletes one
batch per transaction and stops when a batch comes back short, so a large
backlog never holds long locks and a crash loses at most one batch of work.
Running it again removes nothing more: it is idempotent. The audit log is
never touched: its entries hold references and hashes, not the data, so
``gateway audit verify`` still passes afterwards; the run itself is one
audit entry (``retention.run``) with what each category removed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.audit.services import record as audit
from gateway.clock import utcnow
from gateway.consent.models import Consent, ConsentReceipt
from gateway.db import Database
from gateway.idempotency.models import IdempotencyRecord
from gateway.offers.models import Offer
from gateway.prequal.models import Prequalification
from gateway.retention.models import RetentionRun
from gateway.retention.policy import CATEGORIES, DEFAULT_PERIODS
from gateway.risk.models import RiskHit, RiskObservation
from gateway.webhooks.models import WebhookAttempt, WebhookEvent
from gateway.widget.models import CheckoutSession

DAILY = dt.timedelta(hours=24)


def _consents(cutoff: dt.datetime) -> Select[Any]:
    ended = or_(
        Consent.revoked_at < cutoff,
        (Consent.revoked_at.is_(None)) & (Consent.expires_at < cutoff),
    )
    return select(Consent.id).where(ended).order_by(Consent.id)


def _delete_consents(session: Session, ids: Sequence[Any], cutoff: dt.datetime) -> None:
    receipts = select(Consent.receipt_id).where(Consent.id.in_(ids)).distinct()
    receipt_ids = list(session.scalars(receipts))
    session.execute(delete(Consent).where(Consent.id.in_(ids)))
    still_used = exists().where(Consent.receipt_id == ConsentReceipt.id)
    session.execute(delete(ConsentReceipt).where(ConsentReceipt.id.in_(receipt_ids), ~still_used))


def _decisions(cutoff: dt.datetime) -> Select[Any]:
    applied = exists().where(Application.prequalification_id == Prequalification.id)
    return (
        select(Prequalification.id)
        .where(Prequalification.created_at < cutoff, ~applied)
        .order_by(Prequalification.id)
    )


def _delete_decisions(session: Session, ids: Sequence[Any], _cutoff: dt.datetime) -> None:
    session.execute(delete(Offer).where(Offer.prequalification_id.in_(ids)))
    session.execute(delete(RiskHit).where(RiskHit.subject.in_(ids)))
    session.execute(delete(Prequalification).where(Prequalification.id.in_(ids)))


def _webhooks(cutoff: dt.datetime) -> Select[Any]:
    done = or_(WebhookEvent.status == "delivered", WebhookEvent.status == "dead")
    return (
        select(WebhookEvent.id)
        .where(done, WebhookEvent.created_at < cutoff)
        .order_by(WebhookEvent.id)
    )


def _delete_webhooks(session: Session, ids: Sequence[Any], _cutoff: dt.datetime) -> None:
    session.execute(delete(WebhookAttempt).where(WebhookAttempt.event_id.in_(ids)))
    session.execute(delete(WebhookEvent).where(WebhookEvent.id.in_(ids)))


def _simple(model: Any, clock: Any) -> tuple[Callable[[dt.datetime], Select[Any]], Any]:
    def select_ids(cutoff: dt.datetime) -> Select[Any]:
        return select(model.id).where(clock < cutoff).order_by(model.id)

    def delete_ids(session: Session, ids: Sequence[Any], _cutoff: dt.datetime) -> None:
        session.execute(delete(model).where(model.id.in_(ids)))

    return select_ids, delete_ids


_SWEEPS: Mapping[str, tuple[Callable[[dt.datetime], Select[Any]], Any]] = {
    "consent_evidence": (_consents, _delete_consents),
    "decision_inputs": (_decisions, _delete_decisions),
    "risk_signals": _simple(RiskObservation, RiskObservation.created_at),
    "idempotency_records": _simple(IdempotencyRecord, IdempotencyRecord.created_at),
    "webhook_payloads": (_webhooks, _delete_webhooks),
    "widget_sessions": _simple(CheckoutSession, CheckoutSession.expires_at),
}


@dataclass(frozen=True)
class RetentionReport:
    """What one run removed (or, dry, would remove) per category."""

    as_of: dt.datetime
    dry_run: bool
    removed: dict[str, int]
    periods: dict[str, int]

    @property
    def total(self) -> int:
        """Rows removed across categories (a category's first table's rows)."""
        return sum(self.removed.values())


def run(
    database: Database,
    *,
    periods: Mapping[str, int] = DEFAULT_PERIODS,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    batch: int = 500,
    actor: str = "system",
) -> RetentionReport:
    """Remove every row past its category's period as of ``now``, in batches.

    Args:
        database: where to delete.
        periods: days per category (:data:`DEFAULT_PERIODS` by default).
        now: the clock (tests, and ``--as-of`` for a dry run's preview).
        dry_run: count only; change nothing.
        batch: rows per transaction.
        actor: for the audit entry.
    """
    now = now or utcnow()
    removed: dict[str, int] = {}
    for category in CATEGORIES:
        cutoff = now - dt.timedelta(days=periods[category.name])
        select_ids, delete_ids = _SWEEPS[category.name]
        with database.new_session() as session:
            if dry_run:
                ids = select_ids(cutoff).subquery()
                removed[category.name] = int(
                    session.execute(select(func.count()).select_from(ids)).scalar() or 0
                )
                continue
            removed[category.name] = _sweep(session, select_ids, delete_ids, cutoff, batch)
    report = RetentionReport(now, dry_run, removed, {c.name: periods[c.name] for c in CATEGORIES})
    if not dry_run:
        with database.new_session() as session:
            session.add(
                RetentionRun(started_at=now, finished_at=utcnow(), dry_run=False, removed=removed)
            )
            if report.total:
                audit(
                    session,
                    action="retention.run",
                    actor=actor,
                    data={"as_of": now.isoformat(), "removed": removed, "periods": report.periods},
                )
            session.commit()
    return report


def _sweep(
    session: Session,
    select_ids: Callable[[dt.datetime], Select[Any]],
    delete_ids: Callable[[Session, Sequence[Any], dt.datetime], None],
    cutoff: dt.datetime,
    batch: int,
) -> int:
    total = 0
    while True:
        ids = list(session.scalars(select_ids(cutoff).limit(batch)))
        if not ids:
            break
        delete_ids(session, ids, cutoff)
        session.commit()
        total += len(ids)
        if len(ids) < batch:
            break
    return total


def due(session: Session, now: dt.datetime, every: dt.timedelta = DAILY) -> bool:
    """Whether the last real run started ``every`` or more ago (or never ran)."""
    last = session.execute(
        select(func.max(RetentionRun.started_at)).where(RetentionRun.dry_run.is_(False))
    ).scalar()
    if last is None:
        return True
    if last.tzinfo is None:
        last = last.replace(tzinfo=dt.UTC)
    return bool(now - last >= every)
