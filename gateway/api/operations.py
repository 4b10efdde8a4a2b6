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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, cast

from flask import current_app, request
from marshmallow import Schema

from gateway.api.parsing import is_json_mimetype, load_body, refuse_unstorable_text, unstorable
from gateway.api.presented import Presented
from gateway.api.problems import ProblemError
from gateway.api.transaction import run_in_transaction
from gateway.sandbox_faults import fail_after_commit

__all__ = [
    "Operation",
    "Presented",
    "accepts_form",
    "fail_after_commit",
    "is_json_mimetype",
    "load_body",
    "operation",
]

F = TypeVar("F", bound=Callable[..., Any])


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
            if any(unstorable(value) for value in path_args.values()):
                raise ProblemError(404, "not_found", "no resource at this URL")
            if query_schema is not None:
                kwargs["query"] = query_schema.load(request.args.to_dict())
            if body_schema is not None:
                kwargs["body"] = load_body(body_schema)
            refuse_unstorable_text(kwargs.get("query"), kwargs.get("body"))
            return run_in_transaction(meta, view, kwargs, response_schema)

        wrapper.operation = meta  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorate


def accepts_form(view: Any) -> bool:
    """Whether a view takes form-encoded bodies instead of JSON."""
    meta = getattr(view, "operation", None)
    return bool(getattr(view, "accepts_form", False) or (meta is not None and meta.form))
