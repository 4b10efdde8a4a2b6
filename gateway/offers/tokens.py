"""The signed decision token that pins every offer's terms, and the checks at acceptance.

A prequalification is signed once: one ``decision+jwt`` whose ``offers`` claim
holds, for each offer, exactly the terms an offer's own ``offer+jwt`` used to
pin. Offers issued before that change still carry an ``offer+jwt``
(``offers.token``) and are accepted with it until they expire.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from gateway.errors import DomainError
from gateway.keys.services import InvalidToken, verify
from gateway.offers.services import token_claims

DECISION_TOKEN_TYPE = "decision+jwt"  # noqa: S105 - a JOSE typ
OFFER_TOKEN_TYPE = "offer+jwt"  # noqa: S105 - a JOSE typ
#: A dozen offers of ~400 bytes each, base64url-encoded, fit well within this.
DECISION_TOKEN_MAX_BYTES = 32 * 1024
# Claims taken as signed: the issuer, when it was issued, and the partner's
# pairwise customer_ref (derived from the offer's own customer and partner).
_AS_SIGNED = frozenset({"iss", "iat", "customer_ref"})


class OfferTokenMismatch(DomainError):
    """The token does not verify, or its terms differ from the offer's."""

    code = "offer_token_mismatch"
    kind = "invalid"
    title = "The offer token does not match the offer"


class DecisionTokenMismatch(DomainError):
    """The decision token does not verify, is another decision's, or pins other terms."""

    code = "decision_token_mismatch"
    kind = "invalid"
    title = "The decision token does not match the offer"


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def pinned_terms(offer: Any) -> dict[str, Any]:
    """One offer's entry in a decision token: its id and every term, as the API shows them.

    Money is a two-place string and ``apr`` a four-place string, exactly as in
    the offer resource, so a partner compares the entry with what it received.
    """
    return {
        "id": offer.id,
        "product_code": offer.product_code,
        "currency": offer.currency,
        "principal": _money(offer.principal),
        "tenor_months": offer.tenor_months,
        "repayment_method": offer.repayment_method,
        "apr": f"{offer.apr:.4f}",
        "monthly_payment": _money(offer.monthly_payment),
        "total_interest": _money(offer.total_interest),
        "total_fees": _money(offer.total_fees),
        "total_cost": _money(offer.total_cost),
        "total_repayable": _money(offer.total_repayable),
        "merchant_subsidy": _money(offer.merchant_subsidy),
        "schedule_hash": offer.schedule_hash,
    }


def decision_claims(
    decision: Mapping[str, Any],
    offers: Sequence[Any],
    issuer: str,
    partner_customer_ref: str | None,
) -> dict[str, Any]:
    """The claims of a decision token.

    Args:
        decision: the prequalification's ``id``, ``partner_id``, ``environment``,
            ``consent_id``, and the offers' ``created_at`` and ``expires_at``.
        offers: the offers it makes (attribute access), in rank order.
        issuer: the gateway's issuer URL.
        partner_customer_ref: the partner's pairwise reference, never the bank's own.

    Returns:
        ``iss``, ``sub`` (the prequalification id), ``iat``, ``exp``, the parties,
        and ``offers``: one :func:`pinned_terms` entry per offer.
    """
    return {
        "iss": issuer,
        "sub": decision["id"],
        "iat": int(decision["created_at"].timestamp()),
        "exp": int(decision["expires_at"].timestamp()),
        "partner_id": decision["partner_id"],
        "environment": decision["environment"],
        "customer_ref": partner_customer_ref,
        "consent_id": decision["consent_id"],
        "offers": [pinned_terms(offer) for offer in offers],
    }


def check_decision_token(session: Session, offer: Any, token: str) -> None:
    """Refuse a decision token that is not ours, is another decision's, or pins other terms.

    Raises:
        DecisionTokenMismatch: bad signature or type, another prequalification,
            no entry for this offer, or any pinned term changed (``claims`` names them).
    """
    try:
        claims = verify(session, token, typ=DECISION_TOKEN_TYPE, max_bytes=DECISION_TOKEN_MAX_BYTES)
    except InvalidToken as exc:
        raise DecisionTokenMismatch(f"the decision token is not valid: {exc.detail}") from None
    expected: dict[str, Any] = {
        "sub": offer.prequalification_id,
        "exp": int(offer.expires_at.timestamp()),
        "partner_id": offer.partner_id,
        "environment": offer.environment,
        "consent_id": offer.consent_id,
    }
    changed = [
        key
        for key in (expected.keys() | claims.keys()) - _AS_SIGNED - {"offers"}
        if claims.get(key) != expected.get(key)
    ]
    entries = claims.get("offers")
    entry = next(
        (
            e
            for e in (entries if isinstance(entries, list) else [])
            if isinstance(e, dict) and e.get("id") == offer.id
        ),
        None,
    )
    if entry is None:
        changed.append("offers")
    else:
        pinned = pinned_terms(offer)
        changed += [
            f"offers.{k}" for k in pinned.keys() | entry.keys() if entry.get(k) != pinned.get(k)
        ]
    if changed:
        raise DecisionTokenMismatch(
            "the decision token does not pin this offer's terms", extra={"claims": sorted(changed)}
        )


def check_offer_token(session: Session, offer: Any, token: str) -> None:
    """Refuse an offer token (deprecated) that is not ours, or differs from the stored offer.

    Raises:
        OfferTokenMismatch: bad signature, wrong type, or any claim changed.
    """
    try:
        claims = verify(session, token, typ=OFFER_TOKEN_TYPE)
    except InvalidToken as exc:
        raise OfferTokenMismatch(f"the offer token is not valid: {exc.detail}") from None
    partner_ref = claims.get("customer_ref")
    expected = token_claims(
        offer, str(claims.get("iss", "")), partner_ref if isinstance(partner_ref, str) else None
    )
    changed = sorted(k for k in expected.keys() | claims.keys() if claims.get(k) != expected.get(k))
    if changed:
        raise OfferTokenMismatch(
            "the offer token's terms differ from the offer", extra={"claims": changed}
        )
