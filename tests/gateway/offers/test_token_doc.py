"""docs/resources.md's decision-token verification example runs as written on a real decision."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.gateway.offers.flow import approved_decision

DOC = Path(__file__).resolve().parents[3] / "docs" / "resources.md"


def _example() -> str:
    section = DOC.read_text("utf-8").split("### The decision token", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None
    return found.group(1)


def test_the_documented_verification_accepts_every_offer_of_a_real_decision(
    client: FlaskClient, partner_api: Any
) -> None:
    decision, _credit = approved_decision(partner_api("demo-mall"))
    jwks = client.get("/.well-known/jwks.json").get_json()
    for offer in decision["offers"]:
        scope: dict[str, Any] = {"decision": decision, "offer": offer, "jwks": jwks}
        exec(_example(), scope)  # noqa: S102 - the doc's own example
        assert scope["header"]["kid"] in {key["kid"] for key in jwks["keys"]}


@pytest.mark.parametrize(
    "change",
    [
        {"schedule": "first payment"},
        {"principal": "1.00"},
        {"total_cost": "9999.99"},
        {"id": "off_another"},
    ],
)
def test_the_documented_verification_catches_a_changed_offer(
    client: FlaskClient, partner_api: Any, change: dict[str, str]
) -> None:
    decision, _credit = approved_decision(partner_api("demo-mall"))
    jwks = client.get("/.well-known/jwks.json").get_json()
    offer = decision["offers"][-1]
    if "schedule" in change:
        changed = dict(offer, schedule=[dict(offer["schedule"][0], payment="1.00")])
    else:
        changed = dict(offer, **change)
    with pytest.raises((AssertionError, StopIteration)):
        exec(_example(), {"decision": decision, "offer": changed, "jwks": jwks})  # noqa: S102
