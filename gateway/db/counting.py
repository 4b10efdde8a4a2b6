"""Count what a block of work costs the database: statements and round trips.

For the tests that pin the hot path's statement count (a change that adds a
statement to ``POST /v1/prequalifications`` fails them) and for
``python -m benchmarks.profile_prequal --statements``. SQLAlchemy's
``before_cursor_execute`` sees every statement, ``insertmanyvalues`` batches
included, but neither the pool's pre-ping nor the transaction boundaries
psycopg sends itself; those are counted apart so the round trips can be told
on PostgreSQL (where ``BEGIN`` goes out before a transaction's first statement
and ``COMMIT`` / ``ROLLBACK`` are round trips of their own) as on SQLite
(where ``BEGIN`` is one of the statements, :mod:`gateway.db.engine`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


@dataclass
class Counted:
    """What ran inside :func:`counting`."""

    dialect: str
    statements: list[str] = field(default_factory=list)
    pings: int = 0
    transactions: int = 0  # transactions that ended (commit or rollback)

    @property
    def round_trips(self) -> int:
        """Client-server exchanges: statements, pings, and psycopg's ``BEGIN`` and ``COMMIT``.

        On SQLite there is no server: ``BEGIN`` is counted among the
        statements, ``COMMIT`` once per transaction.
        """
        if self.dialect == "postgresql":
            return len(self.statements) + self.pings + 2 * self.transactions
        return len(self.statements) + self.pings + self.transactions

    def summary(self) -> str:
        """One line: statements, pings, transactions and round trips."""
        return (
            f"{len(self.statements)} statements, {self.pings} pings, "
            f"{self.transactions} transactions, {self.round_trips} round trips"
        )


@contextmanager
def counting(engine: Engine) -> Iterator[Counted]:
    """Count the statements, pool pings and ended transactions of ``engine`` in the block.

    Every statement SQLAlchemy sends is seen, including those sent on the
    driver's own cursor through ``exec_driver_sql``; a query run on a raw
    DBAPI cursor is not (count that path apart).
    """
    counted = Counted(engine.dialect.name)
    dialect = engine.dialect

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        counted.statements.append(sql)

    def ended(_conn: Any) -> None:
        counted.transactions += 1

    original_ping = dialect.do_ping

    def ping(dbapi_connection: Any) -> bool:
        counted.pings += 1
        return original_ping(dbapi_connection)

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", ended)
    event.listen(engine, "rollback", ended)
    dialect.do_ping = ping  # type: ignore[method-assign]
    try:
        yield counted
    finally:
        del dialect.do_ping
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", ended)
        event.remove(engine, "rollback", ended)
