"""``Presented`` results skip the response schema's dump; in tests they are held to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from marshmallow import Schema, fields

from gateway.api.fields import Timestamp
from gateway.api.operations import Presented, operation
from gateway.app import create_app
from gateway.config import Settings

WHEN = dt.datetime(2026, 11, 21, 8, 30, 15, 123456, tzinfo=dt.UTC)


class ThingSchema(Schema):
    id = fields.String()
    amount = fields.String()
    at = Timestamp()
    maybe = Timestamp(allow_none=True)


def _route(app: Flask, result: Callable[[], dict[str, Any]]) -> None:
    @operation(response=ThingSchema)
    def thing() -> dict[str, Any]:
        return result()

    app.add_url_rule("/test/thing", "thing", thing)


def test_a_presented_result_is_written_as_the_schema_would_write_it(app: Flask) -> None:
    _route(app, lambda: Presented(id="t1", amount="10.00", at=WHEN, maybe=None))
    response = app.test_client().get("/test/thing")
    assert response.status_code == 200
    expected = ThingSchema().dump({"id": "t1", "amount": "10.00", "at": WHEN, "maybe": None})
    assert response.get_json() == expected
    assert response.get_json()["at"] == "2026-11-21T08:30:15.123Z"  # as in webhooks


@pytest.mark.parametrize(
    "wrong",
    [
        {"id": "t1", "amount": "10.00", "at": WHEN, "maybe": None, "secret": "x"},  # undocumented
        {"id": "t1", "amount": 10, "at": WHEN, "maybe": None},  # a number, not a string
    ],
)
def test_in_tests_a_presenter_that_strays_from_its_schema_fails(
    app: Flask, wrong: dict[str, Any]
) -> None:
    _route(app, lambda: Presented(wrong))
    response = app.test_client().get("/test/thing")
    assert response.status_code == 500


def test_outside_tests_the_presented_result_is_not_dumped_again(settings: Settings) -> None:
    app = create_app(settings.replace(env="development"))
    _route(app, lambda: Presented(id="t1", amount="10.00", at=WHEN, maybe=None, extra="kept"))
    response = app.test_client().get("/test/thing")
    assert response.status_code == 200
    assert response.get_json()["extra"] == "kept"  # written as given: no second dump
