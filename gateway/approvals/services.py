"""Four-eyes requests: request, approve, reject, list, and the checks actions make.

A request names a ``type`` and a ``target`` (a partner id, a model version, a
review case id). It is made by one console user holding the type's
permission and approved by a *different* user holding it, within
:data:`WINDOW` of the request. An approved ``go-live`` stands (the partner
may go live); the other types are single-use: :func:`consume` marks the
approval ``used`` when the action it allowed is done, and it must be used
within :data:`WINDOW` of its approval. Every step is an audit entry.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.approvals.models import ApprovalRequest
from gateway.audit.services import record as audit
from gateway.clock import utcnow
from gateway.errors import Conflict, DomainError, NotFound, ValidationFailed
from gateway.ids import new_id
from gateway.ops import users
from gateway.ops.roles import has_permission

ApprovalType = Literal["go-live", "live-credentials", "model-activation", "review-overturn"]
TYPES: tuple[ApprovalType, ...] = (
    "go-live",
    "live-credentials",
    "model-activation",
    "review-overturn",
)
WINDOW = dt.timedelta(hours=24)
_PARTNER_TYPES = ("go-live", "live-credentials")


class NotAllowed(DomainError):
    """The user lacks the permission, or would approve their own request."""

    code = "approval_not_allowed"
    kind = "forbidden"
    title = "Not allowed"


class ApprovalRequired(DomainError):
    """The action needs an approved four-eyes request first."""

    code = "approval_required"
    kind = "conflict"
    title = "An approved four-eyes request is required"


class ChecklistNotGreen(Conflict):
    """A go-live was requested while the partner's checklist has red items."""

    code = "go_live_checklist_red"


def permission_for(approval_type: str) -> str:
    """The permission requesting and approving ``approval_type`` takes."""
    if approval_type not in TYPES:
        raise ValidationFailed({"type": f"must be one of {', '.join(TYPES)}"})
    return f"approvals.{approval_type}"


def _status(row: ApprovalRequest, now: dt.datetime) -> str:
    if row.status in ("pending", "approved") and row.type != "go-live" and now >= row.expires_at:
        return "expired"
    if row.status == "pending" and now >= row.expires_at:
        return "expired"
    return row.status


def effective_status(row: ApprovalRequest, now: dt.datetime | None = None) -> str:
    """The status with lapsed requests and unused approvals shown as ``expired``."""
    return _status(row, now or utcnow())


def request(
    session: Session,
    approval_type: str,
    target: str,
    *,
    by: str,
    reason: str = "",
    config_dir: Path | None = None,
    now: dt.datetime | None = None,
) -> ApprovalRequest:
    """Ask for an approval.

    Args:
        config_dir: where the reviewed partner files are (go-live checks its checklist).

    Raises:
        ValidationFailed: unknown type, or empty target.
        NotFound: unknown user or partner.
        NotAllowed: the user lacks the type's permission.
        ChecklistNotGreen: a go-live with red checklist items.
        Conflict: the same request is already pending.
    """
    from gateway.approvals import golive
    from gateway.partners.services import get_partner

    permission = permission_for(approval_type)
    target = (target or "").strip()
    if not target or len(target) > 128:
        raise ValidationFailed({"target": "must be 1-128 characters"})
    user = users.active_user(session, by)
    if not has_permission(user.role, permission):
        raise NotAllowed(f"{user.email} ({user.role}) may not request {approval_type}")
    moment = now or utcnow()
    if approval_type in _PARTNER_TYPES:
        get_partner(session, target)
    if approval_type == "go-live":
        if config_dir is None:
            raise ValidationFailed({"config_dir": "needed to check the go-live checklist"})
        checks = golive.checklist(session, target, config_dir, now=moment)
        if not checks.ok:
            names = ", ".join(item.name for item in checks.failing())
            raise ChecklistNotGreen(f"{target}'s go-live checklist is not green: {names}")
    for row in pending(session, approval_type, target):
        if _status(row, moment) == "pending":
            raise Conflict(f"{row.id} already asks for {approval_type} of {target}")
    row = ApprovalRequest(
        id=new_id("apr"),
        type=approval_type,
        target=target,
        status="pending",
        reason=(reason or "")[:500],
        requested_by=user.email,
        requested_at=moment,
        expires_at=moment + WINDOW,
    )
    session.add(row)
    session.flush()
    audit_request(session, row, "approval.requested", user.email)
    return row


