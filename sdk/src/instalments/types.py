"""Response models and request parameters, shaped as ``docs/resources.md``.

Responses are pydantic models with ``extra="allow"``: a field the gateway adds
later is kept (``model.model_extra``) and never breaks an older SDK. Money is
:class:`~decimal.Decimal` (the gateway sends two-place decimal strings), rates
are ``Decimal`` (``Decimal("0.1290")`` = 12.90 %), times are timezone-aware
``datetime``. Request parameters are ``TypedDict``\\ s: plain dicts, checked by
your type checker.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal, NotRequired, TypedDict

from pydantic import AwareDatetime, Field

from ._log_types import (
    DeliveryAttempt,
    LoggedEvent,
    PingResult,
    Settlement,
    SettlementLine,
    SettlementTotals,
    WebhookEventStatus,
)
from ._model import Model
from ._token_types import DecisionTokenClaims, OfferTokenClaims, PinnedOffer

__all__ = [
    "Application",
    "CheckoutSession",
    "Consent",
    "ConsentCreateResponse",
    "ConsentNotice",
    "ConsentNoticeList",
    "ConsentReceipt",
    "CustomerParam",
    "DecisionTokenClaims",
    "DeclaredParam",
    "DeliveryAttempt",
    "DeviceParam",
    "EvidenceParam",
    "FieldError",
    "FunnelEvent",
    "GrantParam",
    "HumanReview",
    "Instalment",
    "LoggedEvent",
    "Model",
    "NoticeController",
    "NoticePartner",
    "Offer",
    "OfferTokenClaims",
    "PingResult",
    "PinnedOffer",
    "Prequalification",
    "Problem",
    "Product",
    "ProductList",
    "ProductTeaser",
    "Reason",
    "Refund",
    "ReviewReason",
    "ScenarioParam",
    "Settlement",
    "SettlementLine",
    "SettlementTotals",
    "WebhookEventStatus",
]

Purpose = Literal["prequalification", "credit_inquiry", "marketing"]
EventType = Literal["offer_displayed", "offer_selected", "checkout_completed", "checkout_abandoned"]
Channel = Literal["web", "app", "widget", "call_centre", "in_store"]
ScenarioType = Literal["ecommerce", "travel", "education"]


# -- errors -------------------------------------------------------------------


class FieldError(Model):
    """One invalid field of a ``422 validation_failed``."""

    field: str
    message: str


class Problem(Model):
    """RFC 9457 problem details (OAuth error bodies are mapped onto it)."""

    type: str | None = None
    title: str | None = None
    status: int | None = None
    detail: str | None = None
    code: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


# -- products -----------------------------------------------------------------


class ProductTeaser(Model):
    """The "from ¥X/month" line a checkout may show before any customer data."""

    monthly_payment_from: Decimal
    tenor_months: int
    apr_from: Decimal


class Product(Model):
    """An instalment product the partner offers."""

    code: str
    name: dict[str, str]
    currency: str
    min_amount: Decimal
    max_amount: Decimal
    tenors: list[int]
    repayment_methods: list[str]
    teaser: ProductTeaser | None = None


class ProductList(Model):
    """``{"data": [...]}``."""

    data: list[Product]


# -- consent ------------------------------------------------------------------


class NoticeController(Model):
    """Who controls the data (the bank)."""

    name: str
    contact: str


class NoticePartner(Model):
    """The partner the notice names."""

    id: str
    name: str


class ConsentNotice(Model):
    """The current notice text for one purpose; show it before asking for consent."""

    purpose: Purpose
    version: str
    locale: str
    hash: str
    title: str
    text: str
    controller: NoticeController
    partner: NoticePartner
    data_categories: list[str]
    retention: str
    recipients: list[str]
    withdrawal: str
    required: bool


class ConsentNoticeList(Model):
    """Every purpose's current notice in one locale."""

    data: list[ConsentNotice]


class ConsentReceipt(Model):
    """A signed receipt (JWS, verify with the gateway's JWKS)."""

    id: str
    token: str | None = None


class Consent(Model):
    """One consent for one purpose."""

    id: str
    purpose: Purpose
    status: Literal["active", "revoked", "expired"]
    #: Your reference for this customer: derived for your company alone
    #: (pairwise), so it matches no other partner's reference to the same person.
    customer_ref: str
    notice_version: str
    notice_hash: str
    granted_at: AwareDatetime
    expires_at: AwareDatetime | None = None
    revoked_at: AwareDatetime | None = None
    receipt_id: str | None = None
    receipt: ConsentReceipt | None = None


class ConsentCreateResponse(Model):
    """One consent per grant, and the receipt covering them."""

    consents: list[Consent]
    receipt: ConsentReceipt


# -- prequalification and offers ----------------------------------------------


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


# -- events and checkout sessions ---------------------------------------------


class FunnelEvent(Model):
    """A funnel event as the gateway recorded it."""

    id: str
    type: EventType
    offer_id: str
    occurred_at: AwareDatetime
    prequalification_id: str | None = None
    received_at: AwareDatetime | None = None
    #: True when this event id was reported before (and ignored this time).
    duplicate: bool = False


class CheckoutSession(Model):
    """A short-lived client token for the browser widget."""

    id: str
    client_token: str
    expires_at: AwareDatetime


# -- request parameters -------------------------------------------------------


class DeclaredParam(TypedDict, total=False):
    """What the customer declared at checkout (all optional)."""

    monthly_income: Decimal | str
    employment_type: str
    age: int


class CustomerParam(TypedDict):
    """The customer: by phone (hashed by the gateway at the edge), or by the
    ``customer_ref`` one of your consents returned (yours alone: pairwise)."""

    phone: NotRequired[str]
    customer_ref: NotRequired[str]
    id_number: NotRequired[str]
    declared: NotRequired[DeclaredParam]


class DeviceParam(TypedDict):
    """The customer's device, for the bank's fraud checks (hashed by the gateway on arrival)."""

    fingerprint: str
    ip: NotRequired[str]


class GrantParam(TypedDict):
    """One purpose's consent: ``granted`` must be ``True`` (never pre-ticked)."""

    purpose: Purpose
    granted: bool
    notice_version: str


class EvidenceParam(TypedDict):
    """How and where the consent was captured."""

    captured_at: datetime | str
    channel: Channel
    locale: str
    ip: NotRequired[str]
    user_agent: NotRequired[str]
    page_url: NotRequired[str]


class ScenarioParam(TypedDict):
    """What is being bought; the fields after ``currency`` depend on ``type``."""

    type: ScenarioType
    amount: Decimal | str
    currency: str
    merchant_order_ref: NotRequired[str]
    item_category: NotRequired[str]
    departure_date: NotRequired[date | str]
    destination: NotRequired[str]
    institution: NotRequired[str]
    term_start: NotRequired[date | str]
