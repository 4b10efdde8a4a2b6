"""A credit decision and what follows it: prequalifications, offers, applications, refunds.

Re-exported by :mod:`instalments.types`; import them from there.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import AwareDatetime, Field

from ._model import Model


class Instalment(Model):
    """One line of a repayment schedule."""

    number: int
    due_date: date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    fee: Decimal
    balance_after: Decimal


class Offer(Model):
    """An offer: its terms and full schedule, pinned by its prequalification's
    ``decision_token`` (check it with ``client.offers.verify``)."""

    id: str
    prequalification_id: str
    status: Literal["open", "accepted", "void", "expired"]
    #: Why a void offer is void (``consent_revoked``, ``superseded``); ``None`` otherwise.
    void_reason: str | None = None
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
    schedule: list[Instalment]
    expires_at: AwareDatetime
    #: Deprecated: the offer's own token, only on offers issued before decision tokens.
    offer_token: str | None = None


class Reason(Model):
    """Why a customer was declined (or approved for less)."""

    code: str
    message: str
    locale: str | None = None


class ReviewReason(Model):
    """Why a person approved or upheld a decision, in words for the customer."""

    code: str
    message: str
    locale: str | None = None


class HumanReview(Model):
    """Whether the customer may ask for a person to review the decision, and how that went.

    ``status`` is ``None`` until a review exists (a referral opens one at once,
    a customer's request on a declined or partially approved decision opens
    one), then ``open`` → ``in_review`` → ``decided``, or ``withdrawn`` when
    the customer revoked the consent. A decided review's ``outcome`` is
    ``approved`` (the prequalification's ``offers`` now hold new offers to
    accept) or ``upheld`` (the decision stands); ``message`` and ``reasons``
    are what to tell the customer.
    """

    available: bool
    requested_at: AwareDatetime | None = None
    kind: Literal["referral", "customer_request"] | None = None
    status: Literal["open", "in_review", "decided", "withdrawn"] | None = None
    due_at: AwareDatetime | None = None
    decided_at: AwareDatetime | None = None
    outcome: Literal["approved", "upheld"] | None = None
    message: str | None = None
    reasons: list[ReviewReason] = Field(default_factory=list)


class Prequalification(Model):
    """A decision: offers, or reasons for a "no"."""

    id: str
    status: Literal["approved", "partially_approved", "declined", "referred"]
    created_at: AwareDatetime
    expires_at: AwareDatetime | None = None
    consent_id: str
    currency: str
    requested_amount: Decimal
    approved_amount: Decimal | None = None
    upfront_payment: Decimal | None = None
    #: One signed token pinning every offer's terms; accept any offer with it.
    #: ``None`` when there are no offers (and on decisions made before it existed).
    decision_token: str | None = None
    offers: list[Offer]
    reasons: list[Reason]
    human_review: HumanReview | None = None


class Application(Model):
    """The application an accepted offer became."""

    id: str
    offer_id: str
    status: Literal["submitted", "under_review", "approved", "declined", "funded", "cancelled"]
    created_at: AwareDatetime
    updated_at: AwareDatetime
    decision_reasons: list[Reason]
    funded_amount: Decimal | None = None
    outstanding_principal: Decimal | None = None
    prequalification_id: str | None = None
    currency: str | None = None
    principal: Decimal | None = None
    funded_at: AwareDatetime | None = None
    refunded_amount: Decimal | None = None
    #: The live repayment schedule once funded (refunds re-compute it).
    schedule: list[Instalment] | None = None


class Refund(Model):
    """A refund of a funded loan, and the application as it stands after it."""

    id: str
    refund_id: str
    application_id: str
    amount: Decimal
    outstanding_before: Decimal
    outstanding_after: Decimal
    created_at: AwareDatetime
    reason: str | None = None
    #: The application as it stands after the refund (not sent in lists).
    application: Application | None = None
