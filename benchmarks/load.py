"""Load benchmark (``make bench``): prequalification against the framework ceiling.

Two configurations, side by side: the embedded default (SQLite, in-memory
rate limits) and production (PostgreSQL, Redis rate limits). For each a real
gateway runs under gunicorn
(:mod:`benchmarks.served`). Sandbox customers are consented first: the
personas plus many other sandbox phones (scored by the model on synthetic
profiles), each with its own consent, because the contact-frequency cap
declines a sixth offer to the same customer within 30 days. ``wrk`` then
drives authenticated ``POST /v1/prequalifications`` rotating through them
(``benchmarks/wrk/prequalify.lua``), and ``GET /healthz`` on the same server
(``benchmarks/wrk/get.lua``) as the ceiling: 4 connections for latency, 32
for throughput. Prints requests/s, p50, p99, the throughput ratio, and the
workers' CPU per request (user + system, from ``/proc``): the figure that
says whether a run was CPU-bound or waiting.

Every body asks for every tenor of the product (omits ``requested_tenors``),
as a checkout showing all plans does: up to 12 offers a decision. For the
production configuration Redis is read around each run: its commands per
request (``INFO commandstats``, which counts the commands a script runs
inside Redis as well as the script call) and its round trips per request
(``total_reads_processed``: one read of a client's socket per request sent).

    python -m benchmarks.load [--config embedded|production] [--duration 30] [--workers 2]
                              [--threads 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks import Figure
from benchmarks.served import ServedGateway
from gateway.identity import id_check_character

WRK_DIR = Path(__file__).resolve().parent / "wrk"
PERSONAS = ("+8613800000001", "+8613800000002", "+8613800000003", "+8613800000004")
LATENCY_CONNECTIONS = 4
THROUGHPUT_CONNECTIONS = 32
REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class Config:
    """A deployment to measure, and its targets."""

    name: str
    backend: str
    limits: str
    p99_ms: float
    ratio: float
    cpu_ms: float | None


CONFIGS = {
    "embedded": Config("embedded", "sqlite", "memory://", 15.0, 0.35, 2.5),
    "production": Config("production", "postgresql", REDIS_URL, 20.0, 0.25, None),
}


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run measured."""

    requests: int
    seconds: float
    non_2xx: int
    socket_errors: int
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds


def customer_phones(count: int, seed: int = 9) -> list[str]:
    """The personas that answer (not the one that fails on purpose) and ``count`` other phones."""
    rng = random.Random(seed)
    others = {f"+86139{rng.randrange(10**8):08d}" for _ in range(count * 2)}
    return [*PERSONAS, *sorted(others)[:count]]


def resident_id(first17: str) -> str:
    """A resident ID number: 17 digits and their ISO 7064 MOD 11-2 check character."""
    return first17 + id_check_character(first17)


def consent_body(phone: str, notice_version: str, index: int) -> dict[str, Any]:
    """A consent for ``prequalification`` captured just now on the web."""
    customer: dict[str, Any] = {"phone": phone}
    if index % 3 == 0:
        customer["id_number"] = resident_id(f"110105{1960 + index % 40}0101{index % 1000:03d}")
    return {
        "customer": customer,
        "grants": [
            {"purpose": "prequalification", "granted": True, "notice_version": notice_version}
        ],
        "evidence": {
            "captured_at": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
            "channel": "web",
            "locale": "zh-CN",
            "ip": "203.0.113.7",
            "user_agent": "wrk",
            "page_url": "https://shop.example/checkout",
        },
    }


