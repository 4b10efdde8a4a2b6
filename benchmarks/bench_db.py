"""What the database layer costs per statement and per transaction (SQLite).

A prequalification runs about 17 statements in three transactions; these
figures say how much of its time is SQLAlchemy's own work rather than
SQLite's: one prebuilt Core ``SELECT`` through the session inside an open
transaction, the same on the session's connection, a whole read snapshot
(``gateway.db.reading``: begin, select, commit, pool checkout and return), a
write transaction (``BEGIN IMMEDIATE`` … ``COMMIT``) and the bare ``sqlite3``
cursor.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import bindparam, select, text

from benchmarks import Figure

CALLS = 3000


def _us(call: Callable[[], object]) -> float:
    call()
    started = time.process_time()
    for _ in range(CALLS):
        call()
    return (time.process_time() - started) * 1e6 / CALLS


def run() -> list[Figure]:
    """Microseconds of CPU per statement and per transaction boundary."""
    from gateway.consent.models import Consent
    from gateway.db import Database, reading, table_of
    from gateway.migrations import upgrade

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='gateway-bench-db-')) / 'gateway.db'}"
    upgrade(url)
    database = Database(url)
    consents = table_of(Consent)
    statement = (
        select(consents.c.id)
        .where(consents.c.id == bindparam("consent_id"), consents.c.expires_at > bindparam("now"))
        .limit(1)
    )
    params = {"consent_id": "cns_missing", "now": dt.datetime.now(dt.UTC)}
    one = text("SELECT 1")
    session = database.sessionmaker()

    def in_session() -> object:
        return session.execute(statement, params).scalar()

    session.execute(one)
    figures = [Figure("statement through the session, in a transaction", _us(in_session), "µs")]
    connection = session.connection()
    figures.append(
        Figure(
            "statement on the session's connection",
            _us(lambda: connection.execute(statement, params).scalar()),
            "µs",
        )
    )
    session.commit()

    def snapshot() -> None:
        with reading(session):
            session.execute(one)

    def write() -> None:
        session.execute(one)
        session.commit()

    figures.append(Figure("read snapshot: begin, SELECT 1, commit", _us(snapshot), "µs"))
    figures.append(Figure("write transaction: BEGIN IMMEDIATE, SELECT 1, COMMIT", _us(write), "µs"))
    raw = database.engine.raw_connection()
    cursor = raw.cursor()

    def bare() -> object:
        cursor.execute("SELECT 1")
        return cursor.fetchone()

    figures.append(Figure("bare sqlite3 cursor, SELECT 1", _us(bare), "µs"))
    raw.close()
    session.close()
    database.dispose()
    return figures
