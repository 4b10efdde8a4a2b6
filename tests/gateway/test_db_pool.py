"""PostgreSQL's pool: a connection used a moment ago is not pinged; an idle dead one is replaced.

``gateway.db.engine`` pings a pooled connection at checkout only when it sat
idle (``PING_IDLE_AFTER``); ``pool_pre_ping`` would cost a round trip on
every request. These tests kill a pooled connection's server process
(``pg_terminate_backend``, the test's own connection only), as a server
restart would.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from gateway.db import Database, create_db_engine
from gateway.db import engine as engines
from gateway.db.counting import counting

IDLE = 0.2


@pytest.fixture
def pg_engine(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """A PostgreSQL engine of its own, pinging connections idle for ``IDLE`` seconds."""
    if database.dialect != "postgresql":
        pytest.skip("PostgreSQL's pool")
    monkeypatch.setattr(engines, "PING_IDLE_AFTER", IDLE)
    engine = create_db_engine(database.url, pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        pid: int = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    return pid


def _terminate(database: Database, pid: int) -> None:
    with database.engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        conn.commit()


def test_a_connection_used_a_moment_ago_is_not_pinged(pg_engine: Engine) -> None:
    _backend_pid(pg_engine)
    with counting(pg_engine) as counted:
        for _ in range(3):
            _backend_pid(pg_engine)
    assert counted.pings == 0
    time.sleep(IDLE * 1.5)
    with counting(pg_engine) as counted:
        _backend_pid(pg_engine)
    assert counted.pings == 1


def test_an_idle_connection_whose_server_went_away_is_replaced_before_use(
    pg_engine: Engine, database: Database
) -> None:
    dead = _backend_pid(pg_engine)
    _terminate(database, dead)
    time.sleep(IDLE * 1.5)
    assert _backend_pid(pg_engine) != dead  # no error: pinged, found dead, replaced


def test_a_dead_connection_used_at_once_fails_one_request_then_the_pool_recovers(
    pg_engine: Engine, database: Database
) -> None:
    dead = _backend_pid(pg_engine)
    _terminate(database, dead)
    with pytest.raises(OperationalError) as failed:  # the API answers it 503 + Retry-After
        _backend_pid(pg_engine)
    assert failed.value.connection_invalidated
    assert _backend_pid(pg_engine) != dead
