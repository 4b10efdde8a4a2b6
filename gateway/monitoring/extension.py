"""Register the monitoring gauges with the app's metrics."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from gateway.monitoring.gauges import MonitoringCollector
from gateway.observability import Metrics


def init_app(app: Flask) -> None:
    """Add the collector; it reads the app's database at each scrape."""

    def open_session() -> Session:
        session: Session = app.extensions["gateway.db"].new_session()
        return session

    metrics: Metrics = app.extensions["gateway.metrics"]
    metrics.add_collector(MonitoringCollector(open_session))
