"""Response bodies shaped exactly as ``docs/resources.md`` shows them."""

from __future__ import annotations

from typing import Any

T = "2026-11-21T06:00:00.000Z"

PRODUCT: dict[str, Any] = {
    "code": "mall_instalments",
    "name": {"zh-CN": "购物分期", "en": "Shopping instalments"},
    "currency": "CNY",
    "min_amount": "500.00",
    "max_amount": "50000.00",
    "tenors": [3, 6, 12, 24],
    "repayment_methods": ["equal_instalment", "fee_based"],
    "teaser": {"monthly_payment_from": "172.36", "tenor_months": 24, "apr_from": "0.0790"},
}

NOTICE: dict[str, Any] = {
    "purpose": "prequalification",
    "version": "2026-11-01",
    "locale": "zh-CN",
    "hash": "sha256:abc",
    "title": "预审授权",
    "text": "…",
    "controller": {"name": "Bank", "contact": "privacy@bank.example"},
    "partner": {"id": "demo-mall", "name": "Demo Mall"},
    "data_categories": ["phone"],
    "retention": "1 year",
    "recipients": ["Bank"],
    "withdrawal": "any time",
    "required": True,
}

CONSENT: dict[str, Any] = {
    "id": "cns_1",
    "purpose": "prequalification",
    "status": "active",
    "customer_ref": "cus_1",
    "notice_version": "2026-11-01",
    "notice_hash": "sha256:abc",
    "granted_at": T,
    "expires_at": T,
    "revoked_at": None,
    "receipt_id": "rcp_1",
}

CONSENTS_CREATED: dict[str, Any] = {
    "consents": [CONSENT],
    "receipt": {"id": "rcp_1", "token": "a.b.c"},
}

OFFER: dict[str, Any] = {
    "id": "off_1",
    "prequalification_id": "pq_1",
    "status": "open",
    "product_code": "mall_instalments",
    "currency": "CNY",
    "principal": "3999.00",
    "tenor_months": 12,
    "repayment_method": "equal_instalment",
    "apr": "0.1290",
    "monthly_payment": "356.72",
    "total_interest": "281.64",
    "total_fees": "0.00",
    "total_cost": "281.64",
    "total_repayable": "4280.64",
    "merchant_subsidy": None,
    "schedule": [
        {
            "number": 1,
            "due_date": "2026-12-21",
            "payment": "356.72",
            "principal": "313.73",
            "interest": "42.99",
            "fee": "0.00",
            "balance_after": "3685.27",
        }
    ],
    "expires_at": T,
    "offer_token": None,
}

PREQUALIFICATION: dict[str, Any] = {
    "id": "pq_1",
    "status": "approved",
    "created_at": T,
    "expires_at": T,
    "consent_id": "cns_1",
    "currency": "CNY",
    "requested_amount": "3999.00",
    "approved_amount": "3999.00",
    "upfront_payment": None,
    "decision_token": "a.b.c",
    "offers": [OFFER],
    "reasons": [],
    "human_review": {"available": False},
}

REVIEWED_PREQUALIFICATION: dict[str, Any] = PREQUALIFICATION | {
    "status": "referred",
    "human_review": {
        "available": True,
        "requested_at": T,
        "kind": "referral",
        "status": "decided",
        "due_at": T,
        "decided_at": T,
        "outcome": "approved",
        "message": "After a review by a person, new offers are available.",
        "reasons": [{"code": "risk_acceptable", "message": "…", "locale": "en"}],
    },
}

APPLICATION: dict[str, Any] = {
    "id": "app_1",
    "offer_id": "off_1",
    "status": "submitted",
    "created_at": T,
    "updated_at": T,
    "decision_reasons": [],
    "funded_amount": None,
    "outstanding_principal": None,
}

EVENT: dict[str, Any] = {
    "id": "evt-1",
    "type": "offer_displayed",
    "offer_id": "off_1",
    "occurred_at": T,
}

CHECKOUT_SESSION: dict[str, Any] = {"id": "cs_1", "client_token": "ct_1", "expires_at": T}

REFUND: dict[str, Any] = {
    "id": "rfd_1",
    "refund_id": "rf-1",
    "application_id": "app_1",
    "amount": "100.00",
    "outstanding_before": "3999.00",
    "outstanding_after": "3899.00",
    "created_at": T,
    "application": APPLICATION | {"status": "funded", "refunded_amount": "100.00", "schedule": []},
}

ATTEMPT: dict[str, Any] = {
    "number": 1,
    "attempted_at": T,
    "url": "https://shop.example/webhooks/instalments",
    "status_code": 204,
    "duration_ms": 12,
    "outcome": "delivered",
    "error": None,
}

LOGGED_EVENT: dict[str, Any] = {
    "id": "evt_1",
    "type": "ping",
    "status": "delivered",
    "created_at": T,
    "sequence": 1,
    "resource_id": "ping_1",
    "next_attempt_at": None,
    "delivered_at": T,
    "last_error": None,
    "payload": {"id": "evt_1", "type": "ping", "created_at": T, "sequence": 1, "data": {}},
    "attempts": [ATTEMPT],
}

PING_RESULT: dict[str, Any] = {
    "delivered": True,
    "status_code": 204,
    "duration_ms": 12,
    "error": None,
    "event": LOGGED_EVENT,
}

SETTLEMENT: dict[str, Any] = {
    "object": "settlement",
    "date": "2026-11-21",
    "partner_id": "demo-mall",
    "environment": "sandbox",
    "currency": "CNY",
    "totals": {
        "applications": 1,
        "funded_amount": "3999.00",
        "refunded_amount": "999.00",
        "merchant_subsidy": "79.98",
        "net": "2920.02",
    },
    "lines": [
        {
            "application_id": "app_1",
            "prequalification_id": "pq_1",
            "currency": "CNY",
            "funded_at": T,
            "funded_amount": "3999.00",
            "refunded_amount": "999.00",
            "merchant_subsidy": "79.98",
            "net": "2920.02",
        }
    ],
}
