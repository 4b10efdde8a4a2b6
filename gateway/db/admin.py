"""PostgreSQL administration for tests and benchmarks: create a database, empty its schema."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def ensure_database(url: str) -> None:
    """Create the database ``url`` names if it does not exist (connecting to ``postgres``).

    Raises:
        sqlalchemy.exc.OperationalError: the server cannot be reached.
    """
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            ).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


def empty_schema(url: str) -> None:
    """Drop every table, type and sequence: ``public`` is recreated empty."""
    engine = create_engine(make_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def fresh_database(url: str) -> None:
    """Create the database if missing and empty it."""
    ensure_database(url)
    empty_schema(url)


def reachable(url: str) -> bool:
    """Whether the database can be created or reached (benchmarks skip PostgreSQL if not)."""
    try:
        ensure_database(url)
    except Exception:
        return False
    return True
