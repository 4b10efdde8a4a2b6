"""Engines for SQLite and PostgreSQL, and the :class:`Database` that owns one.

Knows nothing of Flask: the CLI, the workers and the benchmarks use it as is;
:mod:`gateway.sessions` ties it to the app and the request.
"""

from __future__ import annotations

import contextvars
import time
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.orm import Session, sessionmaker

from gateway.db.checkpoint import BACKSTOP_PAGES

# Where a request session keeps its pooled connection (``Session.info``).
REQUEST_CONNECTION = "gateway.request_connection"


def normalise_url(url: str) -> URL:
    """Turn a configured database URL into the driver URL we run on.

    ``postgresql://`` and ``postgres://`` become psycopg 3; a relative SQLite
    path has its directory created.
    """
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.drivername in ("postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return parsed


def create_db_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with our per-backend settings.

    SQLite: WAL, foreign keys on, a busy timeout, and ``BEGIN IMMEDIATE`` so a
    transaction that will write never fails midway on a lock upgrade (reads
    that should not wait for the write lock use :func:`reading`).
    PostgreSQL: a connection that sat idle in the pool is pinged before use
    (:func:`_ping_when_idle`), so a restarted server is recovered from
    without restarting the gateway.
    """
    parsed = normalise_url(url)
    if parsed.drivername.startswith("sqlite"):
        engine = _sqlite_engine(parsed, **kwargs)
    else:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 10)
        # The connection checked in last is checked out first: under load the
        # same few stay in use (no ping, see below) and the rest go idle.
        kwargs.setdefault("pool_use_lifo", True)
        engine = _create_engine(parsed, **kwargs)
        if not kwargs.get("pool_pre_ping"):
            _ping_when_idle(engine, PING_IDLE_AFTER)
    return engine


# A pooled connection idle at least this long is pinged before use (seconds).
PING_IDLE_AFTER = 1.0
_CHECKED_IN = "gateway.checked_in"


def _ping_when_idle(engine: Engine, idle_after: float) -> None:
    """Ping a connection at checkout only if it sat in the pool ``idle_after`` seconds.

    ``pool_pre_ping`` pings on every checkout: one round trip per request,
    the price of noticing a restarted server before the request's first
    statement. A connection checked back in a moment ago was alive a moment
    ago; the ones that sat idle (a quiet worker, a server restarted while
    nobody asked) are pinged as before, and a dead one is replaced before use.
    If the server restarts within ``idle_after`` of a connection's last use,
    the request that finds it dead fails (503 with ``Retry-After``, see
    :mod:`gateway.api.problems`) and SQLAlchemy invalidates the whole pool on
    that disconnect, so the requests after it reconnect; under load the
    requests in flight during the outage fail that way anyway.
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        checked_in = record.info.get(_CHECKED_IN)
        if checked_in is None or time.monotonic() - checked_in < idle_after:
            return  # just connected, or used a moment ago
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            alive = False
            cause: BaseException | None = exc
        else:
            cause = None
        if not alive:
            # As pool_pre_ping does: every connection pooled before now is
            # replaced, and this checkout gets a new one.
            raise InvalidatePoolError("a pooled connection was found dead") from cause


def _json_serializer(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _create_engine(parsed: URL, **kwargs: Any) -> Engine:
    from sqlalchemy import create_engine

    # JSON columns (offers' schedules, decisions' reasons, audit data) through
    # orjson: several per request on the hot path.
    kwargs.setdefault("json_serializer", _json_serializer)
    kwargs.setdefault("json_deserializer", orjson.loads)
    return create_engine(parsed, **kwargs)


def _sqlite_engine(parsed: URL, **kwargs: Any) -> Engine:
    kwargs.setdefault("connect_args", {"timeout": 10, "check_same_thread": False})
    engine = _create_engine(parsed, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide where transactions begin, so
        # SAVEPOINTs work and BEGIN IMMEDIATE takes the write lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # A backstop: a served worker's Checkpointer thread checkpoints long before.
        cursor.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(SQLITE_BEGIN.get())

    return engine


# How the next SQLite transaction begins: IMMEDIATE (takes the write lock at
# once) unless :func:`reading` asks for a deferred, read-only snapshot.
SQLITE_BEGIN: contextvars.ContextVar[str] = contextvars.ContextVar(
    "gateway_sqlite_begin", default="BEGIN IMMEDIATE"
)


class Database:
    """An engine and the session factory bound to it."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = create_db_engine(url, **engine_kwargs)
        self.sessionmaker = sessionmaker(bind=self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def new_session(self) -> Session:
        """Open a session outside any request (CLI, workers)."""
        return self.sessionmaker()

    def new_request_session(self) -> Session:
        """A session that keeps one pooled connection for the whole request.

        A request may run several transactions (a read snapshot, then the
        write): checking a connection out of the pool and back in for each
        costs more than the transaction's own statements. The connection is
        returned by :func:`close_request_session`.
        """
        if self.sessionmaker.kw.get("bind") is not self.engine:
            return self.sessionmaker()  # bound elsewhere (tests): leave it so
        connection = self.engine.connect()
        db = self.sessionmaker(bind=connection)
        db.info[REQUEST_CONNECTION] = connection
        return db

    def ping(self) -> None:
        """Run ``SELECT 1``; raises if the database cannot be reached."""
        with self.sessionmaker() as db:
            db.execute(text("SELECT 1"))

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
