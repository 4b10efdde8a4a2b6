"""The compiled body loader: what marshmallow loads, or marshmallow decides."""

from __future__ import annotations

import copy
from decimal import Decimal
from ipaddress import IPv4Address
from typing import Any

import pytest
from flask import Flask
from marshmallow import Schema, ValidationError, fields, post_load, validates

from gateway.api import fast_load as fast
from gateway.api.parsing import FastLoadDiffers
from gateway.prequal.schemas import PrequalificationCreateSchema

BODY: dict[str, Any] = {
    "consent_id": "cns_ABCDEFGHIJKLMNOPQRSTUVWX",
    "customer": {
        "phone": "+8613912345678",
        "declared": {"monthly_income": "12000.00", "employment_type": "salaried", "age": 30},
    },
    "scenario": {
        "type": "ecommerce",
        "amount": "3999.00",
        "currency": "CNY",
        "item_category": "electronics",
    },
    "requested_tenors": [3, 6, 12],
    "device": {"fingerprint": "abcdefgh-1234", "ip": "203.0.113.7"},
}
SCHEMA = PrequalificationCreateSchema()


def changed(path: str, value: Any) -> dict[str, Any]:
    body = copy.deepcopy(BODY)
    *parents, last = path.split(".")
    target = body
    for key in parents:
        target = target[key]
    target[last] = value
    return body


def test_a_valid_body_loads_as_marshmallow_loads_it() -> None:
    loaded = fast.fast_load(SCHEMA, BODY)
    assert loaded == SCHEMA.load(BODY)
    assert loaded is not None
    assert loaded["scenario"]["amount"] == Decimal("3999.00")
    assert loaded["device"]["ip"] == IPv4Address("203.0.113.7")
    assert loaded["product_code"] is None  # load_default, as marshmallow fills it
    assert list(loaded) == list(SCHEMA.load(BODY))  # same keys, same order


@pytest.mark.parametrize(
    "body",
    [
        changed("surprise", 1),  # unknown key
        changed("customer.declared.surprise", 1),  # unknown key, nested
        {k: v for k, v in BODY.items() if k != "consent_id"},  # required field missing
        changed("scenario.amount", "-1"),  # a field validator refuses
        changed("scenario.departure_date", "2026-12-01"),  # @validates_schema refuses
        changed("customer", "not an object"),
        changed("customer.phone", None),  # neither phone nor customer_ref
    ],
)
def test_anything_marshmallow_refuses_is_left_to_marshmallow(body: dict[str, Any]) -> None:
    assert fast.fast_load(SCHEMA, body) is None
    with pytest.raises(ValidationError):
        SCHEMA.load(body)


def test_values_marshmallow_converts_are_converted_the_same() -> None:
    body = changed("customer.declared.age", "30")  # a numeric string for an Integer
    assert fast.fast_load(SCHEMA, body) == SCHEMA.load(body)


class WithPostLoad(Schema):
    name = fields.String()

    @post_load
    def _wrap(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {"wrapped": data}


class WithFieldHook(Schema):
    name = fields.String()

    @validates("name")
    def _check(self, value: str, **_: Any) -> None:
        if not value:
            raise ValidationError("empty")


class Renamed(Schema):
    name = fields.String(data_key="fullName")


@pytest.mark.parametrize("schema", [WithPostLoad(), WithFieldHook(), Renamed(), Renamed(many=True)])
def test_schemas_using_more_of_marshmallow_are_not_compiled(schema: Schema) -> None:
    assert fast.compile_schema(schema) is None
    assert fast.fast_load(schema, {"name": "x"}) is None


def test_in_test_mode_a_fast_result_that_differs_fails_the_request(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gateway.api import parsing

    monkeypatch.setattr(parsing, "fast_load", lambda schema, data: {"not": "the same"})
    with (
        app.test_request_context("/v1/prequalifications", method="POST", json=BODY),
        pytest.raises(FastLoadDiffers),
    ):
        parsing.load_body(SCHEMA)
