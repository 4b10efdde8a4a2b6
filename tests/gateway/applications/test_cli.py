"""``gateway applications work``: the underwriting worker from the command line."""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskCliRunner

from tests.gateway.applications.flow import accepted
from tests.gateway.prequal.test_views import UW_DECLINE


def test_work_once_decides_every_submitted_application(
    runner: FlaskCliRunner, partner_api: Any
) -> None:
    api = partner_api("demo-mall")
    _, approved = accepted(api)
    _, declined = accepted(api, UW_DECLINE)
    result = runner.invoke(
        args=["applications", "work", "--once", "--min-delay", "0", "--max-delay", "0", "--json"]
    )
    assert result.exit_code == 0, result.output
    decided = {row["id"]: row["status"] for row in map(json.loads, result.output.splitlines())}
    assert decided == {approved["id"]: "approved", declined["id"]: "declined"}
    again = runner.invoke(args=["applications", "work", "--once", "--max-delay", "0"])
    assert again.exit_code == 0 and again.output == ""
