"""Partners' customer references, resolved back to the bank's own.

A partner knows a customer only by the pairwise reference it was shown
(:func:`gateway.identity.pairwise_customer_ref`), stored on each consent it
recorded and indexed by ``(partner_id, partner_customer_ref)``. A reference
this partner was never shown (another partner's, or a guess) resolves to
nothing: the caller then answers exactly as for a customer without consent.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.consent.models import Consent

# Matches no customer: what an unknown reference resolves to, so the consent
# check fails the same way it does for a known customer without consent.
NO_CUSTOMER = "cus_unknown"


def resolve_partner_ref(session: Session, partner_id: str, partner_ref: str) -> str | None:
    """The bank's reference of the customer ``partner_id`` knows as ``partner_ref``.

    Args:
        session: any session.
        partner_id: the partner asking.
        partner_ref: a reference the partner was shown.

    Returns:
        The internal reference, or ``None`` if this partner was never shown it.
    """
    return session.scalars(
        select(Consent.customer_ref)
        .where(Consent.partner_id == partner_id, Consent.partner_customer_ref == partner_ref)
        .limit(1)
    ).first()


def partner_customer_ref(session: Session, consent_id: str) -> str | None:
    """The reference the partner was given on consent ``consent_id`` (for tokens signed later)."""
    return session.scalar(select(Consent.partner_customer_ref).where(Consent.id == consent_id))
