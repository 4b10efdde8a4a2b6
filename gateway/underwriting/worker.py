"""The underwriting worker: claims submitted applications and decides them.

A claim is a short transaction: lock a batch of ``submitted`` applications
with ``FOR UPDATE SKIP LOCKED`` (workers side by side never take the same
one) and move them to ``under_review``. The decision, which may take seconds
at the bureau, runs outside any transaction; a second short transaction
locks the application again and records the outcome only if it is still
under review (the partner may have cancelled meanwhile). An application left
``under_review`` by a worker that died is claimed again after ``stale_after``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from gateway.applications import services
from gateway.applications.models import Application
from gateway.clock import utcnow
from gateway.consent.services import ConsentRequired, require_active
from gateway.db import Database
from gateway.offers.models import Offer
from gateway.prequal.models import Prequalification
from gateway.underwriting.adapter import LoanOrigination, UnderwritingCase, UnderwritingDecision
from gateway.underwriting.simulator import reason

STALE_AFTER = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Decided:
    """One application the worker decided (or found no longer under review)."""

    application_id: str
    status: str


def claim(
    session: Session, *, batch: int, now: dt.datetime, stale_after: dt.timedelta = STALE_AFTER
) -> list[UnderwritingCase]:
    """Move up to ``batch`` waiting applications to ``under_review`` (the caller commits).

    Returns:
        The cases to decide.
    """
    rows = session.scalars(
        select(Application)
        .where(
            or_(
                Application.status == "submitted",
                and_(
                    Application.status == "under_review",
                    Application.review_started_at < now - stale_after,
                ),
            )
        )
        .order_by(Application.created_at)
        .limit(batch)
        .with_for_update(skip_locked=True)
    ).all()
    cases = []
    for app in rows:
        if app.status == "submitted":
            services.start_review(session, app, now)
        else:
            app.review_started_at = now
        offer = session.get(Offer, app.offer_id)
        pq = session.get(Prequalification, app.prequalification_id)
        assert offer is not None and pq is not None
        cases.append(
            UnderwritingCase(
                application_id=app.id,
                partner_id=app.partner_id,
                environment=app.environment,
                customer_ref=app.customer_ref,
                currency=app.currency,
                principal=app.principal,
                tenor_months=offer.tenor_months,
                monthly_payment=offer.monthly_payment,
                sandbox_persona=pq.sandbox_persona if app.environment == "sandbox" else None,
            )
        )
    session.flush()
    return cases


def record(
    session: Session, case: UnderwritingCase, decision: UnderwritingDecision, now: dt.datetime
) -> Decided:
    """Record a decision if the application is still under review (the caller commits).

    The customer's ``credit_inquiry`` consent must still be active when the
    decision lands: withdrawn meanwhile, the application is declined. An
    approved application whose checkout already completed is funded at once.
    """
    app = services.lock(session, case.application_id)
    assert app is not None
    if app.status != "under_review":
        return Decided(app.id, app.status)
    try:
        require_active(
            session,
            partner_id=app.partner_id,
            environment=app.environment,
            customer_ref=app.customer_ref,
            purpose="credit_inquiry",
            consent_id=app.credit_inquiry_consent_id,
            now=now,
        )
    except ConsentRequired:
        decision = UnderwritingDecision(False, (reason("consent_withdrawn"),))
    services.decide(
        session,
        app,
        approved=decision.approved,
        reasons=[{"code": r.code, "message": r.message} for r in decision.reasons],
        now=now,
    )
    if app.status == "approved" and _checkout_completed(session, app.offer_id):
        # The merchant completed the order while we were deciding: disburse now.
        services.fund(session, app, now)
    return Decided(app.id, app.status)


def _checkout_completed(session: Session, offer_id: str) -> bool:
    from gateway.funnel.models import FunnelEvent

    return (
        session.scalar(
            select(FunnelEvent.id)
            .where(FunnelEvent.offer_id == offer_id, FunnelEvent.type == "checkout_completed")
            .limit(1)
        )
        is not None
    )


def work_once(
    database: Database, adapter: LoanOrigination, *, batch: int = 10, now: dt.datetime | None = None
) -> list[Decided]:
    """Claim one batch, decide each case through ``adapter`` and record the outcomes.

    Args:
        database: where applications live (the worker opens its own sessions).
        adapter: the loan-origination system.
        batch: at most this many applications.
        now: the current time (tests); else the clock, read at each step.

    Returns:
        What was decided, in order.
    """
    with database.new_session() as db:
        cases = claim(db, batch=batch, now=now or utcnow())
        db.commit()
    decided = []
    for case in cases:
        decision = adapter.decide(case)
        with database.new_session() as db:
            decided.append(record(db, case, decision, now or utcnow()))
            db.commit()
    return decided
