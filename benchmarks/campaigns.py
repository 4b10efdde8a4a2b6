"""``make bench-campaigns``: the campaign job over 10M synthetic profiles on local[2].

The inputs (profiles and an eligibility export, Parquet) are written once to
``instance/bench-campaigns/<rows>/`` and reused. The job runs in this process's
SparkSession (local[2], the example campaign spec) while a sampler reads
``/proc`` every 0.2 s: the driver is this Python process plus its JVM, the
Python workers are the ``pyspark.daemon`` processes and their forks.

Figures: wall time of the job, rows per second end to end, and the peak
resident memory of the driver, of the Python workers and of all together.
``BENCH_CAMPAIGN_ROWS`` changes the row count (then the inputs are rewritten).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import threading
import time
from pathlib import Path

from benchmarks import Figure, parent_pids

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "gateway" / "campaigns" / "example_campaign.yaml"
BENCH = ROOT / "instance" / "bench-campaigns"
PARTNERS = ("demo-mall", "demo-travel", "demo-academy")
MB = 1024 * 1024


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class Sampler(threading.Thread):
    """Peak RSS of the driver (this process and its JVM) and of the Python workers, and the
    CPU time of all of them (the machine is shared: CPU seconds say what wall time cannot)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = {"driver": 0, "workers": 0, "total": 0}
        self.cpu: dict[int, float] = {}  # last seen CPU seconds of every job process
        self._done = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self._done.wait(0.2):
            parents = parent_pids()
            descendants: set[int] = set()
            frontier = {me}
            while frontier:
                frontier = {p for p, parent in parents.items() if parent in frontier} - descendants
                descendants |= frontier
            driver, workers = _rss(me), 0
            for pid in descendants | {me}:
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), _cpu_seconds(pid))
            for pid in descendants:
                # pyspark.daemon and its forked workers (the JVM's classpath names pyspark too)
                if "-m pyspark.daemon" in _cmdline(pid):
                    workers += _rss(pid)
                else:
                    driver += _rss(pid)
            for key, value in (("driver", driver), ("workers", workers)):
                self.peak[key] = max(self.peak[key], value)
            self.peak["total"] = max(self.peak["total"], driver + workers)

    def stop(self) -> None:
        self._done.set()
        self.join()


def inputs(rows: int) -> tuple[Path, Path]:
    """The Parquet inputs for ``rows`` profiles, written on first use."""
    from gateway.campaigns.synthetic import write_synthetic_inputs

    data = BENCH / str(rows)
    marker = data / "rows.json"
    profiles, eligibility = data / "profiles.parquet", data / "eligibility.parquet"
    if marker.exists() and json.loads(marker.read_text()) == rows and profiles.exists():
        return profiles, eligibility
    shutil.rmtree(data, ignore_errors=True)
    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    write_synthetic_inputs(rows, data, partners=PARTNERS, now=now)
    marker.write_text(json.dumps(rows))
    print(f"   wrote {rows} profiles in {time.perf_counter() - started:.0f} s", flush=True)
    return profiles, eligibility


def run() -> list[Figure]:
    """Build the example campaign over the inputs and report its figures."""
    from gateway.campaigns.job import Inputs
    from gateway.campaigns.job import run as run_job
    from gateway.campaigns.session import spark_session

    rows = int(os.environ.get("BENCH_CAMPAIGN_ROWS", "10000000"))
    profiles, eligibility = inputs(rows)
    out = BENCH / f"{rows}-out"
    spark = spark_session(
        "local[2]",
        "bench-campaigns",
        {
            # 2g ran out of heap at 10M rows in the write stage (java.lang.OutOfMemoryError).
            "spark.driver.memory": "3g",
            "spark.sql.shuffle.partitions": "40",
            "spark.sql.execution.arrow.maxRecordsPerBatch": os.environ.get(
                "BENCH_ARROW_BATCH", "10000"
            ),
            "spark.ui.enabled": "false",
        },
    )
    spark.sparkContext.setLogLevel("ERROR")
    before = _cpu_seconds(os.getpid())  # this process's CPU before the job (inputs, imports)
    sampler = Sampler()
    sampler.start()
    started = time.perf_counter()
    try:
        summary = run_job(spark, Inputs(SPEC, str(profiles), str(eligibility), str(out)))
    finally:
        wall = time.perf_counter() - started
        sampler.stop()
        spark.stop()
    listed = sum(c["contacts"] for c in summary["contacts"])
    cpu = sum(sampler.cpu.values()) - before
    print(f"   {summary['eligible_customers']} eligible customers, {listed} contacts", flush=True)
    print(f"   load average at the end: {os.getloadavg()[0]:.1f}", flush=True)
    return [
        Figure("campaign job: wall time", wall, "s"),
        Figure("campaign job: rows per second end to end", rows / wall, "rows/s", "≥ 50,000"),
        Figure("campaign job: CPU of all its processes", cpu, "s"),
        Figure(
            "campaign job: rows per CPU-second (2 idle cores: about twice)",
            rows / max(cpu, 1e-9),
            "rows/s",
        ),
        Figure(
            "campaign job: peak memory, driver (Python + JVM)", sampler.peak["driver"] / MB, "MB"
        ),
        Figure("campaign job: peak memory, Python workers", sampler.peak["workers"] / MB, "MB"),
        Figure("campaign job: peak memory, all", sampler.peak["total"] / MB, "MB", "< 6 GB"),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line(), flush=True)
    sys.exit(0)
