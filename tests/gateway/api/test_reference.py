"""/openapi.json: every operation has examples and curl + Python SDK samples that hold.

Request examples load through the operation's own marshmallow schema; JSON
response examples validate against the response's JSON Schema; Python samples
compile and name SDK methods that exist.
"""

from __future__ import annotations

import ast
from typing import Any

import instalments
import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from gateway.api.operations import Operation


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/openapi.json").get_json()
    return document


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op) for path, item in spec["paths"].items() for method, op in item.items()
    ]


def _meta(app: Flask, operation_id: str) -> Operation:
    for endpoint, view in app.view_functions.items():
        if endpoint.replace(".", "_") == operation_id:
            meta: Operation = view.operation  # type: ignore[attr-defined]
            return meta
    raise AssertionError(operation_id)


def test_every_operation_has_examples_and_both_code_samples(spec: dict[str, Any]) -> None:
    operations = _operations(spec)
    assert len(operations) >= 36
    for method, path, op in operations:
        where = f"{method.upper()} {path}"
        samples = {s["label"]: s["source"] for s in op["x-codeSamples"]}
        assert set(samples) == {"curl", "Python SDK"}, where
        assert samples["curl"].startswith("curl -s"), where
        assert path.split("{")[0].rstrip("/") in samples["curl"], where
        ast.parse(samples["Python SDK"])
        if "requestBody" in op:
            assert "example" in op["requestBody"]["content"]["application/json"], where
        successes = [r for status, r in op["responses"].items() if status.startswith("2")]
        assert successes, where
        for response in successes:
            assert response["content"], where
            for content in response["content"].values():
                assert "example" in content, where


def test_request_examples_load_through_the_operations_own_schemas(
    app: Flask, spec: dict[str, Any]
) -> None:
    for _method, _path, op in _operations(spec):
        if "requestBody" not in op:
            continue
        meta = _meta(app, op["operationId"])
        assert meta.body is not None
        meta.body.load(op["requestBody"]["content"]["application/json"]["example"])


def test_response_examples_match_their_json_schemas(spec: dict[str, Any]) -> None:
    checked = 0
    for method, path, op in _operations(spec):
        for status, response in op["responses"].items():
            for content in (response.get("content") or {}).values():
                if "schema" not in content or "example" not in content:
                    continue
                schema = {**content["schema"], "components": spec["components"]}
                errors = list(Draft202012Validator(schema).iter_errors(content["example"]))
                assert not errors, (method, path, status, errors[0].message)
                checked += 1
    assert checked >= 25
    problem = spec["components"]["schemas"]["Problem"]
    assert not list(Draft202012Validator(problem).iter_errors(problem["example"]))


def test_python_samples_call_methods_the_sdk_has(spec: dict[str, Any]) -> None:
    client = instalments.Client(client_id="cid", client_secret="secret")
    called = 0
    for _method, _path, op in _operations(spec):
        source = next(s["source"] for s in op["x-codeSamples"] if s["label"] == "Python SDK")
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)):
                continue
            if isinstance(node.value.value, ast.Name) and node.value.value.id == "client":
                resource = getattr(client, node.value.attr)
                assert callable(getattr(resource, node.attr)), source
                called += 1
    assert called >= 22
    client.close()


def test_the_reference_escapes_html_and_renders_code_spans() -> None:
    from gateway.api.reference import inline, paragraphs, path_breaks

    assert inline("<b>`x`</b> and ``y<z>``") == (
        "&lt;b&gt;<code>x</code>&lt;/b&gt; and <code>y&lt;z&gt;</code>"
    )
    assert paragraphs("one\n  line\n\n<two>") == "<p>one line</p><p>&lt;two&gt;</p>"
    assert path_breaks("/v1/<a>") == "/<wbr>v1/<wbr>&lt;a&gt;"
