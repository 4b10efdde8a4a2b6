"""``POST /v1/checkout-sessions``: a short-lived client token for the browser widget."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .._requests import NOT_GIVEN, NotGiven, TimeoutArg, strip_none
from ..types import CheckoutSession, ScenarioType
from ._resource import AsyncAPIResource, SyncAPIResource


def _body(
    amount: Decimal | str,
    currency: str,
    scenario: ScenarioType,
    allowed_origin: str,
    merchant_order_ref: str | None,
) -> dict[str, Any]:
    return strip_none(
        {
            "amount": amount,
            "currency": currency,
            "scenario": scenario,
            "allowed_origin": allowed_origin,
            "merchant_order_ref": merchant_order_ref,
        }
    )


class CheckoutSessions(SyncAPIResource):
    """Widget sessions."""

    def create(
        self,
        *,
        amount: Decimal | str,
        currency: str,
        scenario: ScenarioType,
        allowed_origin: str,
        merchant_order_ref: str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> CheckoutSession:
        """A client token the widget in the customer's browser uses (never your secret).

        Args:
            amount: the basket amount.
            currency: ISO 4217 code.
            scenario: ``ecommerce``, ``travel`` or ``education``.
            allowed_origin: the page's origin, e.g. ``https://shop.example``.
            merchant_order_ref: your order reference.
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The session with its ``client_token``.

        Raises:
            UnprocessableEntityError: a field is invalid, or the origin is not allowed.
        """
        return self._client._request(
            "POST",
            "/v1/checkout-sessions",
            cast_to=CheckoutSession,
            body=_body(amount, currency, scenario, allowed_origin, merchant_order_ref),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )


class AsyncCheckoutSessions(AsyncAPIResource):
    """Widget sessions."""

    async def create(
        self,
        *,
        amount: Decimal | str,
        currency: str,
        scenario: ScenarioType,
        allowed_origin: str,
        merchant_order_ref: str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> CheckoutSession:
        """A client token the widget in the customer's browser uses (never your secret).

        Args:
            amount: the basket amount.
            currency: ISO 4217 code.
            scenario: ``ecommerce``, ``travel`` or ``education``.
            allowed_origin: the page's origin, e.g. ``https://shop.example``.
            merchant_order_ref: your order reference.
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The session with its ``client_token``.

        Raises:
            UnprocessableEntityError: a field is invalid, or the origin is not allowed.
        """
        return await self._client._request(
            "POST",
            "/v1/checkout-sessions",
            cast_to=CheckoutSession,
            body=_body(amount, currency, scenario, allowed_origin, merchant_order_ref),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )
