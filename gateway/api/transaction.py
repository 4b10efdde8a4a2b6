"""The idempotent transaction: run a view, commit its change with its stored response."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Response, current_app, g, request
from marshmallow import Schema
from sqlalchemy.orm import Session

from gateway.api.parsing import canonical_body
from gateway.api.presented import Presented, check_presented, dumps_presented
from gateway.idempotency import services as idempotency
from gateway.sandbox_faults import raise_if_requested
from gateway.sessions import open_session, session

if TYPE_CHECKING:
    from gateway.api.operations import Operation


def run_in_transaction(
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
            request.method, request.path, canonical_body(request.get_data(cache=True))
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
                check_presented(schema, result, body)
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
    raise_if_requested()
    return response


class _FailedResponse(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _abandon(db: Session | None, tenant: str | None, key: str | None) -> None:
    if db is None:
        return  # nothing was read or written
    db.rollback()
    if tenant is not None and key is not None:
        idempotency.release(db, tenant, key)