def prequal_body(phone: str, consent_id: str, rng: random.Random) -> dict[str, Any]:
    """A varied checkout: amount, tenors and (sometimes) declared facts."""
    customer: dict[str, Any] = {"phone": phone}
    if rng.random() < 0.5:
        customer["declared"] = {
            "monthly_income": f"{rng.randrange(4000, 40000)}.00",
            "employment_type": rng.choice(("salaried", "self_employed", "business_owner")),
            "age": rng.randrange(21, 60),
        }
    body: dict[str, Any] = {
        "consent_id": consent_id,
        "customer": customer,
        "scenario": {
            "type": "ecommerce",
            "amount": f"{rng.randrange(500, 20000)}.{rng.randrange(100):02d}",
            "currency": "CNY",
            "merchant_order_ref": f"order-{rng.randrange(10**9)}",
            "item_category": rng.choice(("electronics", "appliances", "furniture")),
        },
    }
    return body  # no requested_tenors: every tenor of the product is offered


def make_bodies(gateway: ServedGateway, token: str, phones: Sequence[str], out: Path) -> None:
    """Consent every phone (8 at a time) and write one prequalification body per line."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=gateway.base_url, headers=headers, timeout=30) as http:
        notice = http.get("/v1/consent-notices/prequalification").raise_for_status().json()

        def consent(item: tuple[int, str]) -> str:
            index, phone = item
            response = http.post("/v1/consents", json=consent_body(phone, notice["version"], index))
            if response.status_code != 201:
                raise RuntimeError(f"consent for customer {index}: {response.text}")
            consent_id: str = response.json()["consents"][0]["id"]
            return consent_id

        with ThreadPoolExecutor(8) as pool:
            consent_ids = list(pool.map(consent, enumerate(phones)))
    rng = random.Random(21)
    lines = [json.dumps(prequal_body(p, c, rng)) for p, c in zip(phones, consent_ids, strict=True)]
    rng.shuffle(lines)
    out.write_text("\n".join(lines) + "\n")


def worker_cpu_seconds(master_pid: int) -> float | None:
    """User + system CPU seconds of a gunicorn master's workers so far (Linux ``/proc``)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    total = 0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        if int(fields[1]) == master_pid:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime + stime, in ticks
    return total / os.sysconf("SC_CLK_TCK")


@functools.cache
def _redis_client() -> Any:
    """One connection for the readings: a new one would add its handshake to the counts."""
    import redis

    return redis.Redis.from_url(REDIS_URL, socket_timeout=2, single_connection_client=True)


def redis_counts() -> tuple[int, int] | None:
    """Redis's ``(commands, round trips)`` so far, or ``None`` without Redis.

    Commands are ``INFO commandstats`` calls, where an ``EVALSHA`` counts
    once and every command its script runs counts again. Round trips are
    ``total_reads_processed``: the server reads a client's socket once per
    request it is sent (a script call, a single command or a pipeline).
    """
    try:
        client = _redis_client()
        stats = client.info("commandstats")
        reads = client.info("stats")["total_reads_processed"]
    except Exception:
        return None
    return sum(int(item["calls"]) for item in stats.values()), int(reads)


def wrk(url: str, script: str, connections: int, seconds: int, *args: str) -> WrkResult:
    """Run wrk once and read the JSON line its script prints."""
    # A generous timeout: a slow answer must count in the latency, not vanish as an error.
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency"]
    command += ["-s", str(WRK_DIR / script), url]
    if args:
        command += ["--", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 - wrk
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith('{"requests"'))
    data = json.loads(line)
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        non_2xx=data["non_2xx"],
        socket_errors=data["socket_errors"],
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
    )


