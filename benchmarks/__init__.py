"""Benchmarks (``make bench``): print figures, never assert timings.

Every module ``benchmarks/bench_*.py`` defines ``run() -> list[Figure]``;
``python -m benchmarks [NAME ...]`` runs them all (or the named ones) and prints
one line per figure.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    """One measured figure, with the target it is judged against (if any)."""

    name: str
    value: float
    unit: str
    target: str = ""

    def line(self) -> str:
        """A printable line."""
        target = f"   (target {self.target})" if self.target else ""
        return f"{self.name:<58} {self.value:>12.3f} {self.unit}{target}"


def parent_pids() -> dict[int, int]:
    """The parent pid of every process (Linux ``/proc``; those that end meanwhile are skipped)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents
