"""A deeply nested body (``[``×20000 … ``]``×20000, 40 KB, under the body cap) is a 4xx
problem on every JSON route, never a 500 nor a traceback in the log."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from flask import Flask

from gateway.api.parsing import MAX_JSON_DEPTH, json_depth

DEEP = b"[" * 20000 + b"]" * 20000
DEEP_OBJECT = b'{"a":' * 5000 + b"1" + b"}" * 5000


def _post_routes(app: Flask) -> dict[str, bool]:
    """Every POST route, and whether it reads a JSON body."""
    paths = {}
    for rule in app.url_map.iter_rules():
        if "POST" in (rule.methods or set()):
            meta = getattr(app.view_functions[rule.endpoint], "operation", None)
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"x_\1", rule.rule)
            paths[path] = meta is not None and meta.body is not None
    return paths


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["arrays", "objects"])
def test_deeply_nested_json_is_a_4xx_on_every_route(
    app: Flask, partner_api: Any, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    partner = partner_api()
    routes = _post_routes(app)
    assert "/v1/prequalifications" in routes and "/v1/consents" in routes
    caplog.set_level(logging.INFO)
    for path, reads_json in routes.items():
        response = partner.client.post(
            path, data=body, content_type="application/json", headers=partner.headers()
        )
        assert response.status_code < 500, (path, response.status_code)
        if reads_json:
            assert 400 <= response.status_code < 500, (path, response.status_code)
    assert "Traceback" not in caplog.text
    assert "RecursionError" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_the_json_routes_name_the_problem(partner_api: Any) -> None:
    partner = partner_api()
    response = partner.client.post(
        "/v1/prequalifications",
        data=DEEP,
        content_type="application/json",
        headers=partner.headers(),
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "malformed_json"


def test_nesting_up_to_the_limit_still_parses(partner_api: Any) -> None:
    partner = partner_api()
    nested: Any = "x"
    for _ in range(MAX_JSON_DEPTH - 1):
        nested = [nested]
    response = partner.post("/v1/consents", json={"grants": nested})
    assert response.status_code == 422  # a schema problem, not a parse one
    assert json_depth({"grants": nested}) == MAX_JSON_DEPTH
