"""GET /v1/consent-notices: every purpose's current notice, in the asked locale."""

from __future__ import annotations

from typing import Any

from flask import Flask


def test_every_purpose_is_listed_with_the_version_and_hash_to_echo(
    app: Flask, partner_api: Any
) -> None:
    api = partner_api()
    listed = api.get("/v1/consent-notices?locale=en").get_json()
    assert listed["object"] == "list" and listed["has_more"] is False
    purposes = [notice["purpose"] for notice in listed["data"]]
    assert purposes == ["prequalification", "credit_inquiry", "marketing"]
    for notice in listed["data"]:
        one = api.get(f"/v1/consent-notices/{notice['purpose']}?locale=en").get_json()
        assert one == notice and notice["locale"] == "en"
    chinese = api.get("/v1/consent-notices?locale=zh-CN").get_json()["data"]
    assert [n["version"] for n in chinese] == [n["version"] for n in listed["data"]]
    assert [n["hash"] for n in chinese] != [n["hash"] for n in listed["data"]]  # per locale


def test_an_unknown_locale_is_422(app: Flask, partner_api: Any) -> None:
    response = partner_api().get("/v1/consent-notices?locale=fr")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "locale"
