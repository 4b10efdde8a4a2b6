"""``/v1/offers``: read an offer, accept it, and check an offer token's signature."""

from __future__ import annotations

import time

from .._base import NOT_GIVEN, NotGiven, TimeoutArg, path_segment
from .._offer_tokens import offer_token_kid, verify_offer_token
from ..types import Application, Offer, OfferTokenClaims
from ._resource import AsyncAPIResource, SyncAPIResource


def _accept_body(offer_token: str, credit_inquiry_consent_id: str) -> dict[str, str]:
    return {"offer_token": offer_token, "credit_inquiry_consent_id": credit_inquiry_consent_id}


class Offers(SyncAPIResource):
    """Offers."""

    def retrieve(
        self,
        offer_id: str,
        *,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Offer:
        """One offer, with its terms, schedule and current status.

        Args:
            offer_id: ``off_…``.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The offer.

        Raises:
            NotFoundError: no such offer (or not yours).
        """
        return self._client._request(
            "GET",
            f"/v1/offers/{path_segment(offer_id)}",
            cast_to=Offer,
            options=self._client._options("GET", timeout, max_retries),
        )

    def accept(
        self,
        offer_id: str,
        *,
        offer_token: str,
        credit_inquiry_consent_id: str,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Application:
        """Accept the offer the customer chose; the bank's application starts.

        Args:
            offer_id: ``off_…``.
            offer_token: the offer's ``offer_token`` exactly as received.
            credit_inquiry_consent_id: an active ``credit_inquiry`` consent.
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The application.

        Raises:
            OfferExpiredError: prequalify again.
            OfferVoidError: another offer was accepted, or the token was altered.
            ExposureLimitError: the customer's credit across partners would pass the
                bank's cap; prequalify again.
            ConsentRequiredError: no active ``credit_inquiry`` consent.
        """
        return self._client._request(
            "POST",
            f"/v1/offers/{path_segment(offer_id)}/accept",
            cast_to=Application,
            body=_accept_body(offer_token, credit_inquiry_consent_id),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )

    def verify_token(self, token: str) -> OfferTokenClaims:
        """Check an offer token was signed by the gateway and has not expired.

        The gateway's JWKS is fetched once and cached; a token signed with a key
        the cache does not know triggers one refetch (the key was rotated).

        Args:
            token: the offer's ``offer_token``.

        Returns:
            The verified claims (the terms travel as extra fields).

        Raises:
            OfferTokenError: forged, altered, expired or not an offer token.
            InstalmentsError: ``instalments[jwt]`` is not installed.
        """
        kid = offer_token_kid(token)
        jwks = self._client._jwks
        document = jwks.document if jwks.holds(kid) else self._client._fetch_jwks()
        return verify_offer_token(token, document or {}, now=int(time.time()))


class AsyncOffers(AsyncAPIResource):
    """Offers."""

    async def retrieve(
        self,
        offer_id: str,
        *,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Offer:
        """One offer, with its terms, schedule and current status.

        Args:
            offer_id: ``off_…``.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The offer.

        Raises:
            NotFoundError: no such offer (or not yours).
        """
        return await self._client._request(
            "GET",
            f"/v1/offers/{path_segment(offer_id)}",
            cast_to=Offer,
            options=self._client._options("GET", timeout, max_retries),
        )

    async def accept(
        self,
        offer_id: str,
        *,
        offer_token: str,
        credit_inquiry_consent_id: str,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Application:
        """Accept the offer the customer chose; the bank's application starts.

        Args:
            offer_id: ``off_…``.
            offer_token: the offer's ``offer_token`` exactly as received.
            credit_inquiry_consent_id: an active ``credit_inquiry`` consent.
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The application.

        Raises:
            OfferExpiredError: prequalify again.
            OfferVoidError: another offer was accepted, or the token was altered.
            ExposureLimitError: the customer's credit across partners would pass the
                bank's cap; prequalify again.
            ConsentRequiredError: no active ``credit_inquiry`` consent.
        """
        return await self._client._request(
            "POST",
            f"/v1/offers/{path_segment(offer_id)}/accept",
            cast_to=Application,
            body=_accept_body(offer_token, credit_inquiry_consent_id),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )

    async def verify_token(self, token: str) -> OfferTokenClaims:
        """Check an offer token was signed by the gateway and has not expired.

        The gateway's JWKS is fetched once and cached; a token signed with a key
        the cache does not know triggers one refetch (the key was rotated).

        Args:
            token: the offer's ``offer_token``.

        Returns:
            The verified claims (the terms travel as extra fields).

        Raises:
            OfferTokenError: forged, altered, expired or not an offer token.
            InstalmentsError: ``instalments[jwt]`` is not installed.
        """
        kid = offer_token_kid(token)
        jwks = self._client._jwks
        document = jwks.document if jwks.holds(kid) else await self._client._fetch_jwks()
        return verify_offer_token(token, document or {}, now=int(time.time()))
