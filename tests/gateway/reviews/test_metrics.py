"""The queue's gauges are read from the database, so every process reports them, gunicorn too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from gateway.observability import Metrics
from gateway.reviews.metrics import ReviewQueueCollector
from tests.gateway.reviews.flow import referred


def test_the_queue_is_exported_in_multiprocess_mode_too(
    app: Flask, partner_api: Any, tmp_path: Path
) -> None:
    referred(partner_api("demo-mall"))
    metrics = Metrics(str(tmp_path))  # as under `gateway serve`: one directory for all workers
    metrics.add_collector(ReviewQueueCollector(lambda: app.extensions["gateway.db"]))
    with app.app_context():
        text = metrics.exposition().decode()
    assert 'gateway_review_cases_open{environment="sandbox",kind="referral"} 1.0' in text
