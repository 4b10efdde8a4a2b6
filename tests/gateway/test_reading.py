"""``gateway.db.reading``: reads that neither wait for nor hold SQLite's write lock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from gateway.audit.models import AuditChainHead
from gateway.db import Database, WriteInReadingScope, reading

pytestmark = pytest.mark.committing


@pytest.fixture
def other(app: Flask) -> Iterator[Database]:
    """A second engine on the same database whose lock waits give up after 50 ms."""
    database: Database = app.extensions["gateway.db"]
    second = Database(database.url)
    if second.dialect == "sqlite":

        def _short_wait(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA busy_timeout=50")

        event.listen(second.engine, "connect", _short_wait)
    yield second
    second.dispose()


def test_reads_do_not_wait_for_a_writer_on_sqlite(
    app: Flask, other: Database, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL readers never wait for writers")
    database: Database = app.extensions["gateway.db"]
    with database.engine.connect() as writer:
        writer.begin()  # BEGIN IMMEDIATE: the write lock, held until rollback
        writer.execute(text("UPDATE audit_chain_heads SET seq = seq WHERE shard = 0"))
        with other.sessionmaker() as session:
            with reading(session):
                count = session.execute(text("SELECT count(*) FROM audit_chain_heads")).scalar()
            assert count == 16
            assert not session.in_transaction()  # the snapshot ended with the scope
            # Outside the scope a transaction begins IMMEDIATE, so it must wait for the writer.
            with pytest.raises(OperationalError, match="locked"):
                session.execute(text("SELECT count(*) FROM audit_chain_heads"))
        writer.rollback()


def test_a_write_inside_the_scope_is_refused_and_rolled_back(other: Database, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("on PostgreSQL the scope joins the session's transaction")
    with other.sessionmaker() as session, pytest.raises(WriteInReadingScope), reading(session):
        session.add(AuditChainHead(shard=99, seq=0, chain_hash="0" * 64))
    with other.sessionmaker() as session:
        assert session.get(AuditChainHead, 99) is None


def test_inside_an_open_transaction_the_reads_join_it(other: Database) -> None:
    with other.sessionmaker() as session:
        session.execute(text("SELECT 1"))
        with reading(session):
            session.execute(text("SELECT count(*) FROM audit_chain_heads"))
        assert session.in_transaction()  # the caller's transaction was not ended


def test_on_postgresql_the_reads_join_the_session_transaction(
    other: Database, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite reads apart")
    with other.sessionmaker() as session:
        with reading(session):
            session.execute(text("SELECT 1"))
        assert session.in_transaction()
