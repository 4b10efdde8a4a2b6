"""Persistence: declarative base, engines for SQLite and PostgreSQL, sessions.

One :class:`Database` per app. Each request gets one session
(:func:`session`), closed when the app context ends, whatever happened.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import orjson
from flask import current_app, g, has_request_context, request
from sqlalchemy import BigInteger, DateTime, Integer, MetaData, Table, event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every backend.

    SQLite has no timezone type: values are stored naive in UTC and come back
    aware. Naive datetimes are refused on the way in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: the gateway stores timezone-aware UTC only")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class _ScaledDecimal(TypeDecorator[decimal.Decimal]):
    """An exact decimal stored as a scaled integer (no float, no SQLite Decimal warning)."""

    impl = BigInteger().with_variant(Integer(), "sqlite")
    cache_ok = True
    places = 2

    def process_bind_param(self, value: decimal.Decimal | None, dialect: Any) -> int | None:
        if value is None:
            return None
        if not isinstance(value, decimal.Decimal):
            raise TypeError(f"{type(self).__name__} takes Decimal, not {type(value).__name__}")
        scaled = value.scaleb(self.places)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.places} decimal places")
        return int(scaled)

    def process_result_value(self, value: int | None, dialect: Any) -> decimal.Decimal | None:
        if value is None:
            return None
        return decimal.Decimal(int(value)).scaleb(-self.places)


class Money(_ScaledDecimal):
    """An amount of money, exact to the fen (stored as integer fen)."""

    cache_ok = True  # not inherited: without it no statement with money is cached
    places = 2


class Rate(_ScaledDecimal):
    """A rate with four decimal places such as an APR (stored as integer 1e-4 units)."""

    cache_ok = True
    places = 4


class Base(DeclarativeBase):
    """Declarative base of every gateway model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}  # noqa: RUF012


def table_of(model: type[Base]) -> Table:
    """A model's table, for Core statements on hot paths."""
    return cast(Table, model.__table__)


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
    PostgreSQL: pre-ping so a restarted server is recovered from without restart.
    """
    parsed = normalise_url(url)
    if parsed.drivername.startswith("sqlite"):
        engine = _sqlite_engine(parsed, **kwargs)
    else:
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 10)
        engine = _create_engine(parsed, **kwargs)
    return engine


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
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(_SQLITE_BEGIN.get())

    return engine


# How the next SQLite transaction begins: IMMEDIATE (takes the write lock at
# once) unless :func:`reading` asks for a deferred, read-only snapshot.
_SQLITE_BEGIN: contextvars.ContextVar[str] = contextvars.ContextVar(
    "gateway_sqlite_begin", default="BEGIN IMMEDIATE"
)


class WriteInReadingScope(RuntimeError):
    """Something was written inside :func:`reading`; it was rolled back."""


def reads_apart(db: Session) -> bool:
    """Whether :func:`reading` would run in its own snapshot (SQLite, no open transaction)."""
    return db.get_bind().dialect.name == "sqlite" and not db.in_transaction()


@contextmanager
def reading(db: Session) -> Iterator[Session]:
    """Run reads without waiting for, or holding, SQLite's write lock.

    SQLite has one writer at a time, and every transaction here begins
    ``IMMEDIATE``: a request that starts with reads would hold the write lock
    through all the work that follows them. Inside this scope a new
    transaction begins deferred instead (a WAL snapshot, concurrent with the
    writer) and is ended on exit, so the next statement begins a normal
    write transaction. Objects loaded inside stay usable (sessions do not
    expire on commit). A code path that must see the rows it read unchanged
    when it writes re-reads them, with a lock, in its write transaction.

    On PostgreSQL, or when a transaction is already open, the reads simply
    join the session's transaction.

    Raises:
        WriteInReadingScope: the scope left pending changes (a bug; they are rolled back).
    """
    if not reads_apart(db):
        yield db
        return
    token = _SQLITE_BEGIN.set("BEGIN")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    finally:
        _SQLITE_BEGIN.reset(token)
    if db.new or db.dirty or db.deleted:
        db.rollback()
        raise WriteInReadingScope("reading() is for reads; write in the transaction after it")
    db.commit()


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
        db.info[_REQUEST_CONNECTION] = connection
        return db

    def ping(self) -> None:
        """Run ``SELECT 1``; raises if the database cannot be reached."""
        with self.sessionmaker() as db:
            db.execute(text("SELECT 1"))

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def get_database() -> Database:
    """The current app's :class:`Database`."""
    database: Database = current_app.extensions["gateway.db"]
    return database


_REQUEST_KEY = "gateway.db_session"
_REQUEST_CONNECTION = "gateway.request_connection"


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
        connection: Connection | None = db.info.pop(_REQUEST_CONNECTION, None)
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
