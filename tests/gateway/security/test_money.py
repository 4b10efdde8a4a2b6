"""Money in requests is a string with at most two decimals: anything looser is a 422 naming it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from marshmallow import ValidationError

from gateway.api.money import parse_money
from tests.gateway.prequal.test_views import APPROVE, grant, prequal_body
from tests.gateway.widget.conftest import create_session

LOOSE = [3999.0, 3999, "3.999E+3", "3999e0", " 3999.00", "3999.00 ", "3 999.00", "3999.001",
         "+3999.00", "-3999.00", "03999.00", "3999.", ".50", "0x10", "NaN", "Infinity", "",
         "3999,00", "３９９９", True, None, ["3999.00"]]  # fmt: skip


@pytest.mark.parametrize("value", LOOSE, ids=repr)
def test_loose_money_is_refused(value: Any) -> None:
    with pytest.raises(ValidationError):
        parse_money(value)


@pytest.mark.parametrize("value", ["3999.00", "3999.5", "3999", "0.01", "10000000.00"])
def test_money_strings_are_accepted(value: str) -> None:
    assert parse_money(value) == Decimal(value)


@pytest.mark.parametrize("value", [3999.0, "3.999E+3", " 3999.00"], ids=repr)
def test_prequalification_amount_is_422_naming_the_field(partner_api: Any, value: Any) -> None:
    api = partner_api("demo-mall")
    consent_id = grant(api, APPROVE)
    body = prequal_body(consent_id)
    body["scenario"]["amount"] = value
    response = api.post("/v1/prequalifications", json=body)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert "scenario.amount" in [e["field"] for e in response.json["errors"]]


def test_declared_income_is_money_too(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    consent_id = grant(api, APPROVE)
    customer = {"phone": APPROVE, "declared": {"monthly_income": 12000.5}}
    response = api.post("/v1/prequalifications", json=prequal_body(consent_id, customer=customer))
    assert response.status_code == 422
    assert "customer.declared.monthly_income" in [e["field"] for e in response.json["errors"]]


def test_checkout_session_amount_is_422_naming_the_field(partner_api: Any) -> None:
    response = create_session(partner_api("demo-mall"), amount="3.999E+3")
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["amount"]


def test_a_well_formed_amount_still_prequalifies(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    response = api.post("/v1/prequalifications", json=prequal_body(grant(api, APPROVE)))
    assert response.status_code == 201, response.get_data(as_text=True)
