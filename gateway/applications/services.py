"""Application lifecycle: read, decide, fund, cancel, refund — each change with its webhook.

Every transition locks the application row, checks the state it starts
from, writes the change, its audit entry and its outbox event in the
caller's transaction (services flush; the caller commits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.applications.schemas import application_view
from gateway.audit.services import record as audit
from gateway.clock import utcnow
from gateway.errors import Conflict, NotFound
from gateway.tenancy import get_owned
from gateway.webhooks.outbox import emit

CANCELLABLE = ("submitted", "under_review", "approved")


class ApplicationNotFound(NotFound):
    """No such application for this partner and environment."""

    code = "application_not_found"


class ApplicationStateConflict(Conflict):
    """The application's status does not allow this change."""

    code = "application_state_conflict"
    title = "The application's status does not allow this"


def get_application(
    session: Session, partner_id: str, environment: str, application_id: str, *, lock: bool = False
) -> Application:
    """An application of this partner and environment (optionally locked ``FOR UPDATE``).

    Raises:
        ApplicationNotFound: not found here (another tenant's is not found either).
    """
    return get_owned(
        session, Application, application_id, partner_id, environment,
        ApplicationNotFound("no such application"), lock=lock,
    )  # fmt: skip


def lock(session: Session, application_id: str) -> Application | None:
    """Lock an application row for a transition (``None`` if it does not exist)."""
    return session.scalars(
        select(Application)
        .where(Application.id == application_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def notify(session: Session, app: Application, event_type: str, now: dt.datetime) -> None:
    """Write the application's webhook event and audit entry for a transition."""
    emit(
        session,
        event_type,
        partner_id=app.partner_id,
        environment=app.environment,
        resource_id=app.id,
        obj=application_view(app),
        now=now,
    )
    audit(
        session,
        action=event_type,
        actor="system",
        partner_id=app.partner_id,
        environment=app.environment,
        subject=app.id,
        data={"status": app.status, "offer_id": app.offer_id},
    )


def start_review(session: Session, app: Application, now: dt.datetime | None = None) -> None:
    """``submitted`` → ``under_review`` (the underwriting worker took it)."""
    if app.status != "submitted":
        raise ApplicationStateConflict(f"cannot review a {app.status} application")
    now = now or utcnow()
    app.status = "under_review"
    app.review_started_at = now
    app.updated_at = now
    session.flush()


def decide(
    session: Session,
    app: Application,
    *,
    approved: bool,
    reasons: Sequence[dict[str, Any]] = (),
    now: dt.datetime | None = None,
) -> None:
    """``under_review`` → ``approved`` | ``declined``, with the decision's reasons.

    Raises:
        ApplicationStateConflict: the application is not under review (e.g. cancelled).
    """
    if app.status != "under_review":
        raise ApplicationStateConflict(f"cannot decide a {app.status} application")
    now = now or utcnow()
    app.status = "approved" if approved else "declined"
    app.underwriting_decision = app.status
    app.decision_reasons = [dict(r) for r in reasons]
    app.decided_at = now
    app.updated_at = now
    session.flush()
    notify(session, app, f"application.{app.status}", now)


def fund(session: Session, app: Application, now: dt.datetime | None = None) -> None:
    """``approved`` → ``funded``: the loan is disbursed on the offer's schedule.

    Raises:
        ApplicationStateConflict: the application is not approved.
    """
    from gateway.offers.models import Offer

    if app.status != "approved":
        raise ApplicationStateConflict(f"cannot fund a {app.status} application")
    now = now or utcnow()
    offer = session.get(Offer, app.offer_id)
    assert offer is not None
    app.status = "funded"
    app.funded_amount = app.principal
    app.outstanding_principal = app.principal
    app.schedule = [dict(row) for row in offer.schedule]
    app.funded_at = now
    app.updated_at = now
    session.flush()
    notify(session, app, "application.funded", now)


def cancel(
    session: Session, app: Application, *, reason: str | None, now: dt.datetime | None = None
) -> Application:
    """Cancel an application before funding (the order was cancelled).

    Cancelling a cancelled application changes nothing and returns it.

    Raises:
        ApplicationStateConflict: it is declined or already funded (refund instead).
    """
    if app.status == "cancelled":
        return app
    if app.status not in CANCELLABLE:
        hint = "; refund it instead" if app.status == "funded" else ""
        raise ApplicationStateConflict(f"a {app.status} application cannot be cancelled{hint}")
    now = now or utcnow()
    app.status = "cancelled"
    app.cancel_reason = (reason or "")[:200] or None
    app.cancelled_at = now
    app.updated_at = now
    session.flush()
    notify(session, app, "application.cancelled", now)
    return app
