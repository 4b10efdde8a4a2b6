"""The review queue on ``/metrics``: open and overdue cases, and time to decision.

Read from the database at scrape time, so every gateway process reports the
same figures whichever process (or CLI) changed the cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client.core import GaugeMetricFamily, Metric, SummaryMetricFamily
from sqlalchemy import select

from gateway import clock
from gateway.reviews.models import PENDING, ReviewCase

_LABELS = ["kind", "environment"]


class ReviewQueueCollector:
    """A Prometheus collector over ``review_cases``.

    Args:
        database: returns the app's :class:`gateway.db.Database` (looked up at
            each scrape, so tests that swap the database are seen).
    """

    def __init__(self, database: Callable[[], Any]) -> None:
        self._database = database

    def describe(self) -> Iterator[Metric]:
        """The metric families, without touching the database."""
        yield from self._families()

    def collect(self) -> Iterator[Metric]:
        """Count pending and overdue cases and sum decision times, per kind and environment."""
        opened, overdue, decided = self._families()
        now = clock.utcnow()
        with self._database().new_session() as db:
            pending = db.execute(
                select(ReviewCase.kind, ReviewCase.environment, ReviewCase.due_at).where(
                    ReviewCase.status.in_(PENDING)
                )
            ).all()
            finished = db.execute(
                select(ReviewCase.kind, ReviewCase.created_at, ReviewCase.decided_at).where(
                    ReviewCase.status == "decided"
                )
            ).all()
        counts: dict[tuple[str, str], list[int]] = {}
        for kind, environment, due_at in pending:
            row = counts.setdefault((kind, environment), [0, 0])
            row[0] += 1
            row[1] += int(now > due_at)
        for (kind, environment), (n_open, n_overdue) in sorted(counts.items()):
            opened.add_metric([kind, environment], n_open)
            overdue.add_metric([kind, environment], n_overdue)
        times: dict[str, list[float]] = {}
        for kind, created_at, decided_at in finished:
            times.setdefault(kind, []).append((decided_at - created_at).total_seconds())
        for kind, seconds in sorted(times.items()):
            decided.add_metric([kind], count_value=len(seconds), sum_value=sum(seconds))
        yield from (opened, overdue, decided)

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily, SummaryMetricFamily]:
        return (
            GaugeMetricFamily(
                "gateway_review_cases_open",
                "Review cases waiting for a decision (open or in review).",
                labels=_LABELS,
            ),
            GaugeMetricFamily(
                "gateway_review_cases_overdue",
                "Review cases waiting past their SLA due time.",
                labels=_LABELS,
            ),
            SummaryMetricFamily(
                "gateway_review_time_to_decision_seconds",
                "Time from opening a review case to its decision, decided cases.",
                labels=["kind"],
            ),
        )
