"""The shop's orders, in memory (a demo; a real shop has its own database)."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# Where the checkout page may stop asking: the bank has nothing more to say
# until the shop completes (approved) or the story is over.
SETTLED = ("approved", "declined", "funded", "cancelled")


@dataclass
class Order:
    """One checkout and what the bank has said about it since."""

    id: str
    sku: str
    amount: Decimal
    quantity: int = 1
    checkout_session_id: str | None = None
    client_token: str | None = None
    session_expires_at: dt.datetime | None = None
    offer_id: str | None = None
    application_id: str | None = None
    application_status: str | None = None
    webhooks: list[dict[str, Any]] = field(default_factory=list)

    def settled(self, *, expect_webhooks: bool) -> bool:
        """Whether the checkout page can stop polling.

        The application has a settled status and, when the shop receives
        webhooks, the webhook saying so has arrived (so the page shows it).
        """
        if self.application_status not in SETTLED:
            return False
        if not expect_webhooks:
            return True
        return any(w["status"] == self.application_status for w in self.webhooks)

    def reusable_session(self, now: dt.datetime) -> bool:
        """The order's checkout session can serve another page load (a reload, back/forward)."""
        return (
            self.client_token is not None
            and self.session_expires_at is not None
            and self.session_expires_at - now > dt.timedelta(minutes=1)
        )

    def as_json(self) -> dict[str, Any]:
        """What the checkout page polls."""
        return {
            "id": self.id,
            "amount": f"{self.amount:.2f}",
            "offer_id": self.offer_id,
            "application_id": self.application_id,
            "application_status": self.application_status,
            "webhooks": list(self.webhooks),
        }


class OrderBook:
    """Orders by id, safe across the server's threads."""

    def __init__(self) -> None:
        self._orders: dict[str, Order] = {}
        self._lock = threading.Lock()

    def create(self, sku: str, amount: Decimal, quantity: int = 1) -> Order:
        """A new order for ``quantity`` of one item (``amount`` is the total)."""
        order = Order(id="order-" + secrets.token_hex(6), sku=sku, amount=amount, quantity=quantity)
        with self._lock:
            self._orders[order.id] = order
        return order

    def get(self, order_id: str) -> Order | None:
        """The order, if it exists."""
        with self._lock:
            return self._orders.get(order_id)

    def by_application(self, application_id: str) -> Order | None:
        """The order an application belongs to."""
        with self._lock:
            return next(
                (o for o in self._orders.values() if o.application_id == application_id), None
            )

    def record_webhook(self, application_id: str, event: dict[str, Any]) -> bool:
        """Attach a verified webhook to its order; ``False`` when no order matches.

        ``event`` holds ``id``, ``type``, ``sequence`` and the application's
        ``status``. Deliveries may repeat or arrive out of order: duplicates
        are dropped and the status is the one of the highest sequence.
        """
        with self._lock:
            order = next(
                (o for o in self._orders.values() if o.application_id == application_id), None
            )
            if order is None:
                return False
            if all(w["id"] != event["id"] for w in order.webhooks):
                order.webhooks.append(event)
                order.webhooks.sort(key=lambda w: w["sequence"])
                order.application_status = order.webhooks[-1]["status"]
            return True
