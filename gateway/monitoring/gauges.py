"""Alerting gauges on ``/metrics``, read from the latest snapshot when Prometheus scrapes.

A custom collector rather than prometheus-client gauges: the figures are
computed by ``gateway model monitor`` (cron) and stored, so every gateway
process exposes the same values without multiprocess gauge files, and a
scrape costs two indexed queries. Prometheus rules page on them
(docs/monitoring.md):

- ``gateway_model_psi`` — score PSI, live against development;
- ``gateway_model_csi{characteristic}`` — each characteristic's CSI;
- ``gateway_approval_rate{partner}`` — share of decisions approved;
- ``gateway_model_monitor_age_seconds`` — how old the snapshot is;
- ``gateway_webhook_dead_letters`` — webhook events given up on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.monitoring.models import MonitoringSnapshot
from gateway.webhooks.models import WebhookEvent

_log = logging.getLogger(__name__)


def latest_snapshot(session: Session) -> MonitoringSnapshot | None:
    """The most recent monitoring snapshot, if any."""
    return session.scalars(
        select(MonitoringSnapshot).order_by(MonitoringSnapshot.id.desc()).limit(1)
    ).first()


def dead_letters(session: Session) -> int:
    """Webhook events dead-lettered (given up after the retry schedule)."""
    return int(
        session.scalar(
            select(func.count()).select_from(WebhookEvent).where(WebhookEvent.status == "dead")
        )
        or 0
    )


def families(session: Session) -> list[GaugeMetricFamily]:
    """The gauges as metric families (empty model gauges before the first snapshot)."""
    out = []
    dead = GaugeMetricFamily(
        "gateway_webhook_dead_letters", "Webhook events dead-lettered after every retry."
    )
    dead.add_metric([], dead_letters(session))
    out.append(dead)
    snapshot = latest_snapshot(session)
    if snapshot is None:
        return out
    figures: dict[str, Any] = snapshot.gauges
    version = snapshot.model_version
    psi = GaugeMetricFamily(
        "gateway_model_psi", "Score PSI, live decisions against development.", labels=["model"]
    )
    psi.add_metric([version], float(figures["psi"]))
    csi = GaugeMetricFamily(
        "gateway_model_csi",
        "Characteristic stability index, live against development.",
        labels=["model", "characteristic"],
    )
    for name, value in sorted(figures["csi"].items()):
        csi.add_metric([version, name], float(value))
    approval = GaugeMetricFamily(
        "gateway_approval_rate", "Share of model decisions approved.", labels=["partner"]
    )
    for name, value in sorted(figures["approval_rate"].items()):
        approval.add_metric([name], float(value))
    age = GaugeMetricFamily(
        "gateway_model_monitor_age_seconds", "Seconds since the monitoring snapshot was taken."
    )
    age.add_metric([], (utcnow() - snapshot.computed_at).total_seconds())
    out.extend([psi, csi, approval, age])
    return out


class MonitoringCollector(Collector):
    """Reads the gauges at each scrape with a session from ``open_session``."""

    def __init__(self, open_session: Callable[[], Session]) -> None:
        self.open_session = open_session

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            with self.open_session() as session:
                found = families(session)
        except SQLAlchemyError as exc:  # a scrape must not fail for the database
            _log.warning("monitoring gauges unavailable: %s", type(exc).__name__)
            return
        yield from found

    def describe(self) -> list[GaugeMetricFamily]:
        return []
