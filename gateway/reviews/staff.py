"""Reviewers are console users: an enabled ops user whose role may decide reviews.

The CLI's ``--reviewer`` and ``--second-reviewer`` and the console's signed-in
user go through :func:`staff_reviewer`, so a case is only ever claimed or
decided in the name of a named, enabled person holding ``reviews.decide``
(``gateway ops users add EMAIL --role risk_officer``). The same check as
``gateway approvals … --by EMAIL`` (:func:`gateway.ops.users.active_user`).

A large approval's second pair of eyes can also come from the approvals
domain: an approved ``review-overturn`` request for the case
(:func:`overturn_second_reviewer`), which the decision then uses up.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session

from gateway.approvals.gates import consume
from gateway.approvals.services import find_approved
from gateway.errors import NotFound, ValidationFailed
from gateway.ops import users
from gateway.ops.roles import has_permission
from gateway.reviews.decisions import Decided, Decision, decide
from gateway.reviews.state import reviewer_email

PERMISSION = "reviews.decide"
OVERTURN = "review-overturn"


class NotAReviewer(ValidationFailed):
    """The address is not an enabled console user allowed to decide reviews."""

    code = "reviewer_not_allowed"


def staff_reviewer(session: Session, value: str, field: str = "reviewer") -> str:
    """The e-mail of an enabled console user holding ``reviews.decide``.

    Raises:
        ValidationFailed: not shaped like an e-mail address.
        NotAReviewer: no enabled console user with that address, or their
            role may not decide reviews.
    """
    email = reviewer_email(value, field)
    try:
        user = users.active_user(session, email)
    except NotFound:
        raise NotAReviewer(
            {field: f"{email} is not an enabled console user (gateway ops users add)"}
        ) from None
    if not has_permission(user.role, PERMISSION):
        raise NotAReviewer({field: f"{email} ({user.role}) may not decide reviews"})
    return user.email


def overturn_second_reviewer(session: Session, case_id: str, reviewer: str) -> str | None:
    """The second reviewer an approved ``review-overturn`` of the case provides, if any.

    The person of the request other than ``reviewer``: the approver, or the
    requester when ``reviewer`` approved it. ``None`` without such a request.
    """
    row = find_approved(session, OVERTURN, case_id)
    if row is None:
        return None
    other = row.decided_by if row.decided_by != reviewer else row.requested_by
    return other if other and other != reviewer else None


def use_overturn(session: Session, case_id: str, actor: str) -> None:
    """Mark the case's approved ``review-overturn`` used (in the decision's transaction)."""
    consume(session, OVERTURN, case_id, actor=actor)


def decide_as_staff(session: Session, case_id: str, decision: Decision, *, issuer: str) -> Decided:
    """Decide a case in the name of console users (the CLI and the console; the caller commits).

    The reviewer (and a named second reviewer) must be enabled console users
    holding ``reviews.decide``. Without a named second reviewer, an approval
    takes its second pair of eyes from an approved ``review-overturn`` of the
    case, which it then uses up.

    Raises:
        NotAReviewer: the reviewer or second reviewer may not decide reviews.
        Everything :func:`gateway.reviews.decisions.decide` raises.
    """
    reviewer = staff_reviewer(session, decision.reviewer)
    second = decision.second_reviewer
    from_overturn = False
    if second is not None:
        second = staff_reviewer(session, second, "second_reviewer")
    elif decision.outcome == "approve":
        second = overturn_second_reviewer(session, case_id, reviewer)
        from_overturn = second is not None
    decided = decide(
        session,
        case_id,
        dataclasses.replace(decision, reviewer=reviewer, second_reviewer=second),
        issuer=issuer,
    )
    if from_overturn:
        use_overturn(session, case_id, reviewer)
    return decided
