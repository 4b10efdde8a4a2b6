"""SQLite WAL checkpoints off the request path.

In WAL mode a commit appends its pages to the log, and SQLite copies the log
back into the database file (a *checkpoint*) when a commit finds the log over
``wal_autocheckpoint`` pages: that commit pays for copying up to the whole log
and an fsync. A prequalification writes about 30 pages, so with SQLite's
default of 1,000 one request in about 33 paid several milliseconds: the tail
of the embedded configuration's latency.

A served worker (``gateway serve``) runs a :class:`Checkpointer` instead: a
thread that checkpoints PASSIVE-ly (never waiting for readers or writers) on
its own connection every ``interval`` seconds. pysqlite releases the GIL
while SQLite copies and syncs, so requests go on meanwhile. When that
checkpoint has copied the whole log, a RESTART one follows without waiting
(busy timeout 0; it gives up at once if a writer or reader is in the log),
so the next commit starts the log again from its beginning instead of
appending to a log that only grows between restarts. Every connection
keeps an automatic checkpoint at :data:`BACKSTOP_PAGES`, four times SQLite's
default: if the thread falls behind (or a process runs without one, as the
CLI and the tests do) the log is still checkpointed, only later.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass

logger = logging.getLogger(__name__)

# 4,000 pages of 4 KiB: 16 MiB of log before a commit checkpoints it itself.
BACKSTOP_PAGES = 4000


@dataclass
class CheckpointStats:
    """What one checkpointer has done (read by tests and benchmarks)."""

    runs: int = 0
    restarts: int = 0  # a RESTART checkpoint that was not turned away
    busy: int = 0
    errors: int = 0
    largest_log: int = 0  # pages in the log at a checkpoint, the most seen


class Checkpointer:
    """A daemon thread checkpointing one SQLite database's WAL every ``interval`` seconds."""

    def __init__(self, path: str, interval: float = 0.1) -> None:
        self.path = path
        self.interval = interval
        self.stats = CheckpointStats()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="gateway-wal-checkpoint", daemon=True
        )

    def start(self) -> Checkpointer:
        """Start checkpointing; returns ``self``."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the checkpoint in progress, if any."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        """Whether the thread is alive."""
        return self._thread.is_alive()

    def checkpoint(self, connection: sqlite3.Connection) -> None:
        """One PASSIVE checkpoint; a busy or failed one is counted and retried next time."""
        try:
            busy, log, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if log > 0 and copied == log:
                turned_away, _, _ = connection.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
                self.stats.restarts += 1 - int(turned_away)
        except sqlite3.Error as exc:  # a full disk, a vanished file …
            self.stats.errors += 1
            if self.stats.errors == 1 or self.stats.errors % 1000 == 0:
                logger.warning("WAL checkpoint failed (%s); retrying", exc)
            return
        self.stats.runs += 1
        self.stats.busy += int(busy)
        self.stats.largest_log = max(self.stats.largest_log, int(log))

    def _run(self) -> None:
        # Busy timeout 0: a checkpoint that would have to wait is skipped, never waited for.
        connection = sqlite3.connect(self.path, timeout=0, check_same_thread=False)
        try:
            while not self._stop.wait(self.interval):
                self.checkpoint(connection)
        finally:
            connection.close()


def sqlite_path(url: str) -> str | None:
    """The file of a ``sqlite:///…`` URL, or ``None`` (another database, or in memory)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database
