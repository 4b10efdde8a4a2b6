"""Where a prequalification's CPU goes: cProfile over in-process requests.

    python -m benchmarks.profile_prequal [--requests 300] [--top 40] [--steps]
        [--statements] [--postgresql]

Prints the functions with the most own time and the share of CPU per
package (sqlalchemy, marshmallow, werkzeug, gateway, ...), the same setup as
``bench_prequal``. ``--steps`` instead times the steps of a prequalification
without a profiler (``time.process_time`` around each; no profiler overhead
to distort them); ``--statements`` counts the statements and round trips of
each prequalification (:mod:`gateway.db.counting`) and lists one request's.
``--postgresql`` runs on ``GATEWAY_BENCH_DATABASE_URL`` (default: database
``gateway_bench`` on the local server, emptied first) instead of SQLite.
For a call tree, run ``pyinstrument -m benchmarks.profile_prequal --no-profile``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from benchmarks.bench_prequal import prepare
from benchmarks.served import DEFAULT_PG_URL


def package_of(filename: str) -> str:
    """A short name for where a function lives: its top-level package, or C code."""
    if filename.startswith("~") or filename.startswith("<"):
        return "C / builtins"
    parts = filename.replace("\\", "/").split("/")
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0]
    if "gateway" in parts:
        index = len(parts) - 1 - parts[::-1].index("gateway")
        return "gateway." + parts[index + 1].removesuffix(".py")
    return parts[-2] if len(parts) > 1 else filename


def _time_steps() -> tuple[Counter[str], Counter[str]]:
    """Wrap the steps of a prequalification with CPU timers; (seconds, calls) by step."""
    from gateway import sessions
    from gateway.api import operations, transaction
    from gateway.keys import services as keys
    from gateway.oauth import extension, windows
    from gateway.partners import services as partners
    from gateway.prequal import decision, services, views
    from gateway.scoring import registry

    seconds: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    steps = [
        (operations, "run_in_transaction", "the operation (from authorised to committed)"),
        (views, "create_prequalification", "  the view"),
        (sessions.Session, "commit", "  commit"),
        (sessions, "close_request_session", "closing the session"),
        (transaction, "dumps_presented", "  the response body (orjson)"),
        (views, "prequalification_view", "  presenting the decision"),
        (partners, "request_partner_config", "  the partner's configuration"),
        (registry, "active_scorer", "  the active model"),
        (windows.MemoryCounters, "hit", "the partner's rate limit (windows)"),
        (operations, "load_body", "loading the body through marshmallow"),
        (extension, "_authenticate", "bearer token (signature cache, state query)"),
        (services, "prequalify", "prequalify() service"),
        (services, "draft", "  decision draft"),
        (decision, "price_offers", "    pricing"),
        (decision, "model_decision", "    scoring and policy"),
        (decision, "offer_row", "    offers: schedule, hash"),
        (decision, "signed_decision", "    decision token (one signature)"),
        (keys, "sign", "      signing"),
        (services, "read_inputs", "  consent, profile, 30-day count, risk (one read)"),
        (services, "recheck_recent", "  consent and 30-day re-check (SQLite)"),
        (services, "audit", "  audit entry"),
    ]
    for module, name, label in steps:
        original = getattr(module, name)

        def timed(*args: Any, _f: Any = original, _label: str = label, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return _f(*args, **kwargs)
            finally:
                seconds[_label] += time.process_time() - started
                calls[_label] += 1

        setattr(module, name, timed)
    return seconds, calls


def _count_statements(client: Any, headers: dict[str, str], bodies: list[Any]) -> int:
    from gateway.db.counting import counting

    engine = client.application.extensions["gateway.db"].engine
    totals: Counter[str] = Counter()
    shown: list[str] = []
    for body in bodies:
        with counting(engine) as counted:
            client.post("/v1/prequalifications", json=body, headers=headers)
        totals["statements"] += len(counted.statements)
        totals["round trips"] += counted.round_trips
        totals["pings"] += counted.pings
        totals["transactions"] += counted.transactions
        shown = shown or counted.statements
    print(f"{len(bodies)} prequalifications on {engine.dialect.name}, per request:")
    for name, total in totals.items():
        print(f"  {total / len(bodies):6.2f}  {name}")
    print("one request's statements:")
    for sql in shown:
        print("  " + " ".join(sql.split())[:150])
    return 0


def main(argv: Sequence[str]) -> int:
    """Profile the prequalifications and print the report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_prequal")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--no-profile", action="store_true", help="run only (for pyinstrument)")
    parser.add_argument("--steps", action="store_true", help="time the steps, no profiler")
    parser.add_argument("--statements", action="store_true", help="count statements, no timing")
    parser.add_argument("--postgresql", action="store_true", help="on PostgreSQL, not SQLite")
    options = parser.parse_args(argv)
    timed = _time_steps() if options.steps else None
    url = (
        os.environ.get("GATEWAY_BENCH_DATABASE_URL", DEFAULT_PG_URL) if options.postgresql else None
    )
    client, headers, bodies = prepare(options.requests + 10, url)
    for body in bodies[:10]:
        client.post("/v1/prequalifications", json=body, headers=headers)
    if options.statements:
        return _count_statements(client, headers, bodies[10:])
    if timed is not None:
        seconds, calls = timed
        seconds.clear()
        calls.clear()
        started = time.process_time()
        for body in bodies[10:]:
            client.post("/v1/prequalifications", json=body, headers=headers)
        each = (time.process_time() - started) * 1000 / options.requests
        print(f"{options.requests} prequalifications, {each:.2f} ms CPU each (whole request)")
        for label, spent in seconds.items():
            per = spent * 1000 / options.requests
            print(f"  {per:7.3f} ms  {label} ({calls[label] / options.requests:.1f} per request)")
        return 0
    profiler = cProfile.Profile(time.process_time)
    started = time.process_time()
    if not options.no_profile:
        profiler.enable()
    for body in bodies[10:]:
        client.post("/v1/prequalifications", json=body, headers=headers)
    profiler.disable()
    spent = time.process_time() - started
    each = spent * 1000 / options.requests
    print(f"{options.requests} prequalifications, {each:.2f} ms CPU each")
    if options.no_profile:
        return 0
    stats = pstats.Stats(profiler)
    by_package: dict[str, float] = defaultdict(float)
    total = 0.0
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        by_package[package_of(filename)] += own
        total += own
    print("\nshare of CPU by package (own time):")
    for name, own in sorted(by_package.items(), key=lambda item: -item[1])[:25]:
        print(f"  {own / total:6.1%}  {own * 1000 / options.requests:7.3f} ms  {name}")
    print()
    stats.sort_stats("tottime").print_stats(options.top)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
