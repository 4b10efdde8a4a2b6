"""Run only by test_serving.py, in its own pytest process: nothing here may import sklearn.

Not named ``test_*.py`` so the main run never collects it (there, training
tests have already imported scikit-learn).
"""

from __future__ import annotations

import sys
from typing import Any

from tests.gateway.consent.test_views import consent_body


def test_a_prequalification_scored_by_the_model_leaves_sklearn_unimported(
    partner_api: Any,
) -> None:
    api = partner_api("demo-mall")
    phone = "+8613912345678"  # a sandbox phone that is not a persona: the real model scores it
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
                "amount": "3999.00",
                "currency": "CNY",
                "merchant_order_ref": "order-1",
                "item_category": "electronics",
            },
        },
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["status"] in ("approved", "declined", "referred")
    loaded = sorted(m for m in sys.modules if m == "sklearn" or m.startswith("sklearn."))
    assert loaded == []
