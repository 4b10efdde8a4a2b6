"""Shared steps of the risk tests: customers the model approves, prequalifications per partner."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from gateway.identity import customer_ref, id_check_character, id_number_hash
from gateway.profiles.services import store_profiles
from gateway.risk.config import Exposure, RiskRules, Rule
from gateway.risk.extension import controls
from tests.gateway.prequal.test_views import grant

SCENARIOS = {
    "demo-mall": {"type": "ecommerce", "item_category": "electronics"},
    "demo-travel": {"type": "travel", "destination": "Sanya"},
    "demo-academy": {"type": "education", "institution": "Demo Academy"},
}


def id_number(serial: int) -> str:
    """A valid resident ID number (synthetic)."""
    first17 = f"11010519800101{serial:03d}"
    return first17 + id_check_character(first17)


def phone(serial: int) -> str:
    """A sandbox phone that is no persona."""
    return f"+86139{serial:08d}"


def good_customer(
    app: Flask, db: Session, serial: int, *, bank_id_number: str | None = None
) -> str:
    """A strong bank profile for ``phone(serial)`` (the model approves it); returns the phone."""
    pepper = app.extensions["gateway.settings"].identifier_pepper
    number = phone(serial)
    store_profiles(
        db,
        [
            {
                "customer_ref": customer_ref(pepper, number),
                "id_number_hash": id_number_hash(pepper, bank_id_number)
                if bank_id_number
                else None,
                "age": 36,
                "employment_type": "salaried",
                "employment_years": 9.0,
                "verified_monthly_income": Decimal("40000.00"),
                "months_with_bank": 96,
                "avg_balance": Decimal("80000.00"),
                "app_logins_30d": 25,
                "past_loans": 3,
                "on_time_ratio": 1.0,
                "delinquencies_12m": 0,
                "utilisation": 0.05,
                "inquiries_6m": 0,
                "oldest_account_months": 150,
                "fraud_flag": False,
                "blacklist_flag": False,
                "current_delinquency": False,
                "monthly_debt_service": Decimal("0.00"),
            }
        ],
        "import",
    )
    db.commit()
    return number


def use_rules(app: Flask, *rules: Rule, cap: str = "200000.00") -> RiskRules:
    """Make the app run these rules (instead of partner_configs/risk_rules.yaml)."""
    chosen = RiskRules(exposure=Exposure(cap_per_customer=Decimal(cap)), rules=list(rules))
    controls(app).use(chosen)
    return chosen


def rule(name: str, mode: str, action: str = "refer", threshold: int = 2, hours: int = 1) -> Rule:
    window = None if name == "id_number_mismatch" else dt.timedelta(hours=hours)
    return Rule(
        rule=name,  # type: ignore[arg-type]
        window=window,
        threshold=threshold if window else 0,
        action=action,  # type: ignore[arg-type]
        mode=mode,  # type: ignore[arg-type]
    )


def prequalify(
    api: Any,
    number: str,
    amount: str = "3999.00",
    *,
    id_number: str | None = None,
    device: dict[str, str] | None = None,
) -> Any:
    """Consent and prequalify ``number`` at ``api``'s partner, in its own scenario."""
    consent_id = grant(api, number)
    customer: dict[str, Any] = {"phone": number}
    if id_number:
        customer["id_number"] = id_number
    body: dict[str, Any] = {
        "consent_id": consent_id,
        "customer": customer,
        "scenario": {
            **SCENARIOS[api.partner_id],
            "amount": amount,
            "currency": "CNY",
            "merchant_order_ref": "order-1",
        },
    }
    if device:
        body["device"] = device
    return api.post("/v1/prequalifications", json=body)


def hits_counted(app: Flask, rule_name: str, mode: str) -> float:
    registry = app.extensions["gateway.metrics"].registry
    return (
        registry.get_sample_value("gateway_risk_rule_hits_total", {"rule": rule_name, "mode": mode})
        or 0.0
    )
