"""The ``@operation`` decorator: parse, authorise, call, serialise — and describe.

A route stays thin::

    @bp.post("/v1/consents")
    @operation(body=ConsentCreate, response=ConsentOut, status=201, scope="consents:write")
    def create_consent(body: dict[str, Any]) -> Consent:
        \"\"\"Record a customer's consent.\"\"\"
        return services.record_consent(session(), principal(), **body)

The decorator loads the JSON body and query string through marshmallow
schemas (a 4xx problem naming the field on failure), checks the scope through
the app's authoriser, dumps the result with the response schema, and leaves
its metadata on the view so :mod:`gateway.api.openapi` can describe it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, cast

import orjson
from flask import Response, current_app, g, request
from marshmallow import Schema
from sqlalchemy.orm import Session

from gateway.api.problems import ProblemError
from gateway.db import open_session, session
from gateway.errors import ValidationFailed
from gateway.idempotency import services as idempotency

F = TypeVar("F", bound=Callable[..., Any])

JSON_TYPES = ("application/json",)


class Presented(dict[str, Any]):
    """A view's result already in its response schema's shape: not dumped again.

    Hot paths (a prequalification carries every offer's schedule: hundreds of
    fields) build the wire document directly; dumping it through marshmallow
    again would cost more than making the decision. Values are JSON-ready
    except datetimes, which are written ISO 8601 exactly as marshmallow's
    ``DateTime`` writes them. With ``GATEWAY_ENV=test`` every presented
    result is also dumped through the schema and must come out identical, so
    the whole test suite (fuzzing included) holds presenters to the schema.
    """


_PRESENTED_OPTIONS = orjson.OPT_NON_STR_KEYS  # key order as built, like GatewayJSONProvider


def dumps_presented(result: Presented) -> bytes:
    """The wire bytes of a presented document (orjson writes datetimes as ``isoformat()``)."""
    return orjson.dumps(result, option=_PRESENTED_OPTIONS)


class PresentedDiffers(AssertionError):
    """A presenter's output is not what its response schema would write (tests only)."""