def pending(session: Session, approval_type: str, target: str) -> list[ApprovalRequest]:
    """Requests of this type and target still marked pending."""
    return list(
        session.scalars(
            select(ApprovalRequest).where(
                ApprovalRequest.type == approval_type,
                ApprovalRequest.target == target,
                ApprovalRequest.status == "pending",
            )
        )
    )


def get(session: Session, request_id: str) -> ApprovalRequest:
    """One request.

    Raises:
        NotFound: no such request.
    """
    row = session.get(ApprovalRequest, request_id)
    if row is None:
        raise NotFound(f"no approval request {request_id!r}")
    return row


def decide(
    session: Session,
    request_id: str,
    *,
    by: str,
    approve: bool = True,
    now: dt.datetime | None = None,
) -> ApprovalRequest:
    """Approve (or reject) a pending request as a user other than its requester.

    Raises:
        NotFound: no such request or user.
        NotAllowed: the requester themselves, or a user without the permission.
        Conflict: not pending any more (decided, or lapsed after 24 hours).
    """
    row = session.scalars(
        select(ApprovalRequest).where(ApprovalRequest.id == request_id).with_for_update()
    ).first()
    if row is None:
        raise NotFound(f"no approval request {request_id!r}")
    user = users.active_user(session, by)
    moment = now or utcnow()
    if user.email == row.requested_by:
        raise NotAllowed("four-eyes: the requester cannot approve their own request")
    if not has_permission(user.role, permission_for(row.type)):
        raise NotAllowed(f"{user.email} ({user.role}) may not approve {row.type}")
    status = _status(row, moment)
    if status != "pending":
        raise Conflict(f"{row.id} is {status}, not pending")
    row.status = "approved" if approve else "rejected"
    row.decided_by = user.email
    row.decided_at = moment
    if approve:
        row.expires_at = moment + WINDOW  # single-use approvals must be used within it
    session.flush()
    audit_request(session, row, f"approval.{row.status}", user.email)
    return row


def list_requests(
    session: Session, *, status: str | None = None, limit: int = 100
) -> list[ApprovalRequest]:
    """Most recent first; ``status`` filters on the stored status."""
    query = select(ApprovalRequest).order_by(ApprovalRequest.requested_at.desc()).limit(limit)
    if status:
        query = query.where(ApprovalRequest.status == status)
    return list(session.scalars(query))


def find_approved(
    session: Session,
    approval_type: str,
    target: str,
    *,
    now: dt.datetime | None = None,
) -> ApprovalRequest | None:
    """An approved (and, unless ``go-live``, unused and unexpired) request, if any."""
    moment = now or utcnow()
    rows = session.scalars(
        select(ApprovalRequest)
        .where(
            ApprovalRequest.type == approval_type,
            ApprovalRequest.target == target,
            ApprovalRequest.status == "approved",
        )
        .order_by(ApprovalRequest.decided_at.desc())
    )
    return next((row for row in rows if _status(row, moment) == "approved"), None)


def audit_request(session: Session, row: ApprovalRequest, action: str, actor: str) -> None:
    """An audit entry about a request (its type, target and requester)."""
    audit(
        session,
        action=action,
        actor=f"ops:{actor}",
        partner_id=row.target if row.type in _PARTNER_TYPES else None,
        subject=row.id,
        data={"type": row.type, "target": row.target, "requested_by": row.requested_by},
    )
