"""``GET /v1/applications/{id}``: where an accepted offer's application stands."""

from __future__ import annotations

from .._base import NOT_GIVEN, NotGiven, TimeoutArg, path_segment
from ..types import Application
from ._resource import AsyncAPIResource, SyncAPIResource


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
