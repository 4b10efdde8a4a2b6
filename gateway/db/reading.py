"""Read snapshots that neither wait for nor hold SQLite's write lock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from gateway.db.engine import SQLITE_BEGIN


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
    token = SQLITE_BEGIN.set("BEGIN")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    finally:
        SQLITE_BEGIN.reset(token)
    if db.new or db.dirty or db.deleted:
        db.rollback()
        raise WriteInReadingScope("reading() is for reads; write in the transaction after it")
    db.commit()
