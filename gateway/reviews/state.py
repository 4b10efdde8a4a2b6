"""A case's state: the errors, the versioned write, the audit entry, the reviewer's address.

Every change to a case goes through :func:`advance`: it lands only if the
case is still at the version that was read, so of two reviewers acting on
one case at once, exactly one changes it.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gateway.audit.services import record as audit
from gateway.errors import Conflict, NotFound, ValidationFailed
from gateway.reviews.models import ReviewCase

_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")


class ReviewNotFound(NotFound):
    """No such review case."""

    code = "review_not_found"


class ReviewClosed(Conflict):
    """The case is decided or withdrawn: nothing more can happen to it."""

    code = "review_closed"
    title = "The review case is closed"


class ReviewClaimed(Conflict):
    """Another reviewer holds the case."""

    code = "review_claimed"
    title = "Another reviewer holds this case"


def reviewer_email(value: str, field: str = "reviewer") -> str:
    """A reviewer's e-mail address, trimmed and lower-cased.

    Raises:
        ValidationFailed: not shaped like an e-mail address.
    """
    email = value.strip().lower()
    if len(email) > 128 or not _EMAIL.match(email):
        raise ValidationFailed({field: "must be an e-mail address (name@bank.example)"})
    return email


class StaleCase(Conflict):
    """The case changed since it was read (another reviewer got there first)."""

    code = "review_conflict"
    title = "The review case was changed by someone else"


def advance(session: Session, case: ReviewCase, **values: Any) -> None:
    """Write ``values`` if the case is still at the version read, else :class:`StaleCase`."""
    result = session.execute(
        update(ReviewCase)
        .where(ReviewCase.id == case.id, ReviewCase.version == case.version)
        .values(version=case.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise StaleCase("the case was decided or changed by someone else; read it again")
    session.refresh(case)


def audit_case(
    session: Session, case: ReviewCase, action: str, actor: str, data: dict[str, Any]
) -> None:
    """Append the case's audit entry (subject: the case id)."""
    audit(
        session,
        action=action,
        actor=actor,
        partner_id=case.partner_id,
        environment=case.environment,
        subject=case.id,
        data={"prequalification_id": case.prequalification_id, **data},
    )


def get_case(session: Session, case_id: str, *, lock: bool = False) -> ReviewCase:
    """A review case by id (``lock``: ``FOR UPDATE`` until the transaction ends).

    Raises:
        ReviewNotFound: no such case.
    """
    query = select(ReviewCase).where(ReviewCase.id == case_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    case = session.scalars(query).first()
    if case is None:
        raise ReviewNotFound(f"no review case {case_id!r}")
    return case
