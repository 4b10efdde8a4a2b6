"""Response models and request parameters, shaped as ``docs/resources.md``.

Responses are pydantic models with ``extra="allow"``: a field the gateway adds
later is kept (``model.model_extra``) and never breaks an older SDK. Money is
:class:`~decimal.Decimal` (the gateway sends two-place decimal strings), rates
are ``Decimal`` (``Decimal("0.1290")`` = 12.90 %), times are timezone-aware
``datetime``. Request parameters are ``TypedDict``\\ s: plain dicts, checked by
your type checker.

This module is the one place to import them from; they are defined, by area,
in private modules next to it.
"""

from __future__ import annotations

from ._checkout_types import CheckoutSession, FunnelEvent, Product, ProductList, ProductTeaser
from ._checkout_types import EventType as EventType
from ._consent_types import (
    Consent,
    ConsentCreateResponse,
    ConsentNotice,
    ConsentNoticeList,
    ConsentReceipt,
    NoticeController,
    NoticePartner,
)
from ._consent_types import Purpose as Purpose
from ._lending_types import (
    Application,
    HumanReview,
    Instalment,
    Offer,
    Prequalification,
    Reason,
    Refund,
    ReviewReason,
)
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
from ._param_types import Channel as Channel
from ._param_types import (
    CustomerParam,
    DeclaredParam,
    DeviceParam,
    EvidenceParam,
    GrantParam,
    ScenarioParam,
)
from ._param_types import ScenarioType as ScenarioType
from ._problem_types import FieldError, Problem
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
