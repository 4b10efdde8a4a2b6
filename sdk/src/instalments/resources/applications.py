"""``/v1/applications``: where an accepted offer's application stands; cancel; refund."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .._base import NOT_GIVEN, NotGiven, TimeoutArg, path_segment, strip_none
from ..types import Application, Refund
from ._resource import AsyncAPIResource, SyncAPIResource


def _refund_body(refund_id: str, amount: Decimal | str, reason: str | None) -> dict[str, Any]:
    return strip_none({"refund_id": refund_id, "amount": amount, "reason": reason})


class Applications(SyncAPIResource):
    """Applications (created by ``offers.accept``)."""

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

    def refund(
        self,
        application_id: str,
        *,
        refund_id: str,
        amount: Decimal | str,
        reason: str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Refund:
        """Refund part or all of a funded loan; the remaining schedule is re-computed.

        Args:
            application_id: ``app_…`` (funded).
            refund_id: your id for this refund; the same id twice is one refund.
            amount: how much the customer returned.
            reason: why, for the bank's records.
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The refund with the application as it stands after it.

        Raises:
            ConflictError: not funded, or the refund exceeds what is outstanding.
        """
        return self._client._request(
            "POST",
            f"/v1/applications/{path_segment(application_id)}/refunds",
            cast_to=Refund,
            body=_refund_body(refund_id, amount, reason),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )


class AsyncApplications(AsyncAPIResource):
    """Applications (created by ``offers.accept``)."""

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

    async def refund(
        self,
        application_id: str,
        *,
        refund_id: str,
        amount: Decimal | str,
        reason: str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Refund:
        """Refund part or all of a funded loan; the remaining schedule is re-computed.

        Args:
            application_id: ``app_…`` (funded).
            refund_id: your id for this refund; the same id twice is one refund.
            amount: how much the customer returned.
            reason: why, for the bank's records.
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The refund with the application as it stands after it.

        Raises:
            ConflictError: not funded, or the refund exceeds what is outstanding.
        """
        return await self._client._request(
            "POST",
            f"/v1/applications/{path_segment(application_id)}/refunds",
            cast_to=Refund,
            body=_refund_body(refund_id, amount, reason),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )
