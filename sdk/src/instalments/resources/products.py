"""``GET /v1/products``: what the partner can offer, before any customer data."""

from __future__ import annotations

from decimal import Decimal

from .._requests import NOT_GIVEN, NotGiven, TimeoutArg
from ..types import ProductList
from ._resource import AsyncAPIResource, SyncAPIResource


def _params(amount: Decimal | str | None, currency: str | None) -> dict[str, str]:
    params = {}
    if amount is not None:
        params["amount"] = str(amount)
    if currency is not None:
        params["currency"] = currency
    return params


class Products(SyncAPIResource):
    """The partner's instalment products."""

    def list(
        self,
        *,
        amount: Decimal | str | None = None,
        currency: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ProductList:
        """The partner's products with limits and a "from ¥X/month" teaser.

        Args:
            amount: the basket amount the teaser is computed for.
            currency: ISO 4217 code of ``amount``.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            ``ProductList`` (``.data`` is the list).

        Raises:
            APIStatusError: the gateway refused (see :mod:`instalments` errors).
        """
        return self._client._request(
            "GET",
            "/v1/products",
            cast_to=ProductList,
            params=_params(amount, currency),
            options=self._client._options("GET", timeout, max_retries),
        )


class AsyncProducts(AsyncAPIResource):
    """The partner's instalment products."""

    async def list(
        self,
        *,
        amount: Decimal | str | None = None,
        currency: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ProductList:
        """The partner's products with limits and a "from ¥X/month" teaser.

        Args:
            amount: the basket amount the teaser is computed for.
            currency: ISO 4217 code of ``amount``.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            ``ProductList`` (``.data`` is the list).

        Raises:
            APIStatusError: the gateway refused (see :mod:`instalments` errors).
        """
        return await self._client._request(
            "GET",
            "/v1/products",
            cast_to=ProductList,
            params=_params(amount, currency),
            options=self._client._options("GET", timeout, max_retries),
        )