def measure(
    config: Config, seconds: int, workers: int, customers: int, threads: int = 1
) -> list[Figure]:
    """Every figure of one configuration."""
    label = f"{config.name} ({config.backend}, {config.limits.split(':')[0]}) w={workers}"
    if threads > 1:
        label += f" t={threads}"
    with ServedGateway(
        config.backend, workers=workers, threads=threads, limits=config.limits
    ) as gateway:
        token = gateway.token()
        bodies = gateway.tmp / "bodies.jsonl"
        make_bodies(gateway, token, customer_phones(customers), bodies)
        runs: dict[tuple[str, int], WrkResult] = {}
        cpu: dict[tuple[str, int], float] = {}
        redis_per_request: dict[tuple[str, int], tuple[float, float]] = {}
        assert gateway.process is not None
        master = gateway.process.pid
        for connections in (LATENCY_CONNECTIONS, THROUGHPUT_CONNECTIONS):
            for kind, url, script, extra in (
                ("ceiling", f"{gateway.base_url}/healthz", "get.lua", ()),
                ("prequal", gateway.base_url, "prequalify.lua", (str(bodies), token)),
            ):
                before, counts = worker_cpu_seconds(master), redis_counts()
                runs[kind, connections] = result = wrk(url, script, connections, seconds, *extra)
                after, counts_after = worker_cpu_seconds(master), redis_counts()
                if before is not None and after is not None and result.requests:
                    cpu[kind, connections] = (after - before) * 1000 / result.requests
                if config.limits.startswith("redis") and counts and counts_after:
                    # Between two readings Redis also counts two of the readings' INFO calls.
                    commands = counts_after[0] - counts[0] - 2
                    trips = counts_after[1] - counts[1] - 2
                    per = max(1, result.requests)
                    redis_per_request[kind, connections] = (commands / per, trips / per)
    return _figures(config, label, runs, cpu, redis_per_request)


def _figures(
    config: Config,
    label: str,
    runs: dict[tuple[str, int], WrkResult],
    cpu: dict[tuple[str, int], float],
    redis_per_request: dict[tuple[str, int], tuple[float, float]],
) -> list[Figure]:
    figures: list[Figure] = []
    for (kind, connections), result in runs.items():
        name = f"{label} {kind} c={connections}"
        prequal = kind == "prequal"
        if connections == LATENCY_CONNECTIONS:
            figures.append(Figure(f"{name} p50", result.p50_ms, "ms"))
            target = f"<= {config.p99_ms:.0f} ms" if prequal else ""
            figures.append(Figure(f"{name} p99", result.p99_ms, "ms", target))
        figures.append(Figure(f"{name} throughput", result.rps, "req/s"))
        if (kind, connections) in cpu:
            target = f"<= {config.cpu_ms} ms" if prequal and config.cpu_ms else ""
            figures.append(
                Figure(f"{name} worker CPU per request", cpu[kind, connections], "ms", target)
            )
        if (kind, connections) in redis_per_request:
            commands, trips = redis_per_request[kind, connections]
            figures.append(Figure(f"{name} Redis commands per request", commands, ""))
            target = "<= 1" if prequal else ""
            figures.append(Figure(f"{name} Redis round trips per request", trips, "", target))
        if result.non_2xx or result.socket_errors:
            figures.append(Figure(f"{name} non-2xx", result.non_2xx, "responses"))
            figures.append(Figure(f"{name} socket errors", result.socket_errors, "errors"))
    for connections in (LATENCY_CONNECTIONS, THROUGHPUT_CONNECTIONS):
        ratio = runs["prequal", connections].rps / runs["ceiling", connections].rps
        target = f">= {config.ratio:.2f}" if connections == THROUGHPUT_CONNECTIONS else ""
        figures.append(Figure(f"{label} ratio prequal/ceiling c={connections}", ratio, "", target))
    return figures


def main(argv: Sequence[str]) -> int:
    """Run the load benchmark on the chosen backends and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--config", choices=tuple(CONFIGS), action="append")
    parser.add_argument("--duration", type=int, default=30, help="seconds per wrk run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="gthread threads per worker")
    parser.add_argument("--customers", type=int, default=3000, help="consented sandbox phones")
    options = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian package wrk)", file=sys.stderr)
        return 1
    failed = 0
    try:
        load = os.getloadavg()
        print(f"== load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    except OSError:
        pass
    for name in options.config or list(CONFIGS):
        print(f"== load {name}", flush=True)
        try:
            figures = measure(
                CONFIGS[name], options.duration, options.workers, options.customers, options.threads
            )
        except Exception as exc:
            failed += 1
            print(f"   failed: {type(exc).__name__}: {exc}", flush=True)
            continue
        for figure in figures:
            print(figure.line(), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
