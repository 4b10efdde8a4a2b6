"""``gateway model shadow`` and ``gateway model monitor``: JSON, HTML, recorded gauges."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from gateway.scoring.artefact import bundled_version
from tests.gateway.monitoring.population import decide_all, shifted


def test_monitor_prints_json_writes_html_and_records_the_gauges(
    app: Flask, client: FlaskClient, db_session: Session, demo_partners: list[str], tmp_path: Path
) -> None:
    runner = app.test_cli_runner()
    assert "gateway_model_psi" not in client.get("/metrics").get_data(as_text=True)
    shadow = runner.invoke(args=["model", "shadow", bundled_version(), "--json"])
    assert shadow.exit_code == 0, shadow.output
    at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    decide_all(app, db_session, shifted(60, 3), prefix="cli", at=at)

    result = runner.invoke(args=["model", "monitor", "--since", "1d", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["stability"]["overall"]["decisions"] == 60
    assert report["shadow"]["decisions"] == 60
    assert {c["name"] for c in report["stability"]["overall"]["characteristics"]} >= {
        "verified_monthly_income",
        "utilisation",
    }
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "gateway_model_psi{" in metrics
    assert 'gateway_approval_rate{partner="demo-mall"}' in metrics

    page = tmp_path / "monitor.html"
    written = runner.invoke(args=["model", "monitor", "--since", "1d", "--html", str(page)])
    assert written.exit_code == 0, written.output
    text = page.read_text()
    assert "<svg" in text and "<script" not in text
    assert not any(fetch in text for fetch in ("src=", "href=", "url(", "@import"))

    summary = runner.invoke(args=["model", "monitor", "--since", "1d", "--partner", "demo-mall"])
    assert "score PSI" in summary.output and "shadow" in summary.output
    assert runner.invoke(args=["model", "shadow", "--clear"]).exit_code == 0
    assert runner.invoke(args=["model", "shadow"]).exit_code == 2
    assert runner.invoke(args=["model", "shadow", "no-such-model"]).exit_code == 2
