"""The claims of the gateway's signed tokens (re-exported from :mod:`instalments.types`)."""

from __future__ import annotations

from decimal import Decimal

from ._model import Model


class OfferTokenClaims(Model):
    """The verified claims of an offer token (deprecated): who it is for and every term it binds."""

    exp: int
    iat: int | None = None
    iss: str | None = None
    sub: str | None = None
    jti: str | None = None
    offer_id: str | None = None
    prequalification_id: str | None = None
    partner_id: str | None = None
    environment: str | None = None
    #: Your pairwise reference for the customer (as on your consents).
    customer_ref: str | None = None
    product_code: str | None = None
    principal: Decimal | None = None
    currency: str | None = None
    tenor_months: int | None = None
    repayment_method: str | None = None
    apr: Decimal | None = None
    monthly_payment: Decimal | None = None
    total_repayable: Decimal | None = None
    schedule_hash: str | None = None


class PinnedOffer(Model):
    """One offer's entry in a decision token: the terms the bank signed for it."""

    id: str
    product_code: str
    currency: str
    principal: Decimal
    tenor_months: int
    repayment_method: str
    apr: Decimal
    monthly_payment: Decimal
    total_interest: Decimal
    total_fees: Decimal
    total_cost: Decimal
    total_repayable: Decimal
    merchant_subsidy: Decimal | None = None
    #: ``sha256:`` + hex SHA-256 of the schedule as canonical JSON.
    schedule_hash: str


class DecisionTokenClaims(Model):
    """The verified claims of a decision token: whose decision it is and every offer's terms."""

    sub: str
    exp: int
    iat: int | None = None
    iss: str | None = None
    partner_id: str | None = None
    environment: str | None = None
    #: Your pairwise reference for the customer (as on your consents).
    customer_ref: str | None = None
    consent_id: str | None = None
    offers: list[PinnedOffer]
