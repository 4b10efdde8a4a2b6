"""A flame graph of served prequalifications (``docs/images/prequal-flame.svg``).

The embedded configuration of ``make bench`` (SQLite, in-memory limits, two
gunicorn workers) under ``wrk`` at 4 connections, every tenor requested, while
py-spy samples one of the workers (``--idle`` off, so the graph is CPU, not
waiting). py-spy is a dev dependency; it reads the workers'
memory, so it needs ptrace permission (root, or ``CAP_SYS_PTRACE``).

    python -m benchmarks.flame [--out docs/images/prequal-flame.svg] [--duration 20]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from benchmarks import parent_pids
from benchmarks.load import LATENCY_CONNECTIONS, customer_phones, make_bodies, wrk
from benchmarks.served import ServedGateway

ROOT = Path(__file__).resolve().parent.parent


def main(argv: Sequence[str]) -> int:
    """Serve, load and sample; write the SVG."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.flame", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs/images/prequal-flame.svg")
    parser.add_argument("--duration", type=int, default=20, help="seconds sampled")
    parser.add_argument("--customers", type=int, default=1500)
    options = parser.parse_args(argv)
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if shutil.which("wrk") is None or not Path(spy).exists():
        print("needs wrk (Debian package) and py-spy (dev dependency)", file=sys.stderr)
        return 1
    with ServedGateway("sqlite", workers=2) as gateway:
        token = gateway.token()
        bodies = gateway.tmp / "bodies.jsonl"
        make_bodies(gateway, token, customer_phones(options.customers), bodies)
        assert gateway.process is not None
        # wrk runs a little longer than the sampling, so every sample is under load.
        seconds = options.duration + 4
        load = threading.Thread(
            target=lambda: wrk(
                gateway.base_url, "prequalify.lua", LATENCY_CONNECTIONS, seconds, str(bodies), token
            ),
            daemon=True,
        )
        load.start()
        options.out.parent.mkdir(parents=True, exist_ok=True)
        # One worker (the load is spread evenly), so the graph is one tree.
        master = gateway.process.pid
        worker = min(pid for pid, parent in parent_pids().items() if parent == master)
        form = "raw" if options.out.suffix == ".txt" else "flamegraph"  # raw: collapsed stacks
        command = [
            spy, "record", "--pid", str(worker),
            "--duration", str(options.duration), "--rate", "250", "--format", form,
            "--output", str(options.out), "--nonblocking",
        ]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603 - py-spy
        load.join()
    print(f"wrote {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
