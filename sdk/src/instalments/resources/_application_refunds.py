"""An application's refunds (``/v1/applications/{id}/refunds``): list them, refund a funded loan.

The methods are ``client.applications.list_refunds`` and
``client.applications.refund``: the application resources inherit them from
the classes here.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from .._requests import NOT_GIVEN, NotGiven, TimeoutArg, path_segment, strip_none
from ..pagination import AsyncPage, SyncPage, list_params
from ..types import Refund
from ._resource import AsyncAPIResource, SyncAPIResource


def _refund_body(refund_id: str, amount: Decimal | str, reason: str | None) -> dict[str, Any]:
    return strip_none({"refund_id": refund_id, "amount": amount, "reason": reason})


class ApplicationRefunds(SyncAPIResource):
    """The refund endpoints of :class:`~instalments.resources.Applications`."""

    def list_refunds(
        self,
        application_id: str,
        *,
        created_gte: datetime | None = None,
        created_lt: datetime | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> SyncPage[Refund]:
        """An application's refunds, newest first (``application`` is not set on them).

        Raises:
            NotFoundError: no such application (or not yours).
        """
        params = list_params(
            limit=limit,
            starting_after=starting_after,
            ending_before=ending_before,
            created_gte=created_gte,
            created_lt=created_lt,
        )
        return self._client._get_page(
            f"/v1/applications/{path_segment(application_id)}/refunds",
            item=Refund,
            params=params,
            options=self._client._options("GET", timeout, max_retries),
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


class AsyncApplicationRefunds(AsyncAPIResource):
    """The refund endpoints of :class:`~instalments.resources.AsyncApplications`."""

    async def list_refunds(
        self,
        application_id: str,
        *,
        created_gte: datetime | None = None,
        created_lt: datetime | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPage[Refund]:
        """An application's refunds, newest first (``application`` is not set on them).

        Raises:
            NotFoundError: no such application (or not yours).
        """
        params = list_params(
            limit=limit,
            starting_after=starting_after,
            ending_before=ending_before,
            created_gte=created_gte,
            created_lt=created_lt,
        )
        return await self._client._get_page(
            f"/v1/applications/{path_segment(application_id)}/refunds",
            item=Refund,
            params=params,
            options=self._client._options("GET", timeout, max_retries),
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
