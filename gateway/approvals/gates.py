"""What actions check before they run: a matching approval (used up if single-use),
or a break-glass reason that is audited instead.

The CLI calls these in the same transaction as the action, after the action's
own checks, so a refusal leaves nothing done.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from gateway.approvals.models import ApprovalRequest
from gateway.approvals.services import ApprovalRequired, audit_request, find_approved
from gateway.audit.services import record as audit
from gateway.clock import utcnow
from gateway.errors import ValidationFailed


def consume(
    session: Session,
    approval_type: str,
    target: str,
    *,
    actor: str,
    now: dt.datetime | None = None,
) -> ApprovalRequest:
    """Check for an approval before an action; single-use ones become ``used``.

    Raises:
        ApprovalRequired: none approved (or it lapsed, or was used).
    """
    moment = now or utcnow()
    row = find_approved(session, approval_type, target, now=moment)
    if row is None:
        raise ApprovalRequired(
            f"{approval_type} of {target} needs an approved four-eyes request: "
            f"gateway approvals request {approval_type} {target} --by EMAIL, then "
            "another user: gateway approvals approve ID --by EMAIL"
        )
    if row.type != "go-live":
        row.status = "used"
        row.used_at = moment
        session.flush()
        audit_request(session, row, "approval.used", actor)
    return row


def break_glass(session: Session, action: str, target: str, *, actor: str, reason: str) -> None:
    """Record an action taken without its approval (``--break-glass REASON``).

    Raises:
        ValidationFailed: no reason given.
    """
    if len((reason or "").strip()) < 10:
        raise ValidationFailed({"break_glass": "give a reason of at least 10 characters"})
    audit(
        session,
        action="approval.break_glass",
        actor=actor,
        subject=target,
        data={"action": action, "reason": reason.strip()[:500]},
    )


def gate_live_credentials(
    session: Session,
    partner_id: str,
    *,
    rotating: bool,
    actor: str,
    break_glass_reason: str | None = None,
) -> None:
    """What issuing or rotating live credentials needs, checked in the action's transaction.

    Issuing needs an approved ``go-live`` (or a ``live-credentials`` request,
    which is then used); rotating needs a ``live-credentials`` request. With
    ``break_glass_reason`` the action goes ahead and the reason is audited.

    Raises:
        ApprovalRequired: no such approval.
        ValidationFailed: a break-glass reason shorter than 10 characters.
    """
    action = "rotate live credentials" if rotating else "issue live credentials"
    if break_glass_reason is not None:
        break_glass(session, action, partner_id, actor=actor, reason=break_glass_reason)
        return
    if rotating or find_approved(session, "live-credentials", partner_id) is not None:
        consume(session, "live-credentials", partner_id, actor=actor)
        return
    consume(session, "go-live", partner_id, actor=actor)
