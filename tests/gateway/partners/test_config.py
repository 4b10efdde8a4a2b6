"""The partner config schema: unknown fields and rule-breaking products are refused."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from gateway.partners.config import PartnerConfig
from tests.gateway.partners.samples import demo_config, environment


def _errors(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        PartnerConfig.model_validate(data)
    return {".".join(map(str, err["loc"])): err["msg"] for err in caught.value.errors()}


@pytest.mark.parametrize("partner_id", ["demo-mall", "demo-travel", "demo-academy"])
def test_demo_partners_are_valid(partner_id: str) -> None:
    config = PartnerConfig.model_validate(demo_config(partner_id))
    assert config.id == partner_id
    for product in config.products:
        assert max(product.apr_by_grade.values()) <= product.apr_cap


def test_demo_scenarios_cover_all_three() -> None:
    scenarios = {
        PartnerConfig.model_validate(demo_config(p)).scenario
        for p in ("demo-mall", "demo-travel", "demo-academy")
    }
    assert scenarios == {"ecommerce", "travel", "education"}


def test_products_parse_into_decimals_as_the_pricing_engine_expects() -> None:
    product = PartnerConfig.model_validate(demo_config()).products[0]
    assert str(product.min_amount) == "500.00"
    assert str(product.apr_by_grade["A"]) == "0.0790"
    assert product.tenors == [3, 6, 12, 24]
    assert product.merchant_subsidy is not None
    assert str(product.merchant_subsidy.merchant_rate) == "0.0350"
    assert product.name.zh_cn == "购物分期"


def test_unknown_field_is_rejected() -> None:
    data = demo_config()
    data["products"][0]["teaser_rate"] = "0.01"
    assert "products.0.teaser_rate" in _errors(data)


def test_unknown_top_level_field_is_rejected() -> None:
    data = demo_config()
    data["colour"] = "blue"
    assert "colour" in _errors(data)


def test_tenor_outside_the_product_rules_is_rejected() -> None:
    data = demo_config()
    data["products"][0]["tenors"] = [3, 5, 48]
    errors = _errors(data)
    assert "not allowed" in errors["products.0.tenors"]


def test_apr_above_the_cap_is_rejected() -> None:
    data = demo_config()
    data["products"][0]["apr_by_grade"]["E"] = "0.2500"
    errors = _errors(data)
    assert any("above apr_cap" in msg for msg in errors.values())


def test_apr_cap_above_the_global_cap_is_rejected() -> None:
    data = demo_config()
    data["products"][0]["apr_cap"] = "0.3000"
    assert "global cap" in _errors(data)["products.0.apr_cap"]


def test_fee_based_needs_monthly_fee_rates() -> None:
    data = demo_config()
    del data["products"][0]["monthly_fee_rate_by_grade"]
    assert any("monthly_fee_rate_by_grade" in msg for msg in _errors(data).values())


def test_every_risk_grade_needs_a_rate() -> None:
    data = demo_config()
    del data["products"][0]["apr_by_grade"]["C"]
    assert "products.0.apr_by_grade" in _errors(data)


def test_subsidised_tenors_must_be_product_tenors() -> None:
    data = demo_config()
    data["products"][0]["merchant_subsidy"]["tenors"] = [9]
    assert any("merchant_subsidy" in msg for msg in _errors(data).values())


def test_duplicate_product_codes_are_rejected() -> None:
    data = demo_config()
    data["products"].append(dict(data["products"][0]))
    assert any("unique" in msg for msg in _errors(data).values())


def test_private_key_jwt_needs_a_public_jwks() -> None:
    data = demo_config()
    data["environments"]["sandbox"] = environment("private_key_jwt")
    assert any("jwks is required" in msg for msg in _errors(data).values())


def test_a_private_key_in_the_jwks_is_refused() -> None:
    data = demo_config()
    key = {"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "secret"}
    data["environments"]["sandbox"] = environment("private_key_jwt", jwks={"keys": [key]})
    assert any("private key" in msg for msg in _errors(data).values())


def test_unknown_scope_is_rejected() -> None:
    data = demo_config()
    data["environments"]["sandbox"]["scopes"] = ["offers:read", "admin"]
    assert "environments.sandbox.scopes.1" in _errors(data)


def test_origins_must_be_bare_origins() -> None:
    data = demo_config()
    data["environments"]["sandbox"]["allowed_origins"] = ["https://shop.example/checkout"]
    assert "environments.sandbox.allowed_origins" in _errors(data)


def test_bad_ids_are_rejected() -> None:
    data = demo_config()
    data["id"] = "Demo Mall!"
    assert "id" in _errors(data)
