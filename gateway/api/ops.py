"""Operations and reference endpoints: health, readiness, OpenAPI, docs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template

from gateway.api import reference
from gateway.api.openapi import build_spec
from gateway.api.problems import problem_response

bp = Blueprint(
    "ops",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/docs/static",
)

ReadinessCheck = Callable[[], None]


def add_readiness_check(app: Any, name: str, check: ReadinessCheck) -> None:
    """Register a check ``/readyz`` runs; it raises when the app is not ready."""
    app.extensions.setdefault("gateway.readiness", {})[name] = check


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Response:
    """The database (and every other dependency) is reachable."""
    checks: dict[str, ReadinessCheck] = current_app.extensions.get("gateway.readiness", {})
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:
            results[name] = f"failing: {type(exc).__name__}"
        else:
            results[name] = "ok"
    failing = sorted(name for name, value in results.items() if value != "ok")
    if failing:
        return problem_response(
            503,
            "service_unavailable",
            "not ready: " + ", ".join(failing),
            extra={"checks": results},
            headers={"Retry-After": "5"},
        )
    return jsonify(status="ready", checks=results)


def _spec() -> dict[str, Any]:
    cached: dict[str, Any] | None = current_app.extensions.get("gateway.openapi")
    if cached is None:
        cached = build_spec(current_app)
        current_app.extensions["gateway.openapi"] = cached
    return cached


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """The OpenAPI 3.1 document of this API."""
    return jsonify(_spec())


@bp.get("/docs")
def docs() -> Response:
    """A readable API reference, rendered on the server (no external assets)."""
    spec = _spec()
    html = render_template(
        "docs.html",
        spec=spec,
        groups=reference.operations_by_tag(spec),
        schemas=spec.get("components", {}).get("schemas", {}),
        inline=reference.inline,
        paragraphs=reference.paragraphs,
        pretty=reference.pretty,
        wbr=reference.path_breaks,
        label=reference.schema_label,
    )
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = reference.CSP
    return response
