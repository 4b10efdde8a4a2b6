"""Decision tokens: one ES256 JWS (``typ: decision+jwt``) pinning every offer of a decision.

Sans-I/O, like :mod:`._offer_tokens`: the resources fetch the JWKS (once, and
again once for a key id the cache does not hold); these functions check the
signature, the expiry, and that an offer as received is the one the bank signed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pydantic

from . import _constants as constants
from ._exceptions import DecisionTokenError
from ._offer_tokens import token_kid, verified_payload
from .types import DecisionTokenClaims, Offer, PinnedOffer, Prequalification

#: The terms compared one by one; the schedule is compared through its hash.
_TERMS = (
    "product_code",
    "currency",
    "principal",
    "tenor_months",
    "repayment_method",
    "apr",
    "monthly_payment",
    "total_interest",
    "total_fees",
    "total_cost",
    "total_repayable",
    "merchant_subsidy",
)


def decision_token_of(decision: Prequalification | str) -> str:
    """The token of a prequalification (or the token itself).

    Raises:
        DecisionTokenError: the prequalification has no decision token (no offers).
    """
    token = decision if isinstance(decision, str) else decision.decision_token
    if token is None:
        raise DecisionTokenError("the prequalification carries no decision token")
    return token


def decision_token_kid(token: str) -> str:
    """The key id of a decision token, after checking its header (signature not yet checked).

    Raises:
        DecisionTokenError: not a compact JWS, not ``typ: decision+jwt``, not ES256, no ``kid``.
    """
    return token_kid(token, constants.DECISION_TOKEN_TYPE, DecisionTokenError)


def verify_decision_token(token: str, jwks: dict[str, Any], now: int) -> DecisionTokenClaims:
    """Check a decision token's signature against ``jwks`` and its expiry against ``now``.

    Args:
        token: the prequalification's ``decision_token``.
        jwks: the gateway's ``/.well-known/jwks.json`` document.
        now: the current time, Unix seconds.

    Returns:
        The verified claims: the decision (``sub``), its parties and every offer's terms.

    Raises:
        DecisionTokenError: unknown key, bad signature, malformed or expired claims.
        InstalmentsError: joserfc is not installed (``instalments[jwt]``).
    """
    payload = verified_payload(token, jwks, constants.DECISION_TOKEN_TYPE, DecisionTokenError)
    try:
        claims = DecisionTokenClaims.model_validate_json(payload)
    except pydantic.ValidationError as exc:
        raise DecisionTokenError("the decision token's claims are malformed") from exc
    if claims.exp <= now:
        raise DecisionTokenError("the decision token has expired")
    return claims


def schedule_hash(offer: Offer) -> str:
    """``sha256:`` + hex SHA-256 of the schedule as canonical JSON, as the gateway hashes it."""
    rows = [row.model_dump(mode="json") for row in offer.schedule]
    canonical = json.dumps(rows, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def check_offer(claims: DecisionTokenClaims, offer: Offer | dict[str, Any]) -> PinnedOffer:
    """Check that ``offer``, as received, is one the verified decision pins, term for term.

    Args:
        claims: a decision token's verified claims (:func:`verify_decision_token`).
        offer: the offer about to be shown, as the SDK returned it or as raw JSON.

    Returns:
        The offer's entry in the token: the terms the bank signed.

    Raises:
        DecisionTokenError: another decision's offer, an offer the token does not
            pin, or any term or the schedule changed (``terms`` names them).
    """
    if not isinstance(offer, Offer):
        offer = Offer.model_validate(offer)
    if offer.prequalification_id != claims.sub:
        raise DecisionTokenError(
            f"offer {offer.id} is not of decision {claims.sub}", terms=["prequalification_id"]
        )
    pinned = next((entry for entry in claims.offers if entry.id == offer.id), None)
    if pinned is None:
        raise DecisionTokenError(f"the decision token pins no offer {offer.id}", terms=["id"])
    changed = [term for term in _TERMS if getattr(offer, term) != getattr(pinned, term)]
    if schedule_hash(offer) != pinned.schedule_hash:
        changed.append("schedule")
    if changed:
        raise DecisionTokenError(
            f"offer {offer.id} differs from the signed terms: {', '.join(changed)}", terms=changed
        )
    return pinned
