"""Refunds after funding: reduce the principal, re-compute the remaining schedule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway import ids
from gateway.applications.models import Application, Refund
from gateway.applications.schedule import after_refund
from gateway.applications.services import ApplicationStateConflict, notify
from gateway.clock import utcnow
from gateway.errors import Conflict, ValidationFailed

CHINA = dt.timezone(dt.timedelta(hours=8))


class RefundIdReused(Conflict):
    """The partner's ``refund_id`` was already used with another amount."""

    code = "refund_id_reused"
    title = "This refund_id was already used with different details"


def refund(
    session: Session,
    app: Application,
    *,
    refund_id: str,
    amount: Decimal,
    reason: str | None,
    now: dt.datetime | None = None,
) -> Refund:
    """Refund part or all of a funded loan (the caller holds the application's lock).

    The same ``refund_id`` again returns the first refund and changes nothing.

    Args:
        session: the unit of work.
        app: the application, locked ``FOR UPDATE``.
        refund_id: the partner's id for this refund.
        amount: what is refunded (> 0, to the fen).
        reason: why (goods returned, trip cancelled…), optional.
        now: the current time (tests).

    Returns:
        The refund, with the principal before and after.

    Raises:
        ApplicationStateConflict: the application is not funded.
        RefundIdReused: ``refund_id`` was used with another amount.
        ValidationFailed: ``amount`` exceeds the outstanding principal.
    """
    existing = session.scalars(
        select(Refund).where(Refund.application_id == app.id, Refund.refund_id == refund_id)
    ).first()
    if existing is not None:
        if existing.amount != amount:
            raise RefundIdReused(f"refund {refund_id!r} was for {existing.amount}")
        return existing
    if app.status != "funded":
        raise ApplicationStateConflict(f"only a funded loan can be refunded, not {app.status}")
    from gateway.offers.models import Offer

    assert app.outstanding_principal is not None and app.funded_amount is not None
    assert app.schedule is not None
    outstanding = app.outstanding_principal
    if amount > outstanding:
        raise ValidationFailed({"amount": f"exceeds the outstanding principal {outstanding:.2f}"})
    now = now or utcnow()
    offer = session.get(Offer, app.offer_id)
    assert offer is not None
    new_outstanding, rows = after_refund(
        offer.repayment_method,  # type: ignore[arg-type]
        app.funded_amount,
        offer.schedule,
        app.schedule,
        outstanding,
        amount,
        now.astimezone(CHINA).date(),
    )
    record = Refund(
        id=ids.new_id("rf"),
        application_id=app.id,
        refund_id=refund_id,
        amount=amount,
        reason=(reason or "")[:200] or None,
        outstanding_before=outstanding,
        outstanding_after=new_outstanding,
        created_at=now,
    )
    session.add(record)
    app.outstanding_principal = new_outstanding
    app.refunded_amount = app.refunded_amount + amount
    app.schedule = rows
    app.updated_at = now
    session.flush()
    notify(session, app, "application.refunded", now)
    return record
