"""A driver-level query on a SQLAlchemy connection, with SQLAlchemy's error handling kept.

For the few statements on every request where SQLAlchemy's statement and
result machinery costs several times the query (the bearer token's state):
the SQL goes straight to the DBAPI cursor. What must not be lost with it:

- statement listeners (``before_cursor_execute``: :mod:`gateway.db.counting`)
  see the query as any other;
- a driver error is handled as SQLAlchemy handles its own: wrapped in
  ``sqlalchemy.exc.DBAPIError`` (``OperationalError`` and the rest), and a
  disconnect invalidates the connection and the pool, so the API answers 503
  with ``Retry-After`` (:mod:`gateway.api.problems`) and the next request
  reconnects. Raw, a dead connection would answer 500 and stay in the pool.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Connection


def fetch_one(
    connection: Connection, sql: str, parameters: Mapping[str, Any]
) -> tuple[Any, ...] | None:
    """The first row of ``sql`` (in the driver's paramstyle) run on the connection's cursor.

    Raises:
        sqlalchemy.exc.DBAPIError: as ``Connection.execute`` would raise it.
    """
    cursor = None
    try:
        cursor = connection.connection.cursor()
        if connection._has_events or connection.engine._has_events:
            connection.dispatch.before_cursor_execute(
                connection, cursor, sql, parameters, None, False
            )
        cursor.execute(sql, parameters)
        row = cursor.fetchone()
    except Exception as exc:
        # SQLAlchemy's own handler: wraps, invalidates on disconnect, re-raises.
        connection._handle_dbapi_exception(exc, sql, parameters, cursor, None)
    finally:
        if cursor is not None:
            with contextlib.suppress(Exception):
                cursor.close()
    return tuple(row) if row is not None else None
