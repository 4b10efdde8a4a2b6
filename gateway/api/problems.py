"""RFC 9457 problem details for every error the app can produce.

One place turns domain errors, HTTP errors and unexpected exceptions into
``application/problem+json`` bodies with ``type``, ``title``, ``status``,
``detail``, ``code`` and ``request_id``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from authlib.oauth2 import OAuth2Error
from flask import Flask, Response, g, json
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from gateway.errors import DomainError, ErrorKind

PROBLEM_MIME = "application/problem+json"

STATUS_FOR_KIND: Mapping[ErrorKind, int] = {
    "invalid": 422,
    "unauthenticated": 401,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "gone": 410,
    "rate_limited": 429,
    "unavailable": 503,
}

_CODE_FOR_STATUS: Mapping[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    410: "gone",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
}

log = logging.getLogger("gateway.errors")


class ProblemError(Exception):
    """An HTTP-layer failure raised by the api package itself."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        title: str | None = None,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    title: str | None = None,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Build a problem+json response (``request_id`` filled from the request)."""
    body: dict[str, Any] = {
        "type": f"/docs#problem-{code}",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        "request_id": g.get("request_id"),
    }
    for key, value in (extra or {}).items():
        body.setdefault(key, value)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIME)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    advice = should_retry(status, code)
    if advice is not None:
        response.headers[SHOULD_RETRY] = "true" if advice else "false"
    return response


#: The header that tells clients whether retrying the same request can succeed
#: (as Stripe's and Stainless' SDKs read it); clients honour it before their own rules.
SHOULD_RETRY = "X-Should-Retry"


def should_retry(status: int, code: str) -> bool | None:
    """Whether the same request, sent again, may succeed; ``None`` where the gateway has no view.

    - ``409 idempotency_in_flight``: yes, once the first request finishes;
    - any other ``409``: no, the state or the key's body will not change by itself;
    - ``429`` and ``503``: yes, after ``Retry-After``.
    """
    if status == 409:
        return code == "idempotency_in_flight"
    if status in (429, 503):
        return True
    return None


def validation_problem(errors: Mapping[str, str]) -> Response:
    """422 naming every invalid field (dotted paths); values are never echoed."""
    fields = sorted(errors)
    return problem_response(
        422,
        "validation_failed",
        "invalid field(s): " + ", ".join(fields),
        title="The request has invalid fields",
        extra={"errors": [{"field": name, "message": errors[name]} for name in fields]},
    )


def flatten_marshmallow(messages: Any, prefix: str = "") -> dict[str, str]:
    """Flatten marshmallow's nested error dict into ``{"a.b.0.c": "message"}``."""
    flat: dict[str, str] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                name = prefix or "body"
            flat.update(flatten_marshmallow(value, name))
    elif isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
        flat[prefix or "body"] = " ".join(messages)
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            flat.update(flatten_marshmallow(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or "body"] = str(messages)
    return flat


def register_error_handlers(app: Flask) -> None:
    """Map every exception the app can meet to a problem response."""

    @app.errorhandler(ProblemError)
    def _problem(exc: ProblemError) -> Response:
        return problem_response(
            exc.status, exc.code, exc.detail, title=exc.title, extra=exc.extra, headers=exc.headers
        )

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError) -> Response:
        status = STATUS_FOR_KIND[exc.kind]
        extra = dict(exc.extra)
        if exc.field:
            extra.setdefault("field", exc.field)
        errors = getattr(exc, "errors", None)
        if errors:
            extra.setdefault(
                "errors", [{"field": k, "message": v} for k, v in sorted(errors.items())]
            )
        retry_after = (
            exc.retry_after if exc.retry_after is not None else (5 if status == 503 else None)
        )
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        return problem_response(
            status, exc.code, exc.detail, title=exc.title, extra=extra, headers=headers
        )

    @app.errorhandler(ValidationError)
    def _marshmallow(exc: ValidationError) -> Response:
        return validation_problem(flatten_marshmallow(exc.messages))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        status = exc.code or 500
        headers: dict[str, str] = {}
        if status == 405 and exc.response is None:
            allowed = getattr(exc, "valid_methods", None)
            if allowed:
                headers["Allow"] = ", ".join(allowed)
        detail = {
            404: "no resource at this URL",
            405: "method not allowed on this URL",
            413: "request body too large",
        }.get(status, exc.description or HTTPStatus(status).phrase)
        return problem_response(
            status, _CODE_FOR_STATUS.get(status, "http_error"), detail, headers=headers
        )

    @app.errorhandler(OAuth2Error)
    def _oauth(exc: OAuth2Error) -> Response:
        # OAuth endpoints answer RFC 6749 error bodies, not problem+json.
        body = dict(exc.get_body())
        status = exc.status_code or 400
        return Response(json.dumps(body), status=status, mimetype="application/json")

    @app.errorhandler(OperationalError)
    def _db_down(exc: OperationalError) -> Response:
        log.warning("database unavailable: %s", type(exc.orig).__name__)
        return problem_response(
            503,
            "service_unavailable",
            "the service is temporarily unavailable; retry shortly",
            headers={"Retry-After": "5"},
        )

    @app.errorhandler(DBAPIError)
    def _db_error(exc: DBAPIError) -> Response:
        if exc.connection_invalidated:
            log.warning("database connection lost: %s", type(exc.orig).__name__)
            return problem_response(
                503,
                "service_unavailable",
                "the service is temporarily unavailable; retry shortly",
                headers={"Retry-After": "5"},
            )
        return _unexpected(exc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        # The formatter redacts identifiers from the message and traceback.
        log.error("unhandled %s", type(exc).__name__, exc_info=exc)
        return problem_response(500, "internal_error", "an unexpected error occurred")
