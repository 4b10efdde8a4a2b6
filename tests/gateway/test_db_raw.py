"""Driver-level queries keep SQLAlchemy's error handling and its statement events."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from gateway.db import Database
from gateway.db.counting import counting
from gateway.db.raw import fetch_one

PARAM = {"sqlite": ":n", "postgresql": "%(n)s"}


def test_a_row_comes_back_and_listeners_see_the_query(database: Database) -> None:
    sql = f"SELECT {PARAM[database.dialect]} + 1"
    with counting(database.engine) as counted, database.engine.connect() as conn:
        assert fetch_one(conn, sql, {"n": 41}) == (42,)
        assert fetch_one(conn, sql + " WHERE 1 = 0", {"n": 41}) is None
    assert counted.statements == [sql, sql + " WHERE 1 = 0"]


def test_a_driver_error_is_raised_as_sqlalchemy_raises_it(database: Database) -> None:
    with database.engine.connect() as conn, pytest.raises(DBAPIError) as raised:
        fetch_one(conn, "SELECT * FROM no_such_table", {})
    assert not raised.value.connection_invalidated


def test_a_dead_connection_is_invalidated_and_the_next_one_works(database: Database) -> None:
    if database.dialect != "postgresql":
        pytest.skip("a server connection to lose")
    engine = database.engine
    with engine.connect() as conn:
        row = fetch_one(conn, "SELECT pg_backend_pid()", {})
        assert row is not None
        with engine.connect() as killer:
            killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": row[0]})
            killer.commit()
        with pytest.raises(OperationalError) as raised:  # the API answers it 503 + Retry-After
            fetch_one(conn, "SELECT 1", {})
        assert raised.value.connection_invalidated
    with engine.connect() as conn:
        assert fetch_one(conn, "SELECT 1", {}) == (1,)
