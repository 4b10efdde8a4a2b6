"""A full flow with real-looking phone and ID numbers leaves them nowhere.

A served gateway (``gateway serve``, its JSON logs in a file) takes a consent,
a prequalification with declared facts, an offer read and acceptance, an
application read, funnel events, a human-review request, a revocation, and a
few mistakes a partner makes with identifiers (one in the URL, malformed ones
in bodies). Then every log line and every column of every table is searched
for the raw identifiers in each written form.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import MetaData, create_engine, select

from tests.resilience.conftest import (
    consent_body,
    fresh_postgres_database,
    prequal_body,
    resident_id,
)

PHONE = "+8613912345678"
DECLINED_PHONE = "+8613800000002"  # sandbox persona: declined, may ask for human review
ID_NUMBER = resident_id("44030419880612345")


def _forms(phone: str, id_number: str) -> list[str]:
    """Every way the identifiers could be written down."""
    national = phone.removeprefix("+86")
    return [
        phone,
        phone[1:],
        national,
        f"{national[:3]} {national[3:7]} {national[7:]}",
        id_number,
        id_number.lower(),
        id_number[:17],
    ]


def _flow(http: httpx.Client) -> None:
    notice = http.get("/v1/consent-notices/prequalification").json()["version"]
    body = consent_body(PHONE, ID_NUMBER)
    for grant in body["grants"]:
        grant["notice_version"] = notice
    consent = http.post("/v1/consents", json=body)
    assert consent.status_code == 201, consent.text
    by_purpose = {c["purpose"]: c["id"] for c in consent.json()["consents"]}
    assert http.get(f"/v1/consents/{by_purpose['prequalification']}").status_code == 200

    request = prequal_body(PHONE, by_purpose["prequalification"], "2999.00", ID_NUMBER)
    request["customer"]["declared"] = {
        "monthly_income": "18000.00",
        "employment_type": "salaried",
        "age": 38,
    }
    decided = http.post("/v1/prequalifications", json=request)
    assert decided.status_code == 201, decided.text
    decision = decided.json()
    assert http.get(f"/v1/prequalifications/{decision['id']}").status_code == 200
    assert decision["offers"], decision  # this customer is approved: the flow goes on
    if decision["offers"]:
        offer = decision["offers"][0]
        assert http.get(f"/v1/offers/{offer['id']}").status_code == 200
        accepted = http.post(
            f"/v1/offers/{offer['id']}/accept",
            json={
                "decision_token": decision["decision_token"],
                "credit_inquiry_consent_id": by_purpose["credit_inquiry"],
            },
        )
        assert accepted.status_code == 201, accepted.text
        application = accepted.json()["id"]
        assert http.get(f"/v1/applications/{application}").status_code == 200
        event = {
            "id": "evt-pii-1",
            "type": "offer_displayed",
            "offer_id": offer["id"],
            "occurred_at": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
        }
        assert http.post("/v1/events", json=event).status_code < 500

    declined_consent = http.post("/v1/consents", json=consent_body(DECLINED_PHONE, ID_NUMBER))
    assert declined_consent.status_code == 201, declined_consent.text
    declined_id = declined_consent.json()["consents"][0]["id"]
    declined = http.post("/v1/prequalifications", json=prequal_body(DECLINED_PHONE, declined_id))
    assert declined.status_code == 201 and declined.json()["status"] == "declined"
    review = http.post(f"/v1/prequalifications/{declined.json()['id']}/human-review")
    assert review.status_code == 200, review.text

    # Partner mistakes: an identifier in the URL, malformed identifiers in bodies,
    # an identifier where an id belongs.
    assert http.get(f"/v1/consents/{PHONE}").status_code == 404
    bad = consent_body(PHONE + "9", ID_NUMBER[:17] + "Z")
    assert http.post("/v1/consents", json=bad).status_code == 422
    wrong = prequal_body(PHONE, by_purpose["prequalification"])
    wrong["consent_id"] = ID_NUMBER
    assert http.post("/v1/prequalifications", json=wrong).status_code in (403, 404, 409, 422)

    revoked = http.post(f"/v1/consents/{by_purpose['prequalification']}/revoke", json={})
    assert revoked.status_code == 200, revoked.text


def _database_text(url: str) -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every non-null value in the database."""
    engine = create_engine(url)
    found = []
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as conn:
            for table in metadata.sorted_tables:
                for row in conn.execute(select(table)).mappings():
                    for column, value in row.items():
                        if value is None:
                            continue
                        if isinstance(value, bytes | memoryview):
                            text = bytes(value).decode("latin-1")
                        elif isinstance(value, dict | list):
                            text = json.dumps(value, ensure_ascii=False)
                        else:
                            text = str(value)
                        found.append((table.name, column, text))
    finally:
        engine.dispose()
    return found


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_no_raw_phone_or_id_number_in_any_log_line_or_column(
    backend: str, gateway_process: Any, tmp_path: Path
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'pii.db'}"
        if backend == "sqlite"
        else fresh_postgres_database("pii")
    )
    gateway = gateway_process(url, GATEWAY_LOG_LEVEL="DEBUG")
    gateway.prepare()
    gateway.start(workers=1)
    headers = {"Authorization": f"Bearer {gateway.token()}"}
    with httpx.Client(base_url=gateway.url, headers=headers, timeout=30) as http:
        _flow(http)
    gateway.kill()

    forms = _forms(PHONE, ID_NUMBER) + _forms(DECLINED_PHONE, ID_NUMBER)[:4]
    log_lines = gateway.log_path.read_text().splitlines()
    assert len(log_lines) >= 15, "the flow was logged"
    leaks = [(n, form) for n, line in enumerate(log_lines) for form in forms if form in line]
    assert not leaks, [log_lines[n] for n, _ in leaks][:5]

    values = _database_text(url)
    tables = {table for table, _, _ in values}
    assert {"consents", "prequalifications", "offers", "audit_entries"} <= tables
    leaks_db = [(t, c) for t, c, text in values for form in forms if form in text]
    assert not leaks_db, sorted(set(leaks_db))
