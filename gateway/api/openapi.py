"""The OpenAPI 3.1 document, generated from the routes' marshmallow schemas."""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema, fields

from gateway.api.examples import add_examples, add_static_examples
from gateway.api.operations import Operation
from gateway.api.snippets import add_code_samples

_PATH_ARG = re.compile(r"<(?:[a-z_]+:)?([a-zA-Z_][a-zA-Z0-9_]*)>")

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail", "code", "request_id"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "Machine-readable problem code."},
        "request_id": {"type": ["string", "null"]},
        "field": {"type": "string", "description": "The first offending field, when one is."},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "additionalProperties": True,
}

_STANDARD_ERRORS = {
    400: "Malformed request (for example invalid JSON).",
    401: "Missing or invalid access token.",
    403: "The token lacks the scope, or consent is missing.",
    404: "No such resource for this partner and environment.",
    409: "Conflicting state or idempotency key.",
    413: "Body larger than the limit.",
    415: "Body is not application/json.",
    422: "Invalid fields; `errors` names each one.",
    429: "Rate limit exceeded; see Retry-After.",
    503: "Temporarily unavailable; see Retry-After.",
}


def _schema_name(schema: type[Schema] | Schema) -> str:
    name = (schema if isinstance(schema, type) else type(schema)).__name__
    return name[:-6] if name.endswith("Schema") and len(name) > 6 else name


def _decimal_strings(self: Any, field: Any, **kwargs: Any) -> dict[str, Any]:
    """Money written as a decimal string is a JSON string, not a number (apispec says number)."""
    if isinstance(field, fields.Decimal) and field.as_string:
        return {"type": ["string", "null"] if field.allow_none else "string"}
    return {}


def build_spec(app: Flask) -> dict[str, Any]:
    """Walk the URL map and describe every route decorated with ``@operation``."""
    plugin = MarshmallowPlugin(schema_name_resolver=_schema_name)
    spec = APISpec(
        title="Instalments partner gateway",
        version="1.0.0",
        openapi_version="3.1.0",
        plugins=[plugin],
        info={
            "description": (
                "Pre-approved instalment offers inside partner checkouts. Errors are RFC 9457 "
                "problem details; every POST accepts an `Idempotency-Key`."
            )
        },
    )
    assert plugin.converter is not None
    plugin.converter.add_attribute_function(_decimal_strings)  # type: ignore[no-untyped-call]
    spec.components.schema("Problem", PROBLEM_SCHEMA)
    scopes = sorted(
        {
            op.scope
            for view in app.view_functions.values()
            if (op := getattr(view, "operation", None)) is not None and op.scope
        }
    )
    spec.components.security_scheme(
        "oauth2",
        {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/oauth/token",
                    "scopes": {scope: f"the `{scope}` scope" for scope in scopes},
                }
            },
        },
    )
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        meta: Operation | None = getattr(view, "operation", None)
        if meta is None:
            continue
        path = _PATH_ARG.sub(r"{\1}", rule.rule)
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        operations = {m.lower(): _describe(meta, rule.arguments, m, rule.endpoint) for m in methods}
        spec.path(path=path, operations=operations)
    document = spec.to_dict()
    add_examples(document)
    add_static_examples(document)
    add_code_samples(document)
    return document


def _describe(meta: Operation, path_args: Any, method: str, endpoint: str) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": endpoint.replace(".", "_"),
        "summary": meta.summary,
        "tags": list(meta.tags),
        "parameters": [
            {"in": "path", "name": name, "required": True, "schema": {"type": "string"}}
            for name in sorted(path_args)
        ],
    }
    if meta.description:
        op["description"] = meta.description
    if meta.query is not None:
        op["parameters"].append({"in": "query", "schema": meta.query})
    idempotent = meta.idempotent and method == "POST"
    if idempotent:
        op["parameters"].append(
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": False,
                "schema": {"type": "string", "maxLength": 255},
                "description": "Replays the first response for the same key and body.",
            }
        )
    if meta.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": meta.body}},
        }
    success: dict[str, Any] = {"description": "Success."}
    if meta.response is not None:
        success["content"] = {"application/json": {"schema": meta.response}}
    responses: dict[str | int, Any] = {str(meta.status): success}
    errors = set(meta.errors) | {429, 503}
    if meta.scope:
        errors |= {401, 403}
        op["security"] = [{"oauth2": [meta.scope]}]
    if path_args:
        errors.add(404)
    if meta.body is not None:
        errors |= {400, 413, 415, 422}
    if meta.query is not None:
        errors.add(422)
    if idempotent:  # a malformed key is 422, a reused or in-flight one 409
        errors |= {409, 422}
    for status in sorted(errors):
        responses[str(status)] = {
            "description": _STANDARD_ERRORS.get(status, "Error."),
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
    for status, description in meta.extra_responses.items():
        responses.setdefault(str(status), {"description": description})
    op["responses"] = responses
    return op
