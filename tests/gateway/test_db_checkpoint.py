"""SQLite's WAL is checkpointed by a worker's thread, not in a request's commit."""

from __future__ import annotations

import gc
import sqlite3
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask

from gateway.cli.serve import _post_worker_init, _worker_exit
from gateway.db import Database
from gateway.db.checkpoint import BACKSTOP_PAGES, Checkpointer, sqlite_path


def _wait_for(condition: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_every_sqlite_connection_checkpoints_itself_only_as_a_backstop(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'backstop.db'}")
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP_PAGES
    database.dispose()


def test_the_thread_copies_the_log_into_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # only the thread checkpoints
    writer.execute("CREATE TABLE blob (data BLOB)")
    writer.executemany("INSERT INTO blob VALUES (?)", [(b"x" * 4000,)] * 100)
    before = path.stat().st_size
    checkpointer = Checkpointer(str(path), interval=0.01).start()
    try:
        _wait_for(lambda: checkpointer.stats.runs >= 2)
    finally:
        checkpointer.stop()
    assert not checkpointer.running
    assert checkpointer.stats.errors == 0
    assert checkpointer.stats.largest_log >= 100  # a page a row, at least
    assert checkpointer.stats.restarts >= 1  # nobody else in the log: it starts again
    assert path.stat().st_size >= before + 100 * 4000  # the rows are in the file itself
    writer.close()


def test_a_failed_checkpoint_is_counted_and_the_thread_goes_on(tmp_path: Path) -> None:
    checkpointer = Checkpointer(str(tmp_path / "gone.db"))
    broken = sqlite3.connect(":memory:")
    broken.close()
    checkpointer.checkpoint(broken)
    assert checkpointer.stats.errors == 1 and checkpointer.stats.runs == 0


def test_only_a_sqlite_file_gets_a_checkpointer() -> None:
    assert sqlite_path("sqlite:////srv/gateway.db") == "/srv/gateway.db"
    assert sqlite_path("sqlite://") is None
    assert sqlite_path("sqlite:///:memory:") is None
    assert sqlite_path("postgresql+psycopg://u@h/db") is None


def test_a_served_worker_freezes_its_start_up_and_checkpoints_on_sqlite(
    app: Flask, backend: str
) -> None:
    worker = SimpleNamespace(wsgi=app)
    try:
        _post_worker_init(worker)
        assert gc.get_freeze_count() > 10_000
        checkpointer = app.extensions.get("gateway.checkpointer")
        assert (checkpointer is not None and checkpointer.running) == (backend == "sqlite")
    finally:
        gc.unfreeze()
        _worker_exit(None, worker)
    assert "gateway.checkpointer" not in app.extensions
    if backend == "sqlite":
        assert checkpointer is not None and not checkpointer.running


def test_a_worker_that_failed_to_load_the_app_is_left_alone() -> None:
    worker = SimpleNamespace(wsgi=lambda environ, start_response: [])
    try:
        _post_worker_init(worker)
    finally:
        gc.unfreeze()
    _worker_exit(None, worker)


@pytest.fixture(autouse=True)
def _no_frozen_objects_left() -> None:
    assert gc.get_freeze_count() == 0