class Authoriser(Protocol):
    """Checks the request's credentials hold ``scope`` (installed by the OAuth layer)."""

    def __call__(self, scope: str) -> None: ...


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says about one route."""

    summary: str
    description: str
    body: Schema | None
    query: Schema | None
    response: Schema | None
    status: int
    scope: str | None
    tags: Sequence[str]
    errors: Sequence[int]
    form: bool
    idempotent: bool
    extra_responses: Mapping[int, str] = field(default_factory=dict)


def is_json_mimetype(mimetype: str) -> bool:
    """``application/json`` or any ``application/*+json``."""
    return mimetype in JSON_TYPES or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )


def read_json_body() -> Any:
    """Parse the request body as JSON; 400 ``malformed_json`` if it is not."""
    raw = request.get_data(cache=True)
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProblemError(
            400,
            "malformed_json",
            f"the body is not valid JSON (at character {getattr(exc, 'pos', 0)})",
        ) from None


def load_body(schema: Schema) -> Any:
    """Parse and validate the JSON body; the body must be an object."""
    data = read_json_body()
    if not isinstance(data, dict):
        raise ProblemError(
            422,
            "validation_failed",
            "invalid field(s): body",
            extra={"errors": [{"field": "body", "message": "must be a JSON object"}]},
        )
    return schema.load(data)


def _unstorable(text: str) -> bool:
    # PostgreSQL text cannot hold NUL, and lone surrogates are not UTF-8: both
    # would fail in the database driver as a 500 instead of a clean 422.
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _unstorable_fields(value: Any, path: str) -> list[str]:
    if isinstance(value, str):
        return [path] if _unstorable(value) else []
    found: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            found += [name] if _unstorable(str(key)) else _unstorable_fields(item, name)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found += _unstorable_fields(item, f"{path}.{index}" if path else str(index))
    return found


def refuse_unstorable_text(query: Any, body: Any) -> None:
    """Refuse strings holding NUL or lone surrogates, naming the fields.

    Args:
        query: the loaded query string (or ``None``).
        body: the loaded JSON body (or ``None``).

    Raises:
        ValidationFailed: some field holds such a string.
    """
    named = _unstorable_fields(query, "") + _unstorable_fields(body, "")
    if named:
        raise ValidationFailed(
            {name or "body": "must be text without NUL characters" for name in named}
        )


def operation(
    *,
    body: Schema | type[Schema] | None = None,
    query: Schema | type[Schema] | None = None,
    response: Schema | type[Schema] | None = None,
    status: int = 200,
    scope: str | None = None,
    tags: Sequence[str] = (),
    errors: Sequence[int] = (),
    form: bool = False,
    idempotent: bool | None = None,
    extra_responses: Mapping[int, str] | None = None,
) -> Callable[[F], F]:
    """Describe and wrap a route; see the module docstring.

    Args:
        body: schema of the JSON request body, passed to the view as ``body``.
        query: schema of the query string, passed as ``query``.
        response: schema the view's return value is dumped with.
        status: the success status.
        scope: OAuth scope the bearer token must hold.
        tags: OpenAPI tags.
        errors: problem statuses the route documents beyond the usual ones.
        form: the route takes ``application/x-www-form-urlencoded`` (OAuth).
        idempotent: the route honours ``Idempotency-Key`` (default: POSTs with a scope).
        extra_responses: other documented statuses with a description.

    Returns:
        A decorator.
    """
    body_schema = body() if isinstance(body, type) else body
    query_schema = query() if isinstance(query, type) else query
    response_schema = response() if isinstance(response, type) else response

    def decorate(view: F) -> F:
        doc = (view.__doc__ or "").strip()
        summary, _, description = doc.partition("\n")
        meta = Operation(
            summary=summary.strip(),
            description=description.strip(),
            body=body_schema,
            query=query_schema,
            response=response_schema,
            status=status,
            scope=scope,
            tags=tuple(tags),
            errors=tuple(errors),
            form=form,
            idempotent=bool(scope) if idempotent is None else idempotent,
            extra_responses=dict(extra_responses or {}),
        )

        @functools.wraps(view)
        def wrapper(**path_args: Any) -> Any:
            if scope is not None:
                authorise = cast(Authoriser | None, current_app.extensions.get("gateway.authorise"))
                if authorise is None:
                    raise ProblemError(401, "unauthorized", "authentication is required")
                authorise(scope)
            kwargs = dict(path_args)
            if any(_unstorable(value) for value in path_args.values()):
                raise ProblemError(404, "not_found", "no resource at this URL")
            if query_schema is not None:
                kwargs["query"] = query_schema.load(request.args.to_dict())
            if body_schema is not None:
                kwargs["body"] = load_body(body_schema)
            refuse_unstorable_text(kwargs.get("query"), kwargs.get("body"))
            return _run_in_transaction(meta, view, kwargs, response_schema)

        wrapper.operation = meta  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorate


class InjectedFault(Exception):
    """Raised after commit on purpose (sandbox persona that proves idempotent retries)."""


def fail_after_commit() -> None:
    """Ask the operation to answer 500 *after* committing (sandbox fault persona)."""
    g.fail_after_commit = True


def _run_in_transaction(
    meta: Operation, view: Callable[..., Any], kwargs: dict[str, Any], schema: Schema | None
) -> Response:
    """Run the view; commit its changes together with the idempotent response.

    Services flush, operations commit: the one commit here makes the change
    and the stored response for its ``Idempotency-Key`` atomic.
    """
    key = request.headers.get("Idempotency-Key")
    principal = g.get("principal")
    tenant = getattr(principal, "tenant", None)
    idempotent = bool(meta.idempotent and request.method == "POST" and key is not None and tenant)
    # The request's session only if something needs it: an operation that
    # never touches the database never takes a connection.
    db = session() if idempotent else None
    if idempotent:
        assert db is not None
        assert key is not None and tenant is not None
        print_ = idempotency.fingerprint(
            request.method, request.path, _canonical_body(request.get_data(cache=True))
        )
        stored = idempotency.claim(db, tenant, key, print_)
        if stored is not None:
            replay = current_app.response_class(
                stored.body, status=stored.status, mimetype=stored.mimetype
            )
            replay.headers["Idempotent-Replayed"] = "true"
            return replay
    try:
        result = view(**kwargs)
        if isinstance(result, Response):
            response = result
        elif isinstance(result, Presented):
            body = dumps_presented(result)
            if schema is not None and current_app.extensions["gateway.settings"].env == "test":
                _check_presented(schema, result, body)
            response = current_app.response_class(
                body, status=meta.status, mimetype="application/json"
            )
        else:
            if schema is not None:
                result = schema.dump(result)
            response = current_app.response_class(
                current_app.json.dumps(result), status=meta.status, mimetype="application/json"
            )
        if response.status_code >= 400:
            raise _FailedResponse(response)
        db = db or open_session()
        if idempotent:
            assert db is not None and key is not None and tenant is not None
            idempotency.complete(
                db,
                tenant,
                key,
                idempotency.StoredResponse(
                    response.status_code, response.get_data(), response.mimetype or ""
                ),
            )
        if db is not None:
            db.commit()
    except _FailedResponse as failed:
        _abandon(db or open_session(), tenant if idempotent else None, key)
        return failed.response
    except BaseException:
        _abandon(db or open_session(), tenant if idempotent else None, key)
        raise
    if g.pop("fail_after_commit", False):
        raise InjectedFault("sandbox fault injection: committed, now failing once")
    return response


def _check_presented(schema: Schema, result: Presented, body: bytes) -> None:
    expected = json.loads(current_app.json.dumps(schema.dump(result)))
    if json.loads(body) != expected:
        raise PresentedDiffers(
            f"{type(schema).__name__}: the presenter wrote {body[:2000]!r}, "
            f"the schema would write {json.dumps(expected)[:2000]}"
        )


class _FailedResponse(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _abandon(db: Session | None, tenant: str | None, key: str | None) -> None:
    if db is None:
        return  # nothing was read or written
    db.rollback()
    if tenant is not None and key is not None:
        idempotency.release(db, tenant, key)


def _canonical_body(raw: bytes) -> bytes:
    """Bodies that differ only in whitespace or key order are the same request."""
    if not raw:
        return b""
    try:
        return json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except (UnicodeDecodeError, json.JSONDecodeError):
        return raw


def accepts_form(view: Any) -> bool:
    """Whether a view takes form-encoded bodies instead of JSON."""
    meta = getattr(view, "operation", None)
    return bool(getattr(view, "accepts_form", False) or (meta is not None and meta.form))
