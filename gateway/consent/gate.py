"""The consent gate: an operation that needs a purpose holds an active consent for it.

:func:`require_active_id` can take the consent row ``FOR SHARE``: a
prequalification holding it either finishes before a racing revocation (whose
lock then waits, and voids its offers) or sees the consent revoked.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.consent.models import Consent
from gateway.consent.types import ConsentRequired
from gateway.db import table_of


def require_active(
    session: Session,
    *,
    partner_id: str,
    environment: str,
    customer_ref: str,
    purpose: str,
    consent_id: str | None = None,
    lock: bool = False,
    now: dt.datetime | None = None,
) -> Consent:
    """The active consent that permits ``purpose`` for this customer and partner.

    Args:
        consent_id: the consent the request names; if ``None``, any active one.
        lock: hold the row (``FOR SHARE``) until the transaction ends, so a
            concurrent revocation waits for this decision and then voids it.

    Raises:
        ConsentRequired: none is active (missing, another customer's, revoked, expired).
    """
    now = now or utcnow()
    query = select(Consent).where(
        Consent.partner_id == partner_id,
        Consent.environment == environment,
        Consent.customer_ref == customer_ref,
        Consent.purpose == purpose,
        Consent.status == "active",
        Consent.expires_at > now,
    )
    if consent_id is not None:
        query = query.where(Consent.id == consent_id)
    if lock:
        query = query.with_for_update(read=True).execution_options(populate_existing=True)
    consent = session.scalars(query.order_by(Consent.granted_at.desc()).limit(1)).first()
    if consent is None:
        raise ConsentRequired(
            f"an active '{purpose}' consent from this customer is required",
            extra={"purpose": purpose},
        )
    return consent


_consents = table_of(Consent)
# Built once: on the prequalification path, building the statement would cost
# more than running it.
_ACTIVE_ID = (
    select(_consents.c.id)
    .where(
        _consents.c.id == bindparam("consent_id"),
        _consents.c.partner_id == bindparam("partner_id"),
        _consents.c.environment == bindparam("environment"),
        _consents.c.customer_ref == bindparam("customer_ref"),
        _consents.c.purpose == bindparam("purpose"),
        _consents.c.status == "active",
        _consents.c.expires_at > bindparam("now"),
    )
    .limit(1)
)
_ACTIVE_ID_LOCKED = _ACTIVE_ID.with_for_update(read=True)


def require_active_id(
    session: Session,
    *,
    partner_id: str,
    environment: str,
    customer_ref: str,
    purpose: str,
    consent_id: str,
    lock: bool = False,
    now: dt.datetime | None = None,
) -> str:
    """:func:`require_active` for one named consent, on hot paths: its id, no object loaded.

    Raises:
        ConsentRequired: that consent is not active for this customer, partner and purpose.
    """
    found = session.execute(
        _ACTIVE_ID_LOCKED if lock else _ACTIVE_ID,
        {
            "consent_id": consent_id,
            "partner_id": partner_id,
            "environment": environment,
            "customer_ref": customer_ref,
            "purpose": purpose,
            "now": now or utcnow(),
        },
    ).scalar()
    if found is None:
        raise ConsentRequired(
            f"an active '{purpose}' consent from this customer is required",
            extra={"purpose": purpose},
        )
    return str(found)
