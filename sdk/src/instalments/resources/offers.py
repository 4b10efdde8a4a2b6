"""``/v1/offers``: read an offer, accept it, and check it against its decision's signed token."""

from __future__ import annotations

import time
from typing import Any

from .._decision_tokens import (
    check_offer,
    decision_token_kid,
    decision_token_of,
    verify_decision_token,
)
from .._offer_tokens import offer_token_kid, verify_offer_token
from .._requests import NOT_GIVEN, NotGiven, TimeoutArg, path_segment
from ..types import (
    Application,
    DecisionTokenClaims,
    Offer,
    OfferTokenClaims,
    PinnedOffer,
    Prequalification,
)
from ._resource import AsyncAPIResource, SyncAPIResource


def _accept_body(
    credit_inquiry_consent_id: str, decision_token: str | None, offer_token: str | None
) -> dict[str, str]:
    if (decision_token is None) == (offer_token is None):
        raise TypeError("give exactly one of decision_token or offer_token (deprecated)")
    body = {"credit_inquiry_consent_id": credit_inquiry_consent_id}
    if decision_token is not None:
        body["decision_token"] = decision_token
    else:
        body["offer_token"] = str(offer_token)
    return body


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
        credit_inquiry_consent_id: str,
        decision_token: str | None = None,
        offer_token: str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Application:
        """Accept the offer the customer chose; the bank's application starts.

        Args:
            offer_id: ``off_…``.
            credit_inquiry_consent_id: an active ``credit_inquiry`` consent.
            decision_token: the prequalification's ``decision_token`` exactly as received.
            offer_token: deprecated, instead of ``decision_token``: the offer's own
                token, for offers issued before decision tokens.
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The application.

        Raises:
            OfferExpiredError: prequalify again.
            OfferVoidError: another offer was accepted.
            DecisionTokenMismatchError: the token was altered, or is another decision's.
            ExposureLimitError: the customer's credit across partners would pass the
                bank's cap; prequalify again.
            ConsentRequiredError: no active ``credit_inquiry`` consent.
            TypeError: not exactly one of ``decision_token`` and ``offer_token``.
        """
        return self._client._request(
            "POST",
            f"/v1/offers/{path_segment(offer_id)}/accept",
            cast_to=Application,
            body=_accept_body(credit_inquiry_consent_id, decision_token, offer_token),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )

    def verify(
        self, offer: Offer | dict[str, Any], *, decision: Prequalification | str
    ) -> PinnedOffer:
        """Check the offer you are about to show is one the bank signed, term for term.

        Args:
            offer: the offer as received (from ``decision.offers`` or ``retrieve``).
            decision: its prequalification, or the prequalification's ``decision_token``.

        Returns:
            The offer's signed terms.

        Raises:
            DecisionTokenError: forged, altered or expired token; or the offer is
                not one it pins, or any of its terms differs (``terms`` names them).
            InstalmentsError: ``instalments[jwt]`` is not installed.
        """
        return check_offer(self.verify_decision(decision), offer)

    def verify_decision(self, decision: Prequalification | str) -> DecisionTokenClaims:
        """Check a decision token was signed by the gateway and has not expired.

        The gateway's JWKS is fetched once and cached; a token signed with a key
        the cache does not know triggers one refetch (the key was rotated).

        Args:
            decision: a prequalification, or its ``decision_token``.

        Returns:
            The verified claims, with every offer's signed terms.

        Raises:
            DecisionTokenError: forged, altered, expired, not a decision token,
                or a prequalification without one.
            InstalmentsError: ``instalments[jwt]`` is not installed.
        """
        token = decision_token_of(decision)
        kid = decision_token_kid(token)
        jwks = self._client._jwks
        document = jwks.document if jwks.holds(kid) else self._client._fetch_jwks()
        return verify_decision_token(token, document or {}, now=int(time.time()))

    def verify_token(self, token: str) -> OfferTokenClaims:
        """Deprecated: check an offer token (of an offer issued before decision tokens).

        The gateway's JWKS is fetched once and cached; a token signed with a key
        the cache does not know triggers one refetch (the key was rotated).

        Args:
            token: the offer's ``offer_token`` (only offers issued before decision tokens).

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
        credit_inquiry_consent_id: str,
        decision_token: str | None = None,
        offer_token: str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Application:
        """Accept the offer the customer chose; the bank's application starts.

        Args:
            offer_id: ``off_…``.
            credit_inquiry_consent_id: an active ``credit_inquiry`` consent.
            decision_token: the prequalification's ``decision_token`` exactly as received.
            offer_token: deprecated, instead of ``decision_token``: the offer's own
                token, for offers issued before decision tokens.
            idempotency_key: defaults to a fresh key, reused on every retry.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The application.

        Raises:
            OfferExpiredError: prequalify again.
            OfferVoidError: another offer was accepted.
            DecisionTokenMismatchError: the token was altered, or is another decision's.
            ExposureLimitError: the customer's credit across partners would pass the
                bank's cap; prequalify again.
            ConsentRequiredError: no active ``credit_inquiry`` consent.
            TypeError: not exactly one of ``decision_token`` and ``offer_token``.
        """
        return await self._client._request(
            "POST",
            f"/v1/offers/{path_segment(offer_id)}/accept",
            cast_to=Application,
            body=_accept_body(credit_inquiry_consent_id, decision_token, offer_token),
            options=self._client._options("POST", timeout, max_retries, idempotency_key),
        )

    async def verify(
        self, offer: Offer | dict[str, Any], *, decision: Prequalification | str
    ) -> PinnedOffer:
        """Check the offer you are about to show is one the bank signed, term for term.

        Args:
            offer: the offer as received (from ``decision.offers`` or ``retrieve``).
            decision: its prequalification, or the prequalification's ``decision_token``.

        Returns:
            The offer's signed terms.

        Raises:
            DecisionTokenError: forged, altered or expired token; or the offer is
                not one it pins, or any of its terms differs (``terms`` names them).
            InstalmentsError: ``instalments[jwt]`` is not installed.
        """
        return check_offer(await self.verify_decision(decision), offer)

    async def verify_decision(self, decision: Prequalification | str) -> DecisionTokenClaims:
        """Check a decision token was signed by the gateway and has not expired.

        The gateway's JWKS is fetched once and cached; a token signed with a key
        the cache does not know triggers one refetch (the key was rotated).

        Args:
            decision: a prequalification, or its ``decision_token``.

        Returns:
            The verified claims, with every offer's signed terms.

        Raises:
            DecisionTokenError: forged, altered, expired, not a decision token,
                or a prequalification without one.
            InstalmentsError: ``instalments[jwt]`` is not installed.
        """
        token = decision_token_of(decision)
        kid = decision_token_kid(token)
        jwks = self._client._jwks
        document = jwks.document if jwks.holds(kid) else await self._client._fetch_jwks()
        return verify_decision_token(token, document or {}, now=int(time.time()))

    async def verify_token(self, token: str) -> OfferTokenClaims:
        """Deprecated: check an offer token (of an offer issued before decision tokens).

        The gateway's JWKS is fetched once and cached; a token signed with a key
        the cache does not know triggers one refetch (the key was rotated).

        Args:
            token: the offer's ``offer_token`` (only offers issued before decision tokens).

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
