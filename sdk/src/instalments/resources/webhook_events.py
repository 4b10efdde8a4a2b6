"""``/v1/webhook-events`` and ``/v1/webhook-endpoints/test``: the event log and test pings."""

from __future__ import annotations

from datetime import datetime

from .._requests import NOT_GIVEN, NotGiven, TimeoutArg, path_segment
from ..pagination import AsyncPage, SyncPage, list_params
from ..types import LoggedEvent, PingResult, WebhookEventStatus
from ._resource import AsyncAPIResource, SyncAPIResource


class WebhookEvents(SyncAPIResource):
    """Every webhook event you were sent or will be sent, with its delivery attempts."""

    def list(
        self,
        *,
        type: str | None = None,
        status: WebhookEventStatus | None = None,
        created_gte: datetime | None = None,
        created_lt: datetime | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> SyncPage[LoggedEvent]:
        """Events, newest first; iterate the page to walk them all.

        Args:
            type: only this type, e.g. ``"application.funded"``.
            status: ``pending``, ``delivered`` or ``dead``.
            created_gte: created at or after (aware datetime).
            created_lt: created before (aware datetime).
            limit: 1-100 per page (default 20).
            starting_after: an event id: the page of older events.
            ending_before: an event id: the page of newer events.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The first page; iterating it fetches the following ones.
        """
        params = list_params(
            limit=limit,
            starting_after=starting_after,
            ending_before=ending_before,
            created_gte=created_gte,
            created_lt=created_lt,
            type=type,
            status=status,
        )
        return self._client._get_page(
            "/v1/webhook-events",
            item=LoggedEvent,
            params=params,
            options=self._client._options("GET", timeout, max_retries),
        )

    def retrieve(
        self,
        event_id: str,
        *,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> LoggedEvent:
        """One event with its payload and every delivery attempt.

        Raises:
            NotFoundError: no such event (or not yours).
        """
        return self._client._request(
            "GET",
            f"/v1/webhook-events/{path_segment(event_id)}",
            cast_to=LoggedEvent,
            options=self._client._options("GET", timeout, max_retries),
        )


class AsyncWebhookEvents(AsyncAPIResource):
    """Every webhook event you were sent or will be sent, with its delivery attempts."""

    async def list(
        self,
        *,
        type: str | None = None,
        status: WebhookEventStatus | None = None,
        created_gte: datetime | None = None,
        created_lt: datetime | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPage[LoggedEvent]:
        """Events, newest first; ``async for`` the page to walk them all (see the sync twin)."""
        params = list_params(
            limit=limit,
            starting_after=starting_after,
            ending_before=ending_before,
            created_gte=created_gte,
            created_lt=created_lt,
            type=type,
            status=status,
        )
        return await self._client._get_page(
            "/v1/webhook-events",
            item=LoggedEvent,
            params=params,
            options=self._client._options("GET", timeout, max_retries),
        )

    async def retrieve(
        self,
        event_id: str,
        *,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> LoggedEvent:
        """One event with its payload and every delivery attempt."""
        return await self._client._request(
            "GET",
            f"/v1/webhook-events/{path_segment(event_id)}",
            cast_to=LoggedEvent,
            options=self._client._options("GET", timeout, max_retries),
        )


class WebhookEndpoints(SyncAPIResource):
    """Your webhook endpoint (configured by the bank from your partner config)."""

    def test(
        self,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> PingResult:
        """Sandbox: send a signed ``ping`` event to your webhook URL now.

        Returns:
            Whether your endpoint answered 2xx, its status and the logged event.

        Raises:
            PermissionDeniedError: ``sandbox_only`` with live credentials.
        """
        return self._client._request(
            "POST",
            "/v1/webhook-endpoints/test",
            cast_to=PingResult,
            body={},
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )


class AsyncWebhookEndpoints(AsyncAPIResource):
    """Your webhook endpoint (configured by the bank from your partner config)."""

    async def test(
        self,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> PingResult:
        """Sandbox: send a signed ``ping`` event to your webhook URL now."""
        return await self._client._request(
            "POST",
            "/v1/webhook-endpoints/test",
            cast_to=PingResult,
            body={},
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )
