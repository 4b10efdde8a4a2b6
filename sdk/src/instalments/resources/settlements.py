"""``/v1/settlements``: a day's funded, refunded, merchant subsidy and net."""

from __future__ import annotations

from datetime import date

from .._requests import NOT_GIVEN, NotGiven, TimeoutArg
from ..types import Settlement
from ._resource import AsyncAPIResource, SyncAPIResource


class Settlements(SyncAPIResource):
    """Daily settlements with the bank."""

    def retrieve(
        self,
        *,
        date: date,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Settlement:
        """The settlement of one UTC day: totals and one line per application.

        Args:
            date: the day.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The settlement; ``totals`` are the sums of ``lines``.
        """
        return self._client._request(
            "GET",
            "/v1/settlements",
            cast_to=Settlement,
            params={"date": date.isoformat()},
            options=self._client._options("GET", timeout, max_retries),
        )


class AsyncSettlements(AsyncAPIResource):
    """Daily settlements with the bank."""

    async def retrieve(
        self,
        *,
        date: date,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Settlement:
        """The settlement of one UTC day: totals and one line per application."""
        return await self._client._request(
            "GET",
            "/v1/settlements",
            cast_to=Settlement,
            params={"date": date.isoformat()},
            options=self._client._options("GET", timeout, max_retries),
        )
