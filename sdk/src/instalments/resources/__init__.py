"""One module per resource; each holds the sync class and its ``Async`` twin."""

from .applications import Applications, AsyncApplications
from .checkout_sessions import AsyncCheckoutSessions, CheckoutSessions
from .consent_notices import AsyncConsentNotices, ConsentNotices
from .consents import AsyncConsents, Consents
from .events import AsyncEvents, Events
from .offers import AsyncOffers, Offers
from .prequalifications import AsyncPrequalifications, Prequalifications
from .products import AsyncProducts, Products
from .settlements import AsyncSettlements, Settlements
from .webhook_events import (
    AsyncWebhookEndpoints,
    AsyncWebhookEvents,
    WebhookEndpoints,
    WebhookEvents,
)

__all__ = [
    "Applications",
    "AsyncApplications",
    "AsyncCheckoutSessions",
    "AsyncConsentNotices",
    "AsyncConsents",
    "AsyncEvents",
    "AsyncOffers",
    "AsyncPrequalifications",
    "AsyncProducts",
    "AsyncSettlements",
    "AsyncWebhookEndpoints",
    "AsyncWebhookEvents",
    "CheckoutSessions",
    "ConsentNotices",
    "Consents",
    "Events",
    "Offers",
    "Prequalifications",
    "Products",
    "Settlements",
    "WebhookEndpoints",
    "WebhookEvents",
]
