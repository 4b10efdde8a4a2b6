"""``/v1/prequalifications``: is this customer pre-approved, and for what?"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from .._requests import NOT_GIVEN, NotGiven, TimeoutArg, path_segment, strip_none
from ..pagination import AsyncPage, SyncPage, list_params
from ..types import CustomerParam, DeviceParam, Prequalification, ScenarioParam
from ._resource import AsyncAPIResource, SyncAPIResource

DecisionStatus = Literal["approved", "partially_approved", "declined", "referred"]


def _create_body(
    consent_id: str,
    customer: CustomerParam,
    scenario: ScenarioParam,
    requested_tenors: Sequence[int] | None,
    product_code: str | None,
    device: DeviceParam | None = None,
) -> dict[str, Any]:
    return strip_none(
        {
            "consent_id": consent_id,
            "customer": customer,
            "scenario": scenario,
            "requested_tenors": list(requested_tenors) if requested_tenors is not None else None,
            "product_code": product_code,
            "device": device,
        }
    )


class Prequalifications(SyncAPIResource):
    """Prequalification decisions."""

    def list(
        self,
        *,
        status: DecisionStatus | None = None,
        merchant_order_ref: str | None = None,
        created_gte: datetime | None = None,
        created_lt: datetime | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> SyncPage[Prequalification]:
        """Decisions, newest first, with their offers; iterate the page to walk them all.

        Args:
            status: only decisions with this status.
            merchant_order_ref: only decisions for this order reference of yours.
            created_gte: created at or after (aware datetime).
            created_lt: created before (aware datetime).
            limit: 1-100 per page (default 20).
            starting_after: a prequalification id: the page of older ones.
            ending_before: a prequalification id: the page of newer ones.
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
            "/v1/prequalifications",
            item=Prequalification,
            params=params,
            options=self._client._options("GET", timeout, max_retries),
        )

    def create(
        self,
        *,
        consent_id: str,
        customer: CustomerParam,
        scenario: ScenarioParam,
        requested_tenors: Sequence[int] | None = None,
        product_code: str | None = None,
        device: DeviceParam | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Prequalification:
        """Ask for a decision: offers with full terms, or the reasons for a "no".

        Safe to retry: every attempt carries the same ``Idempotency-Key``, so a
        decision the gateway made before a failure is replayed, never made twice.

        Args:
            consent_id: an active ``prequalification`` consent of this customer.
            customer: phone, optional ID number and declared data.
            scenario: what is bought, its amount and currency.
            requested_tenors: months the checkout wants to show (default: all).
            product_code: which product (default: the partner's product for the scenario).
            device: the customer's device fingerprint and IP, for the bank's fraud
                checks (hashed by the gateway on arrival).
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The prequalification; ``status`` says which of ``offers``/``reasons`` to show.

        Raises:
            ConsentRequiredError: the consent is missing, revoked or expired.
            UnprocessableEntityError: a field is invalid (``.errors`` names it;
                ``scenario.amount`` above ¥200,000, the cap across partners).
        """
        return self._client._request(
            "POST",
            "/v1/prequalifications",
            cast_to=Prequalification,
            body=_create_body(
                consent_id, customer, scenario, requested_tenors, product_code, device
            ),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )

    def retrieve(
        self,
        prequalification_id: str,
        *,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Prequalification:
        """One prequalification.

        Args:
            prequalification_id: ``pq_…``.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The prequalification with its offers.

        Raises:
            NotFoundError: no such prequalification (or not yours).
        """
        return self._client._request(
            "GET",
            f"/v1/prequalifications/{path_segment(prequalification_id)}",
            cast_to=Prequalification,
            options=self._client._options("GET", timeout, max_retries),
        )

    def request_human_review(
        self,
        prequalification_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Prequalification:
        """The customer asks for a person to review an automated decision (PIPL Art. 24).

        Offer it when ``decision.human_review.available`` is true.

        Args:
            prequalification_id: ``pq_…``.
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The prequalification, with the review requested.

        Raises:
            NotFoundError: no such prequalification (or not yours).
        """
        return self._client._request(
            "POST",
            f"/v1/prequalifications/{path_segment(prequalification_id)}/human-review",
            cast_to=Prequalification,
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )


class AsyncPrequalifications(AsyncAPIResource):
    """Prequalification decisions."""

    async def list(
        self,
        *,
        status: DecisionStatus | None = None,
        merchant_order_ref: str | None = None,
        created_gte: datetime | None = None,
        created_lt: datetime | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPage[Prequalification]:
        """Decisions, newest first, with their offers; ``async for`` the page to walk them all.

        Args:
            status: only decisions with this status.
            merchant_order_ref: only decisions for this order reference of yours.
            created_gte: created at or after (aware datetime).
            created_lt: created before (aware datetime).
            limit: 1-100 per page (default 20).
            starting_after: a prequalification id: the page of older ones.
            ending_before: a prequalification id: the page of newer ones.
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
            "/v1/prequalifications",
            item=Prequalification,
            params=params,
            options=self._client._options("GET", timeout, max_retries),
        )

    async def create(
        self,
        *,
        consent_id: str,
        customer: CustomerParam,
        scenario: ScenarioParam,
        requested_tenors: Sequence[int] | None = None,
        product_code: str | None = None,
        device: DeviceParam | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Prequalification:
        """Ask for a decision: offers with full terms, or the reasons for a "no".

        Safe to retry: every attempt carries the same ``Idempotency-Key``, so a
        decision the gateway made before a failure is replayed, never made twice.

        Args:
            consent_id: an active ``prequalification`` consent of this customer.
            customer: phone, optional ID number and declared data.
            scenario: what is bought, its amount and currency.
            requested_tenors: months the checkout wants to show (default: all).
            product_code: which product (default: the partner's product for the scenario).
            device: the customer's device fingerprint and IP, for the bank's fraud
                checks (hashed by the gateway on arrival).
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The prequalification; ``status`` says which of ``offers``/``reasons`` to show.

        Raises:
            ConsentRequiredError: the consent is missing, revoked or expired.
            UnprocessableEntityError: a field is invalid (``.errors`` names it;
                ``scenario.amount`` above ¥200,000, the cap across partners).
        """
        return await self._client._request(
            "POST",
            "/v1/prequalifications",
            cast_to=Prequalification,
            body=_create_body(
                consent_id, customer, scenario, requested_tenors, product_code, device
            ),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )

    async def retrieve(
        self,
        prequalification_id: str,
        *,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Prequalification:
        """One prequalification.

        Args:
            prequalification_id: ``pq_…``.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The prequalification with its offers.

        Raises:
            NotFoundError: no such prequalification (or not yours).
        """
        return await self._client._request(
            "GET",
            f"/v1/prequalifications/{path_segment(prequalification_id)}",
            cast_to=Prequalification,
            options=self._client._options("GET", timeout, max_retries),
        )

    async def request_human_review(
        self,
        prequalification_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Prequalification:
        """The customer asks for a person to review an automated decision (PIPL Art. 24).

        Offer it when ``decision.human_review.available`` is true.

        Args:
            prequalification_id: ``pq_…``.
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The prequalification, with the review requested.

        Raises:
            NotFoundError: no such prequalification (or not yours).
        """
        return await self._client._request(
            "POST",
            f"/v1/prequalifications/{path_segment(prequalification_id)}/human-review",
            cast_to=Prequalification,
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )
