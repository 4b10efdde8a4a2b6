"""Where the slowest requests come from: commits and garbage collections, in-process.

    python -m benchmarks.tails [--customers 600] [--rounds 3]

Serves prequalifications one at a time in-process (``bench_prequal``'s
setup, SQLite), twice, each in a fresh interpreter:

- ``request-path``: every commit checkpoints the WAL itself once the log
  passes SQLite's default of 1 000 pages, and nothing is frozen (the
  gateway before issue 21's fourth session);
- ``worker``: as a ``gateway serve`` worker runs, with the checkpointer
  thread and ``gc.freeze()`` started by the same ``post_worker_init`` hook.

For each it prints the requests' p50/p90/p99/max, the commits over 2 ms,
the commits' p99 and max, the collections per generation with their
longest pause, and (worker) what the checkpointer did.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import time
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

MODES = ("request-path", "worker")


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def _timed_commits() -> list[float]:
    """Every SQLite commit's duration (ms) from now on."""
    from sqlalchemy.dialects.sqlite.base import SQLiteDialect

    durations: list[float] = []
    commit: Any = SQLiteDialect.do_commit

    def timed(self: Any, dbapi_connection: Any) -> None:
        started = time.perf_counter()
        commit(self, dbapi_connection)
        durations.append((time.perf_counter() - started) * 1000)

    SQLiteDialect.do_commit = timed  # type: ignore[method-assign]
    return durations


def _pauses() -> dict[int, list[float]]:
    """Every collection's pause (ms) by generation from now on."""
    pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started = [0.0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses[info["generation"]].append((time.perf_counter() - started[0]) * 1000)

    gc.callbacks.append(callback)
    return pauses


def run_mode(mode: str, customers: int, rounds: int) -> None:
    """Serve ``customers × rounds`` prequalifications in ``mode`` and print the figures."""
    from sqlalchemy import event

    from benchmarks.bench_prequal import prepare
    from gateway.cli.serve import _post_worker_init

    client, headers, bodies = prepare(customers=customers)
    app = client.application
    if mode == "request-path":
        engine = app.extensions["gateway.db"].engine

        @event.listens_for(engine, "connect")
        def _sqlite_default(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA wal_autocheckpoint=1000")

        engine.dispose()
    else:
        _post_worker_init(SimpleNamespace(wsgi=app))
    commits, pauses = _timed_commits(), _pauses()
    latencies = []
    for _ in range(rounds):
        for body in bodies:
            started = time.perf_counter()
            client.post("/v1/prequalifications", json=body, headers=headers)
            latencies.append((time.perf_counter() - started) * 1000)
    slow = [c for c in commits if c > 2]
    print(f"== {mode}: {len(latencies)} prequalifications, one at a time")
    print(
        "   requests p50 / p90 / p99 / max: "
        + " / ".join(f"{_quantile(latencies, q):.2f}" for q in (0.5, 0.9, 0.99, 1.0))
        + " ms"
    )
    print(
        f"   commits: {len(commits)}; over 2 ms: {len(slow)} ({sum(slow):.0f} ms in all); "
        f"p99 {_quantile(commits, 0.99):.2f} ms, slowest {max(commits):.2f} ms"
    )
    for generation, values in pauses.items():
        longest = f", longest {max(values):.2f} ms" if values else ""
        print(f"   generation-{generation} collections: {len(values)}{longest}")
    checkpointer = app.extensions.get("gateway.checkpointer")
    if checkpointer is not None:
        checkpointer.stop()
        print(f"   checkpointer: {checkpointer.stats}")


def main(argv: Sequence[str]) -> int:
    """Each mode in a fresh interpreter (or the one named by ``--mode``)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tails")
    parser.add_argument("--customers", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mode", choices=MODES)
    args = parser.parse_args(argv)
    if args.mode is not None:
        run_mode(args.mode, args.customers, args.rounds)
        return 0
    for mode in MODES:
        command = [sys.executable, "-m", "benchmarks.tails", "--mode", mode]
        command += ["--customers", str(args.customers), "--rounds", str(args.rounds)]
        subprocess.run(command, check=True)  # noqa: S603 - this module, another mode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
