"""Benchmarks (``make bench``): print figures, never assert timings.

Every module ``benchmarks/bench_*.py`` defines ``run() -> list[Figure]``;
``python -m benchmarks [NAME ...]`` runs them all (or the named ones) and prints
one line per figure.
"""

from __future__ import annotations

from dataclasses import dataclass


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
