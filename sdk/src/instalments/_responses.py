"""Reading the gateway's answers: a 2xx body into its model, a 4xx/5xx into its exception.

A problem body (RFC 9457, or an OAuth error mapped onto it) picks the
exception by its ``code`` first, then by the status. No I/O here.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import TypeVar

import httpx
import pydantic

from ._exceptions import (
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ConsentNotActiveError,
    ConsentRequiredError,
    DecisionTokenMismatchError,
    ExposureLimitError,
    GoneError,
    IdempotencyConflictError,
    IdempotencyInFlightError,
    InternalServerError,
    NotFoundError,
    OfferAlreadyAcceptedError,
    OfferExpiredError,
    OfferTokenMismatchError,
    OfferVoidError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
    UnprocessableEntityError,
)
from .types import Model, Problem

ModelT = TypeVar("ModelT", bound=Model)

_ERROR_FOR_STATUS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    410: GoneError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    503: ServiceUnavailableError,
}

_ERROR_FOR_CODE: Mapping[str, type[APIStatusError]] = {
    "consent_required": ConsentRequiredError,
    "consent_not_active": ConsentNotActiveError,
    "exposure_limit": ExposureLimitError,
    "idempotency_conflict": IdempotencyConflictError,
    "idempotency_in_flight": IdempotencyInFlightError,
    "invalid_client": AuthenticationError,  # RFC 6749 allows 400 or 401 for it
    "invalid_token": AuthenticationError,
    "decision_token_mismatch": DecisionTokenMismatchError,
    "offer_already_accepted": OfferAlreadyAcceptedError,
    "offer_expired": OfferExpiredError,
    "offer_token_mismatch": OfferTokenMismatchError,
    "offer_void": OfferVoidError,
}


def problem_code(response: httpx.Response) -> str | None:
    """The problem's ``code`` (or OAuth ``error``), if the body is JSON and has one."""
    return read_problem(response).code


def read_problem(response: httpx.Response) -> Problem:
    """The response body as a :class:`Problem`; OAuth errors and non-JSON bodies mapped."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        text = response.text[:200] if response.text else None
        status = response.status_code
        return Problem(status=status, title=_phrase(status), detail=text)
    if "error" in data and "code" not in data:
        data = {
            "status": response.status_code,
            "title": _phrase(response.status_code),
            "code": data.get("error"),
            "detail": data.get("error_description"),
        }
    try:
        return Problem.model_validate(data)
    except pydantic.ValidationError:
        return Problem(status=response.status_code, title=_phrase(response.status_code))


def _phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


def status_error(response: httpx.Response) -> APIStatusError:
    """The exception a 4xx/5xx response becomes: by problem code, else by status."""
    problem = read_problem(response)
    cls = _ERROR_FOR_CODE.get(problem.code or "")
    if cls is None:
        cls = _ERROR_FOR_STATUS.get(response.status_code)
    if cls is None:
        cls = InternalServerError if response.status_code >= 500 else APIStatusError
    return cls(response=response, problem=problem)


def parse_response(response: httpx.Response, cast_to: type[ModelT]) -> ModelT:
    """Validate a 2xx body into ``cast_to``."""
    try:
        return cast_to.model_validate_json(response.content)
    except pydantic.ValidationError as exc:
        raise APIResponseValidationError(
            response=response,
            message=f"the gateway's {cast_to.__name__} did not match the SDK: {exc.error_count()} "
            "error(s); upgrade the SDK",
        ) from exc
