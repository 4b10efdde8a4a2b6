"""Every error the SDK raises, in one tree::

    InstalmentsError
     ├── WebhookVerificationError         a webhook's signature, timestamp or headers are wrong
     ├── OfferTokenError                  an offer token failed verification
     │    └── DecisionTokenError          a decision token, or an offer against it, failed
     └── APIError                         talking to the gateway failed
          ├── APIConnectionError          no response (DNS, refused, reset, TLS)
          │    └── APITimeoutError        connect / read / write / pool timeout
          ├── APIResponseValidationError  a 2xx body did not match the SDK's model
          └── APIStatusError              4xx/5xx: status_code, request_id, problem
               ├── BadRequestError              400
               │    └── OfferTokenMismatchError       offer_token_mismatch
               │         └── DecisionTokenMismatchError    decision_token_mismatch
               ├── AuthenticationError          401
               ├── PermissionDeniedError        403
               │    └── ConsentRequiredError          consent_required
               ├── NotFoundError                404
               ├── ConflictError                409
               │    ├── IdempotencyConflictError      idempotency_conflict
               │    ├── IdempotencyInFlightError      idempotency_in_flight
               │    ├── ConsentNotActiveError         consent_not_active
               │    ├── OfferAlreadyAcceptedError     offer_already_accepted
               │    ├── OfferVoidError                offer_void
               │    └── ExposureLimitError            exposure_limit
               ├── GoneError                    410
               │    └── OfferExpiredError             offer_expired
               ├── UnprocessableEntityError     422 (``.errors`` names the fields)
               ├── RateLimitError               429
               └── InternalServerError          5xx
                    └── ServiceUnavailableError       503

A problem ``code`` the SDK knows picks its typed subclass whatever the status,
so ``except OfferExpiredError`` keeps working if the gateway ever changes the
status it uses; unknown codes fall back to the class of the status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from .types import FieldError, Problem

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ConsentNotActiveError",
    "ConsentRequiredError",
    "DecisionTokenError",
    "DecisionTokenMismatchError",
    "ExposureLimitError",
    "GoneError",
    "IdempotencyConflictError",
    "IdempotencyInFlightError",
    "InstalmentsError",
    "InternalServerError",
    "NotFoundError",
    "OfferAlreadyAcceptedError",
    "OfferExpiredError",
    "OfferTokenError",
    "OfferTokenMismatchError",
    "OfferVoidError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServiceUnavailableError",
    "UnprocessableEntityError",
    "WebhookVerificationError",
]


class InstalmentsError(Exception):
    """Base of every exception the SDK raises (also: bad configuration)."""


class WebhookVerificationError(InstalmentsError):
    """The webhook cannot be trusted: treat the delivery as not from the gateway."""


class OfferTokenError(InstalmentsError):
    """The offer token is not a valid, unexpired offer token signed by the gateway."""


class DecisionTokenError(OfferTokenError):
    """The decision token is not valid, unexpired and signed by the gateway, or the
    offer checked against it is not one it pins with these terms.

    Attributes:
        terms: the offer's fields that differ from the signed ones (``[]`` when
            the token itself failed).
    """

    def __init__(self, message: str, *, terms: list[str] | None = None) -> None:
        super().__init__(message)
        self.terms = list(terms or [])


class APIError(InstalmentsError):
    """A request to the gateway failed.

    Attributes:
        message: what went wrong, in one line.
        request: the request that failed (the last attempt, after retries).
    """

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """No response arrived (after every retry)."""

    def __init__(self, *, request: httpx.Request, message: str = "Connection error.") -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out (after every retry)."""

    def __init__(self, *, request: httpx.Request) -> None:
        super().__init__(request=request, message="Request timed out.")


class APIResponseValidationError(APIError):
    """A successful response whose body does not match what the SDK expects."""

    def __init__(self, *, response: httpx.Response, message: str) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code


class APIStatusError(APIError):
    """The gateway answered with a 4xx or 5xx status.

    Attributes:
        status_code: the HTTP status.
        request_id: the gateway's ``X-Request-Id``; quote it to support.
        problem: the RFC 9457 problem details (``code``, ``detail``, …).
        response: the raw ``httpx.Response``.
    """

    def __init__(self, *, response: httpx.Response, problem: Problem) -> None:
        detail = problem.detail or problem.title or "error"
        code = f" {problem.code}" if problem.code else ""
        super().__init__(f"{response.status_code}{code}: {detail}", request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.problem = problem
        self.request_id: str | None = response.headers.get("x-request-id") or problem.request_id

    @property
    def code(self) -> str | None:
        """The problem's machine-readable ``code`` (``None`` if the body had none)."""
        return self.problem.code


class BadRequestError(APIStatusError):
    """400: the body is not valid JSON, or the request is malformed."""


class AuthenticationError(APIStatusError):
    """401: the credentials were refused (an OAuth ``error`` becomes ``code``)."""


class PermissionDeniedError(APIStatusError):
    """403: the credentials lack the scope, or the partner is suspended."""


class ConsentRequiredError(PermissionDeniedError):
    """The customer has not granted (or no longer grants) the consent this call needs."""


class NotFoundError(APIStatusError):
    """404: no such resource, or not yours."""


class ConflictError(APIStatusError):
    """409: the resource's state forbids the operation."""


class IdempotencyConflictError(ConflictError):
    """The ``Idempotency-Key`` was already used with a different body."""


class IdempotencyInFlightError(ConflictError):
    """The first request with this ``Idempotency-Key`` is still running (retried)."""


class ConsentNotActiveError(ConflictError):
    """The consent has expired or was revoked (revocation is terminal): ask again."""


class OfferAlreadyAcceptedError(ConflictError):
    """The offer already has its application (read it with ``applications.retrieve``)."""


class OfferVoidError(ConflictError):
    """The offer was voided (another offer was accepted, or the terms were altered)."""


class ExposureLimitError(ConflictError):
    """Accepting would take the customer past the bank's cap across all partners.

    Prequalify again: the new decision offers only what is still possible.
    """


class GoneError(APIStatusError):
    """410: the resource existed but can no longer be used."""


class OfferExpiredError(GoneError):
    """The offer expired before it was accepted: prequalify again."""


class UnprocessableEntityError(APIStatusError):
    """422: fields failed validation; see :attr:`errors`."""

    @property
    def errors(self) -> list[FieldError]:
        """The offending fields (dotted paths) and why."""
        return list(self.problem.errors or [])


class OfferTokenMismatchError(BadRequestError):
    """The offer token does not verify or differs from the offer (``problem.claims`` names how)."""


class DecisionTokenMismatchError(OfferTokenMismatchError):
    """The decision token does not verify, is another decision's, or pins other terms
    than the offer's (``problem.claims`` names them, e.g. ``offers.principal``)."""


class RateLimitError(APIStatusError):
    """429: too many requests (retried after ``Retry-After``)."""


class InternalServerError(APIStatusError):
    """5xx: the gateway failed (retried with the same ``Idempotency-Key``)."""


class ServiceUnavailableError(InternalServerError):
    """503: a dependency is down (retried after ``Retry-After``)."""
