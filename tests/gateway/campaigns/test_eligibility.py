"""The eligibility export: marketing consents and their scope, contacts, decisions, exposure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from gateway.campaigns.eligibility import bank_scoped, eligibility_rows
from gateway.campaigns.loading import load_list
from gateway.clock import utcnow
from gateway.identity import customer_ref
from tests.gateway.campaigns.lists import entry, write_list
from tests.gateway.consent.test_views import VERSION, consent_body
from tests.gateway.prequal.test_views import prequalify

PHONE = "+8613912340077"


def test_the_marketing_notice_names_the_bank_so_its_consents_cover_every_partner() -> None:
    assert bank_scoped(VERSION)
    assert not bank_scoped("1999-01-01")


def test_only_customers_with_an_active_marketing_consent_are_exported(
    app: Flask, partner_api: Any, db_session: Session, tmp_path: Path
) -> None:
    mall = partner_api("demo-mall", "sandbox")
    body = consent_body("marketing", customer={"phone": PHONE})
    assert mall.post("/v1/consents", json=body).status_code == 201
    other = consent_body("prequalification", customer={"phone": "+8613912340078"})
    assert mall.post("/v1/consents", json=other).status_code == 201
    ref = customer_ref(app.extensions["gateway.settings"].identifier_pepper, PHONE)
    now = utcnow()
    issued = now - dt.timedelta(days=3)
    rows = [entry(ref, issued_at=issued), entry("cus_" + "0" * 64, issued_at=issued)]
    load_list(db_session, write_list(tmp_path / "list", rows), now=now)
    prequalify(mall, PHONE)
    (row,) = list(eligibility_rows(db_session, environment="sandbox", now=utcnow()))
    assert row["customer_ref"] == ref
    assert row["marketing_bank"] is True and row["marketing_partners"] == []
    assert row["contacts_30d"] == 1 and row["last_contact_at"] == issued
    assert row["last_decision"] in ("approved", "partially_approved", "declined", "referred")
    assert row["last_decision_at"] is not None
    assert str(row["exposure"]) == "0.00"
    assert list(eligibility_rows(db_session, environment="live", now=utcnow())) == []


def test_the_cli_writes_the_export_as_parquet(
    partner_api: Any, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    mall = partner_api("demo-mall", "sandbox")
    body = consent_body("marketing", customer={"phone": PHONE})
    assert mall.post("/v1/consents", json=body).status_code == 201
    out = tmp_path / "eligibility.parquet"
    result = runner.invoke(
        args=["campaigns", "export-eligibility", "--out", str(out), "--env", "sandbox", "--json"]
    )
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == 1
    assert table.schema.field("exposure").type.scale == 2
