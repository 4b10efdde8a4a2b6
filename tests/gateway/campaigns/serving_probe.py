"""Run only by test_serving.py, in its own pytest process: serving must not import Spark's stack.

Not named ``test_*.py`` so the main run never collects it (there, the job's
tests have already imported pyspark, pandas and pyarrow).
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy import insert
from sqlalchemy.orm import Session

from gateway.campaigns.models import CampaignEntry
from gateway.identity import customer_ref
from tests.gateway.consent.test_views import consent_body

FORBIDDEN = ("pyspark", "pandas", "pyarrow", "sklearn")


def test_a_pre_approved_checkout_leaves_pyspark_pandas_and_pyarrow_unimported(
    app: Flask, partner_api: Any, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    phone = "+8613912345678"  # a sandbox phone that is not a persona: the real model scores it
    now = dt.datetime.now(dt.UTC)
    ref = customer_ref(app.extensions["gateway.settings"].identifier_pepper, phone)
    db_session.execute(
        insert(CampaignEntry),
        {
            "campaign_id": "cmp_probe", "customer_ref": ref, "partner_id": "demo-mall",
            "product_code": "mall_instalments", "environment": "sandbox", "scenario": "shopping",
            "currency": "CNY", "limit_amount": Decimal("600.00"), "grade": "C",
            "pd_band": "5-10%", "segment": "mass_market", "contact_rank": 1, "issued_at": now,
            "expires_at": now + dt.timedelta(days=1), "loaded_at": now,
        },
    )  # fmt: skip
    db_session.commit()
    body = consent_body("prequalification", customer={"phone": phone})
    consent = api.post("/v1/consents", json=body)
    assert consent.status_code == 201, consent.get_json()
    response = api.post(
        "/v1/prequalifications",
        json={
            "consent_id": consent.get_json()["consents"][0]["id"],
            "customer": {"phone": phone},
            "scenario": {
                "type": "ecommerce",
                "amount": "500.00",
                "currency": "CNY",
                "merchant_order_ref": "order-1",
                "item_category": "electronics",
            },
        },
    )
    assert response.status_code == 201, response.get_json()
    assert "pre_approved" in response.get_json()
    loaded = sorted(m for m in sys.modules if m.partition(".")[0] in FORBIDDEN)
    assert loaded == []
