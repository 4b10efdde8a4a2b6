"""The Flask side of persistence: the app's :class:`Database` and the request's session.

One session per request (:func:`session`), closed when the request ends,
whatever happened; outside a request (CLI, workers) one per app context.
"""

from __future__ import annotations

from typing import cast

from flask import current_app, g, has_request_context, request
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from gateway.db.engine import REQUEST_CONNECTION, Database


def get_database() -> Database:
    """The current app's :class:`Database`."""
    database: Database = current_app.extensions["gateway.db"]
    return database


_REQUEST_KEY = "gateway.db_session"


def session() -> Session:
    """The current request's session, opened on first use (outside a request: the app context's).

    Kept on the request itself, not on ``g``: an app context may outlive
    several requests (tests, CLI), and a session must never outlive its request.
    """
    if has_request_context():
        environ = request.environ
        db = environ.get(_REQUEST_KEY)
        if db is None:
            db = environ[_REQUEST_KEY] = get_database().new_request_session()
        return cast(Session, db)
    if "db_session" not in g:
        g.db_session = get_database().new_session()
    db_session: Session = g.db_session
    return db_session


def open_session() -> Session | None:
    """The current request's session if something opened it, else ``None``."""
    if has_request_context():
        return cast(Session | None, request.environ.get(_REQUEST_KEY))
    return cast(Session | None, g.get("db_session"))


def close_request_session(_exc: BaseException | None = None) -> None:
    """Close the request's session (``teardown_request``), whatever happened."""
    db: Session | None = request.environ.pop(_REQUEST_KEY, None)
    if db is not None:
        connection: Connection | None = db.info.pop(REQUEST_CONNECTION, None)
        try:
            db.close()
        finally:
            if connection is not None:
                connection.close()


def close_session(_exc: BaseException | None = None) -> None:
    """Close the app context's session (``teardown_appcontext``); rolls back the uncommitted."""
    db_session: Session | None = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
