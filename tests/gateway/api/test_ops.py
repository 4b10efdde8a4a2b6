"""Health, readiness, metrics, OpenAPI and the offline reference page."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient


def test_healthz_is_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_reports_database_ok(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"]["database"] == "ok"


def test_readyz_is_503_problem_when_a_check_fails(app: Flask, client: FlaskClient) -> None:
    def broken() -> None:
        raise ConnectionError("down")

    app.extensions["gateway.readiness"]["database"] = broken
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "5"
    assert response.get_json()["checks"]["database"].startswith("failing")


def test_metrics_count_requests_by_route_and_status(client: FlaskClient) -> None:
    client.get("/healthz")
    client.get("/no-such-route")
    text = client.get("/metrics").get_data(as_text=True)
    assert re.search(
        r'gateway_http_requests_total\{method="GET",route="/healthz",status="200"\} [1-9]', text
    )
    assert 'route="<unmatched>",status="404"' in text
    assert "gateway_http_request_duration_seconds_bucket" in text


def test_metrics_is_prometheus_text(client: FlaskClient) -> None:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"


def test_openapi_is_a_valid_openapi_3_document(client: FlaskClient) -> None:
    from openapi_spec_validator import validate

    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    validate(spec)
    assert "Problem" in spec["components"]["schemas"]


def test_docs_page_renders_without_external_assets(client: FlaskClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>" in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "no CDN or external asset"


def test_every_response_carries_security_headers(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
