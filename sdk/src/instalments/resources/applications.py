"""``/v1/applications``: where an accepted offer's application stands; cancel; refund.

The refund endpoints (``list_refunds``, ``refund``) are defined in
``_application_refunds`` and inherited by the classes here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from .._requests import NOT_GIVEN, NotGiven, TimeoutArg, path_segment, strip_none
from ..pagination import AsyncPage, SyncPage, list_params
from ..types import Application
from ._application_refunds import ApplicationRefunds, AsyncApplicationRefunds

ApplicationStatus = Literal[
    "submitted", "under_review", "approved", "declined", "funded", "cancelled"
]


class Applications(ApplicationRefunds):
    """Applications (created by ``offers.accept``)."""

    def list(
        self,
        *,
        status: ApplicationStatus | None = None,
        merchant_order_ref: str | None = None,
        created_gte: datetime | None = None,
        created_lt: datetime | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> SyncPage[Application]:
        """Applications, newest first; iterate the page to walk them all.

        Args:
            status: only applications with this status.
            merchant_order_ref: only applications for this order reference of yours.
            created_gte: created at or after (aware datetime).
            created_lt: created before (aware datetime).
            limit: 1-100 per page (default 20).
            starting_after: an application id: the page of older ones.
            ending_before: an application id: the page of newer ones.
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
            status=status,
            merchant_order_ref=merchant_order_ref,
        )
        return self._client._get_page(
            "/v1/applications",
            item=Application,
            params=params,
            options=self._client._options("GET", timeout, max_retries),
        )

    def retrieve(
        self,
        application_id: str,
        *,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Application:
        """One application's status (webhooks tell you when it changes).

        Args:
            application_id: ``app_…``.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The application.

        Raises:
            NotFoundError: no such application (or not yours).
        """
        return self._client._request(
            "GET",
            f"/v1/applications/{path_segment(application_id)}",
            cast_to=Application,
            options=self._client._options("GET", timeout, max_retries),
        )

    def cancel(
        self,
        application_id: str,
        *,
        reason: str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Application:
        """Cancel an application before funding (the order was cancelled).

        Args:
            application_id: ``app_…``.
            reason: why, for the bank's records.
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The application, ``status="cancelled"``.

        Raises:
            ConflictError: the application was already funded or decided.
        """
        return self._client._request(
            "POST",
            f"/v1/applications/{path_segment(application_id)}/cancel",
            cast_to=Application,
            body=strip_none({"reason": reason}),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )


class AsyncApplications(AsyncApplicationRefunds):
    """Applications (created by ``offers.accept``)."""

    async def list(
        self,
        *,
        status: ApplicationStatus | None = None,
        merchant_order_ref: str | None = None,
        created_gte: datetime | None = None,
        created_lt: datetime | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPage[Application]:
        """Applications, newest first; ``async for`` the page to walk them all.

        Args:
            status: only applications with this status.
            merchant_order_ref: only applications for this order reference of yours.
            created_gte: created at or after (aware datetime).
            created_lt: created before (aware datetime).
            limit: 1-100 per page (default 20).
            starting_after: an application id: the page of older ones.
            ending_before: an application id: the page of newer ones.
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
            status=status,
            merchant_order_ref=merchant_order_ref,
        )
        return await self._client._get_page(
            "/v1/applications",
            item=Application,
            params=params,
            options=self._client._options("GET", timeout, max_retries),
        )

    async def retrieve(
        self,
        application_id: str,
        *,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Application:
        """One application's status (webhooks tell you when it changes).

        Args:
            application_id: ``app_…``.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The application.

        Raises:
            NotFoundError: no such application (or not yours).
        """
        return await self._client._request(
            "GET",
            f"/v1/applications/{path_segment(application_id)}",
            cast_to=Application,
            options=self._client._options("GET", timeout, max_retries),
        )

    async def cancel(
        self,
        application_id: str,
        *,
        reason: str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Application:
        """Cancel an application before funding (the order was cancelled).

        Args:
            application_id: ``app_…``.
            reason: why, for the bank's records.
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The application, ``status="cancelled"``.

        Raises:
            ConflictError: the application was already funded or decided.
        """
        return await self._client._request(
            "POST",
            f"/v1/applications/{path_segment(application_id)}/cancel",
            cast_to=Application,
            body=strip_none({"reason": reason}),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )
