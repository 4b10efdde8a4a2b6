"""docs/consent.md: the receipt-verification example runs as written against a served gateway."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.gateway.consent.test_views import consent_body
from tests.served import served_app

PAGE = Path(__file__).parents[3] / "docs" / "consent.md"


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    with served_app(app) as url:
        yield url


@pytest.mark.committing
def test_receipt_example_verifies_a_real_receipt(partner_api: Any, served: str) -> None:
    blocks = re.findall(r"^```python\n(.*?)^```$", PAGE.read_text("utf-8"), re.M | re.S)
    assert len(blocks) == 1
    response = partner_api("demo-mall").post(
        "/v1/consents", json=consent_body("prequalification", "marketing")
    )
    namespace: dict[str, Any] = {"gateway": served, "receipt": response.get_json()["receipt"]}
    exec(compile(blocks[0], "docs/consent.md", "exec"), namespace)  # noqa: S102 - our own docs
    assert namespace["purposes"] == ["prequalification", "marketing"]
