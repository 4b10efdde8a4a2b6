"""docs/resources.md's offer-token verification example runs as written against a real offer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from tests.gateway.offers.flow import approved_offer

DOC = Path(__file__).resolve().parents[3] / "docs" / "resources.md"


def _example() -> str:
    section = DOC.read_text("utf-8").split("### The offer token", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None
    return found.group(1)


def test_the_documented_verification_accepts_a_real_offer_and_catches_a_changed_term(
    client: FlaskClient, partner_api: Any
) -> None:
    offer, _credit = approved_offer(partner_api("demo-mall"))
    jwks = client.get("/.well-known/jwks.json").get_json()
    scope: dict[str, Any] = {"offer": offer, "jwks": jwks}
    exec(_example(), scope)  # noqa: S102 - the doc's own example
    assert scope["header"]["kid"] in {key["kid"] for key in jwks["keys"]}
    changed = dict(offer, schedule=[dict(offer["schedule"][0], payment="1.00")])
    try:
        exec(_example(), {"offer": changed, "jwks": jwks})  # noqa: S102
    except AssertionError:
        pass
    else:
        raise AssertionError("a changed schedule must not verify")
