"""A day's settlement: lines per application, totals that are their sums, to the fen."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from tests.gateway.lists import rows

DAY = dt.date(2026, 11, 20)
NOON = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def _seed(db: Session) -> dict[str, Any]:
    """Money moved on DAY, the day before and the day after, for two partners."""

    def funded(partner: str, when: dt.datetime, amount: str, subsidy: str | None = None) -> Any:
        pq = rows.prequalification(db, partner, "sandbox", when)
        return rows.application(
            db,
            pq,
            when,
            status="funded",
            principal=Decimal(amount),
            subsidy=Decimal(subsidy) if subsidy else None,
        )

    interest_free = funded("demo-mall", NOON, "3999.00", "79.98")
    rows.refund(db, interest_free, NOON + dt.timedelta(hours=1), Decimal("999.00"))
    rows.refund(db, interest_free, NOON + dt.timedelta(hours=2), Decimal("0.01"))
    yesterday = funded("demo-mall", NOON - dt.timedelta(days=1), "1200.00")
    rows.refund(db, yesterday, NOON, Decimal("100.00"))
    rows.refund(db, yesterday, NOON - dt.timedelta(days=1), Decimal("5.00"))  # not DAY
    last_second = funded("demo-mall", dt.datetime(2026, 11, 20, 23, 59, 59, tzinfo=dt.UTC), "0.03")
    funded("demo-mall", dt.datetime(2026, 11, 21, tzinfo=dt.UTC), "777.00")  # the next day
    travel = funded("demo-travel", NOON, "5000.00", "150.00")
    db.commit()
    return {"mall": [interest_free, yesterday, last_second], "travel": travel}


def _reconciles(settlement: dict[str, Any]) -> None:
    lines = settlement["lines"]
    totals = settlement["totals"]
    assert totals["applications"] == len(lines)
    for column in ("funded_amount", "refunded_amount", "merchant_subsidy", "net"):
        assert Decimal(totals[column]) == sum((Decimal(line[column]) for line in lines), Decimal())
    for line in lines:
        expected = (
            Decimal(line["funded_amount"])
            - Decimal(line["refunded_amount"])
            - Decimal(line["merchant_subsidy"])
        )
        assert Decimal(line["net"]) == expected
    funded_minus_refunded = Decimal(totals["funded_amount"]) - Decimal(totals["refunded_amount"])
    assert Decimal(totals["net"]) + Decimal(totals["merchant_subsidy"]) == funded_minus_refunded


def test_the_partners_day_has_a_line_per_application_and_totals_that_reconcile(
    app: Flask, db_session: Session, partner_api: Any
) -> None:
    seeded = _seed(db_session)
    response = partner_api().get(f"/v1/settlements?date={DAY.isoformat()}")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    _reconciles(body)
    assert (body["date"], body["partner_id"], body["environment"]) == (
        "2026-11-20",
        "demo-mall",
        "sandbox",
    )
    lines = {line["application_id"]: line for line in body["lines"]}
    assert set(lines) == {a.id for a in seeded["mall"]}
    free, yesterday, last = (lines[a.id] for a in seeded["mall"])
    assert (free["funded_amount"], free["refunded_amount"], free["merchant_subsidy"]) == (
        "3999.00",
        "999.01",
        "79.98",
    )
    assert free["net"] == "2920.01"
    assert (yesterday["funded_amount"], yesterday["refunded_amount"], yesterday["net"]) == (
        "0.00",
        "100.00",
        "-100.00",
    )
    assert last["funded_amount"] == "0.03"
    assert body["totals"] == {
        "applications": 3,
        "funded_amount": "3999.03",
        "refunded_amount": "1099.01",
        "merchant_subsidy": "79.98",
        "net": "2820.04",
    }


def test_a_day_without_movement_is_an_empty_settlement(app: Flask, partner_api: Any) -> None:
    body = partner_api().get("/v1/settlements?date=2026-01-01").get_json()
    assert body["lines"] == [] and body["totals"]["net"] == "0.00"


def test_the_date_is_required_and_checked(app: Flask, partner_api: Any) -> None:
    for query in ("", "?date=2026-13-01", "?date=yesterday"):
        response = partner_api().get(f"/v1/settlements{query}")
        assert response.status_code == 422
        assert response.get_json()["errors"][0]["field"] == "date"


def test_the_report_command_prints_writes_csv_and_json(
    app: Flask, db_session: Session, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    seeded = _seed(db_session)
    out = tmp_path / "settlement.csv"
    result = runner.invoke(args=["report", "settlement", "--date", "2026-11-20", "--csv", str(out)])
    assert result.exit_code == 0, result.output
    assert "demo-mall sandbox: 3 application(s), funded 3999.03" in result.output
    assert "demo-travel sandbox: 1 application(s), funded 5000.00" in result.output
    with out.open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    mall = [row for row in table if row["partner_id"] == "demo-mall"]
    lines, (total,) = mall[:-1], mall[-1:]
    assert total["application_id"] == "TOTAL" and len(lines) == 3
    for column in ("funded_amount", "refunded_amount", "merchant_subsidy", "net"):
        assert Decimal(total[column]) == sum((Decimal(r[column]) for r in lines), Decimal())
    only = runner.invoke(
        args=["report", "settlement", "--date", "2026-11-20", "--partner", "demo-travel", "--json"]
    )
    assert only.exit_code == 0, only.output
    (travel,) = json.loads(only.output)
    _reconciles(travel)
    assert [line["application_id"] for line in travel["lines"]] == [seeded["travel"].id]
    assert travel["totals"]["net"] == "4850.00"


def test_the_report_command_refuses_a_bad_date(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["report", "settlement", "--date", "20/11/2026"])
    assert result.exit_code == 2
    quiet = runner.invoke(args=["report", "settlement", "--date", "2026-01-01"])
    assert quiet.exit_code == 0 and "no money moved on 2026-01-01" in quiet.output
