"""``/v1/consents``: record, read and revoke a customer's consent, one purpose each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._requests import NOT_GIVEN, NotGiven, TimeoutArg, path_segment, strip_none
from ..types import Consent, ConsentCreateResponse, CustomerParam, EvidenceParam, GrantParam
from ._resource import AsyncAPIResource, SyncAPIResource


def _create_body(
    customer: CustomerParam, grants: Sequence[GrantParam], evidence: EvidenceParam
) -> dict[str, Any]:
    return {"customer": customer, "grants": list(grants), "evidence": evidence}


class Consents(SyncAPIResource):
    """Customer consents."""

    def create(
        self,
        *,
        customer: CustomerParam,
        grants: Sequence[GrantParam],
        evidence: EvidenceParam,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ConsentCreateResponse:
        """Record the consents the customer gave, one grant per purpose.

        Args:
            customer: the customer's phone (and optionally ID number).
            grants: one ``{"purpose", "granted": True, "notice_version"}`` per purpose.
            evidence: when, where and how the consent was captured.
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            One consent per grant and the signed receipt covering them.

        Raises:
            UnprocessableEntityError: a field is invalid (``.errors`` names it).
        """
        return self._client._request(
            "POST",
            "/v1/consents",
            cast_to=ConsentCreateResponse,
            body=_create_body(customer, grants, evidence),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )

    def retrieve(
        self,
        consent_id: str,
        *,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Consent:
        """One consent, with its receipt.

        Args:
            consent_id: ``cns_…``.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The consent.

        Raises:
            NotFoundError: no such consent (or not yours).
        """
        return self._client._request(
            "GET",
            f"/v1/consents/{path_segment(consent_id)}",
            cast_to=Consent,
            options=self._client._options("GET", timeout, max_retries),
        )

    def revoke(
        self,
        consent_id: str,
        *,
        reason: str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Consent:
        """Revoke a consent, at once and for good.

        Args:
            consent_id: ``cns_…``.
            reason: why, in the customer's words (optional).
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The consent, ``status="revoked"``.

        Raises:
            NotFoundError: no such consent (or not yours).
        """
        return self._client._request(
            "POST",
            f"/v1/consents/{path_segment(consent_id)}/revoke",
            cast_to=Consent,
            body=strip_none({"reason": reason}),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )


class AsyncConsents(AsyncAPIResource):
    """Customer consents."""

    async def create(
        self,
        *,
        customer: CustomerParam,
        grants: Sequence[GrantParam],
        evidence: EvidenceParam,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ConsentCreateResponse:
        """Record the consents the customer gave, one grant per purpose.

        Args:
            customer: the customer's phone (and optionally ID number).
            grants: one ``{"purpose", "granted": True, "notice_version"}`` per purpose.
            evidence: when, where and how the consent was captured.
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            One consent per grant and the signed receipt covering them.

        Raises:
            UnprocessableEntityError: a field is invalid (``.errors`` names it).
        """
        return await self._client._request(
            "POST",
            "/v1/consents",
            cast_to=ConsentCreateResponse,
            body=_create_body(customer, grants, evidence),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )

    async def retrieve(
        self,
        consent_id: str,
        *,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Consent:
        """One consent, with its receipt.

        Args:
            consent_id: ``cns_…``.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The consent.

        Raises:
            NotFoundError: no such consent (or not yours).
        """
        return await self._client._request(
            "GET",
            f"/v1/consents/{path_segment(consent_id)}",
            cast_to=Consent,
            options=self._client._options("GET", timeout, max_retries),
        )

    async def revoke(
        self,
        consent_id: str,
        *,
        reason: str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Consent:
        """Revoke a consent, at once and for good.

        Args:
            consent_id: ``cns_…``.
            reason: why, in the customer's words (optional).
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The consent, ``status="revoked"``.

        Raises:
            NotFoundError: no such consent (or not yours).
        """
        return await self._client._request(
            "POST",
            f"/v1/consents/{path_segment(consent_id)}/revoke",
            cast_to=Consent,
            body=strip_none({"reason": reason}),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )
