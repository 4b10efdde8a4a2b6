"""Request and response examples generated from the OpenAPI schemas.

Every JSON body in ``/openapi.json`` gets an ``example`` built by walking its
schema: a field's own ``example`` (``metadata={"example": ...}`` on the
marshmallow field) wins, then its ``default`` or first ``enum`` value, then a
value chosen from the field's name and format (``*_at`` is an RFC 3339 time,
``*_id`` an id with its resource's prefix, money a two-place decimal string),
so the examples follow the schemas as they change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

TIME = "2026-11-21T06:00:00.000Z"
DATE = "2026-11-21"
_SUFFIX = "4bS7x9Q2mZ8rT1vK5nW3yL6p"

#: Id prefixes by the field (``application_id``) or schema (``Application``) they name.
PREFIXES = {
    "application": "app",
    "prequalification": "pq",
    "offer": "off",
    "consent": "cns",
    "credit_inquiry_consent": "cns",
    "event": "evt",
    "webhookevent": "evt",
    "checkoutsession": "cs",
    "session": "cs",
    "refunditem": "rf",
    "refund": "rf",
    "receipt": "rcpt",
    "resource": "app",
}

_STRINGS: dict[str, str] = {
    "currency": "CNY",
    "phone": "+8613800000001",
    "id_number": "110101199003070013",
    "locale": "zh-CN",
    "purpose": "prequalification",
    "url": "https://shop.example/webhooks/instalments",
    "allowed_origin": "https://shop.example",
    "page_url": "https://shop.example/checkout",
    "ip": "203.0.113.7",
    "merchant_order_ref": "order-1001",
    "refund_id": "refund-1001",
    "reason": "customer returned the goods",
    "product_code": "mall_instalments",
    "repayment_method": "equal_instalment",
    "scenario": "ecommerce",
    "decision_token": "eyJhbGciOiJFUzI1NiIsImtpZCI6ImtleV8xIiwidHlwIjoiZGVjaXNpb24rand0In0.eyJ…",
    "client_token": "ct_" + _SUFFIX,
    "notice_version": "2026-11-01",
    "version": "2026-11-01",
    "hash": "sha256:9f2c…",
    "code": "income_insufficient",
    "message": "Declared income does not cover the monthly payment.",
    "partner_id": "demo-mall",
    "environment": "sandbox",
    "apr": "0.1290",
    "apr_from": "0.0790",
    "schedule_hash": "sha256:5e1a…",
    "customer_ref": "cref_" + _SUFFIX,
    "notice_hash": "sha256:9f2c…",
    "token": "eyJhbGciOiJFUzI1NiIsImtpZCI6ImtleV8xIn0.eyJ…",
    "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)",
    "item_category": "electronics",
    "last_error": "HTTP 503",
    "error": "HTTP 503",
}

#: Fields whose usual value is null (an open offer has no void reason).
_NULLS = frozenset(
    {
        "void_reason",
        "last_error",
        "error",
        "revoked_at",
        "human_review_requested_at",
        # Deprecated: only offers issued before decision tokens carry one.
        "offer_token",
    }
)

#: A field left out of an example when its alternative is there (give exactly one).
_ALTERNATIVES = {"customer_ref": "phone", "offer_token": "decision_token"}

_MONEY_VALUES = {
    "monthly_payment": "356.72",
    "monthly_payment_from": "172.36",
    "payment": "356.72",
    "total_interest": "281.64",
    "interest": "43.00",
    "total_fees": "0.00",
    "fee": "0.00",
    "total_cost": "281.64",
    "total_repayable": "4280.64",
    "merchant_subsidy": "79.98",
    "upfront_payment": "0.00",
    "refunded_amount": "999.00",
    "balance_after": "3685.28",
    "outstanding_before": "3999.00",
    "outstanding_after": "3000.00",
    "net": "2920.02",
    "min_amount": "500.00",
    "monthly_income": "15000.00",
    "max_amount": "50000.00",
}

#: Whole examples for schemas a field-by-field walk would get wrong.
OVERRIDES: dict[str, Any] = {
    "PrequalCustomer": {  # phone or customer_ref, not both
        "phone": "+8613800000001",
        "declared": {"monthly_income": "15000.00", "employment_type": "salaried", "age": 32},
    },
    "Scenario": {
        "type": "ecommerce",
        "amount": "3999.00",
        "currency": "CNY",
        "merchant_order_ref": "order-1001",
        "item_category": "electronics",
    },
}

_INTEGERS = {
    "tenor_months": 12,
    "limit": 20,
    "sequence": 1,
    "number": 1,
    "status_code": 204,
    "duration_ms": 12,
    "applications": 1,
    "status": 200,
    "age": 32,
}

_MONEY = re.compile(r"amount|payment|principal|interest|fees|cost|repayable|subsidy|net$|fee$")


def _resolve(schema: Mapping[str, Any], components: Mapping[str, Any]) -> tuple[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        return name, components.get(name, {})
    for combined in ("allOf", "anyOf", "oneOf"):
        options = [o for o in schema.get(combined) or [] if o.get("type") != "null"]
        if options:
            return _resolve(options[0], components)
    return "", schema


def _string(name: str, schema: Mapping[str, Any], owner: str) -> str:
    fmt = schema.get("format")
    description = str(schema.get("description") or "")
    if fmt == "date-time" or name.endswith("_at") or name in ("created[gte]", "created[lt]"):
        return TIME
    if fmt == "date" or name == "date" or name.endswith("_date"):
        return DATE
    if name == "url" and owner.endswith("List"):
        return _list_path(owner[: -len("List")])
    if name in _STRINGS:
        return _STRINGS[name]
    if name == "id" or name.endswith("_id"):
        stem = (owner if name == "id" else name[:-3]).lower()
        return f"{PREFIXES.get(stem, stem[:3] or 'obj')}_{_SUFFIX}"
    if _MONEY.search(name) or "two places" in description:
        return _MONEY_VALUES.get(name, "3999.00")
    if name in ("status", "type", "outcome") and "|" in description:
        return description.split("|")[0].strip()
    if name == "type":
        return "ecommerce" if owner == "Scenario" else "application.funded"
    return name.replace("_", " ") if name else "string"


def _list_path(item: str) -> str:
    if item == "RefundItem":
        return f"/v1/applications/app_{_SUFFIX}/refunds"
    kebab = re.sub(r"(?<!^)([A-Z])", r"-\1", item).lower()
    return f"/v1/{kebab}s"


def example(
    schema: Mapping[str, Any],
    components: Mapping[str, Any],
    *,
    name: str = "",
    owner: str = "",
    depth: int = 0,
) -> Any:
    """An example value of ``schema`` (``components`` resolves ``$ref``)."""
    if name in _NULLS:
        return None
    ref_name, schema = _resolve(schema, components)
    owner = ref_name or owner
    if ref_name in OVERRIDES:
        return OVERRIDES[ref_name]
    if "example" in schema:
        return schema["example"]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "object" or "properties" in schema:
        if depth > 6:
            return {}
        properties = schema.get("properties") or {}
        return {
            field: example(prop, components, name=field, owner=owner, depth=depth + 1)
            for field, prop in (schema.get("properties") or {}).items()
            if field not in _ALTERNATIVES or _ALTERNATIVES[field] not in properties
        }
    if kind == "array":
        items = schema.get("items") or {}
        return [example(items, components, name=name.rstrip("s"), owner=owner, depth=depth + 1)]
    if kind == "integer":
        return _INTEGERS.get(name, 12 if "tenor" in name else 1)
    if kind == "number":
        money = _MONEY.search(name) or "two places" in str(schema.get("description") or "")
        return _string(name, schema, owner) if money else 1.5
    if kind == "boolean":
        return name not in ("has_more", "duplicate")
    return _string(name, schema, owner)


def add_examples(spec: dict[str, Any]) -> None:
    """Put an ``example`` on every JSON request and response body of ``spec`` (in place)."""
    components = spec.get("components", {}).get("schemas", {})
    for item in spec.get("paths", {}).values():
        for op in item.values():
            bodies = [op.get("requestBody", {}), *op.get("responses", {}).values()]
            for body in bodies:
                for media, content in (body.get("content") or {}).items():
                    if "schema" in content and "example" not in content:
                        if media == "application/problem+json":
                            continue  # one Problem example, in the components
                        content["example"] = example(content["schema"], components)
    if "Problem" in components:
        components["Problem"]["example"] = {
            "type": "/docs#problem-validation_failed",
            "title": "Unprocessable Content",
            "status": 422,
            "detail": "invalid field(s): customer.phone, scenario.amount",
            "code": "validation_failed",
            "request_id": "req_8f14e45fceea167a5a36dedd4bea2543",
            "field": "customer.phone",
            "errors": [
                {"field": "customer.phone", "message": "must be an E.164 number"},
                {"field": "scenario.amount", "message": "must be at least 500.00"},
            ],
        }


#: Success bodies of operations without a response schema (OAuth, JWKS, widget assets).
STATIC_RESPONSES: dict[str, tuple[str, Any]] = {
    "oauth_token": (
        "application/json",
        {
            "access_token": "eyJhbGciOiJFUzI1NiIsImtpZCI6ImtleV8xIn0.eyJ…",
            "token_type": "Bearer",
            "expires_in": 900,
            "scope": "offers:read consents:write prequalify applications:write events:write",
        },
    ),
    "oauth_introspect": (
        "application/json",
        {"active": True, "client_id": "cli_" + _SUFFIX, "scope": "prequalify", "exp": 1795000000},
    ),
    "oauth_revoke": ("application/json", {}),
    "oauth_metadata_metadata": (
        "application/json",
        {
            "issuer": "https://gateway.example",
            "token_endpoint": "https://gateway.example/oauth/token",
            "jwks_uri": "https://gateway.example/.well-known/jwks.json",
            "grant_types_supported": ["client_credentials"],
        },
    ),
    "keys_jwks": (
        "application/json",
        {"keys": [{"kty": "EC", "crv": "P-256", "kid": "key_1", "x": "…", "y": "…"}]},
    ),
    "widget_widget_script": ("text/javascript", "/* the widget: mounts with Instalments.mount */"),
    "widget_widget_stylesheet": ("text/css", ".inst-widget { … }"),
    "widget_messaging_script": (
        "text/javascript",
        "/* on-site messaging: draws [data-instalments-message] elements */",
    ),
}


def add_static_examples(spec: dict[str, Any]) -> None:
    """Examples for the success responses that have no schema (in place)."""
    for item in spec.get("paths", {}).values():
        for op in item.values():
            known = STATIC_RESPONSES.get(op.get("operationId", ""))
            if known is None:
                continue
            media, value = known
            for status, response in op.get("responses", {}).items():
                if status.startswith("2") and not response.get("content"):
                    response["content"] = {media: {"example": value}}


def parameter_example(name: str, schema: Mapping[str, Any], components: Mapping[str, Any]) -> Any:
    """An example of one path or query parameter."""
    return example(schema, components, name=name)
