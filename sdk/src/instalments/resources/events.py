"""``POST /v1/events``: funnel events (displayed, selected, completed, abandoned)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .._requests import NOT_GIVEN, NotGiven, TimeoutArg
from ..types import EventType, FunnelEvent
from ._resource import AsyncAPIResource, SyncAPIResource


def _body(event_id: str, type: EventType, offer_id: str, occurred_at: datetime) -> dict[str, Any]:
    return {"id": event_id, "type": type, "offer_id": offer_id, "occurred_at": occurred_at}


class Events(SyncAPIResource):
    """Funnel events."""

    def create(
        self,
        *,
        id: str,
        type: EventType,
        offer_id: str,
        occurred_at: datetime,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> FunnelEvent:
        """Report what happened at checkout; a repeated ``id`` is accepted and ignored.

        ``checkout_completed`` funds the offer's approved application;
        ``checkout_abandoned`` cancels one not yet funded.

        Args:
            id: your unique id for the event (duplicates are deduplicated).
            type: ``offer_displayed``, ``offer_selected``, ``checkout_completed``
                or ``checkout_abandoned``.
            offer_id: the offer concerned.
            occurred_at: when it happened (timezone-aware).
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The event as recorded (``duplicate`` if the id was seen before).

        Raises:
            UnprocessableEntityError: a field is invalid.
        """
        return self._client._request(
            "POST",
            "/v1/events",
            cast_to=FunnelEvent,
            body=_body(id, type, offer_id, occurred_at),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )


class AsyncEvents(AsyncAPIResource):
    """Funnel events."""

    async def create(
        self,
        *,
        id: str,
        type: EventType,
        offer_id: str,
        occurred_at: datetime,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> FunnelEvent:
        """Report what happened at checkout; a repeated ``id`` is accepted and ignored.

        ``checkout_completed`` funds the offer's approved application;
        ``checkout_abandoned`` cancels one not yet funded.

        Args:
            id: your unique id for the event (duplicates are deduplicated).
            type: ``offer_displayed``, ``offer_selected``, ``checkout_completed``
                or ``checkout_abandoned``.
            offer_id: the offer concerned.
            occurred_at: when it happened (timezone-aware).
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The event as recorded (``duplicate`` if the id was seen before).

        Raises:
            UnprocessableEntityError: a field is invalid.
        """
        return await self._client._request(
            "POST",
            "/v1/events",
            cast_to=FunnelEvent,
            body=_body(id, type, offer_id, occurred_at),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )
