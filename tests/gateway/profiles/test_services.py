"""Profiles: import with identifiers hashed at the edge, generation, lookup."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.config import Settings
from gateway.identity import customer_ref, id_number_hash
from gateway.profiles.models import CustomerProfile
from gateway.profiles.profile import FEATURE_FIELDS, Profile
from gateway.profiles.services import get_profile

PHONE = "+8613912340001"
ID_NUMBER = "11010519491231002X"
ROW = {
    "phone": PHONE,
    "id_number": ID_NUMBER,
    "age": "34",
    "employment_type": "salaried",
    "employment_years": "6.5",
    "verified_monthly_income": "18000.5",
    "months_with_bank": "40",
    "avg_balance": "52000",
    "app_logins_30d": "12",
    "past_loans": "0",
    "on_time_ratio": "",
    "delinquencies_12m": "0",
    "utilisation": "0.31",
    "inquiries_6m": "1",
    "oldest_account_months": "80",
    "fraud_flag": "false",
    "blacklist_flag": "0",
    "current_delinquency": "no",
    "monthly_debt_service": "2100",
}


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_import_hashes_identifiers_and_stores_a_profile(
    runner: FlaskCliRunner, db_session: Session, settings: Settings, tmp_path: Path
) -> None:
    result = runner.invoke(
        args=["profiles", "import", str(_write(tmp_path / "p.csv", [ROW])), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"rows": 1, "inserted": 1, "replaced": 0}
    ref = customer_ref(settings.identifier_pepper, PHONE)
    profile = get_profile(db_session, ref)
    assert isinstance(profile, Profile)
    assert profile.verified_monthly_income == Decimal("18000.50")
    assert profile.on_time_ratio is None
    assert profile.fraud_flag is False and profile.current_delinquency is False
    stored = db_session.get(CustomerProfile, ref)
    assert stored is not None
    assert stored.id_number_hash == id_number_hash(settings.identifier_pepper, ID_NUMBER)
    # Neither raw identifier is anywhere in the row.
    values = [str(getattr(stored, c.key)) for c in CustomerProfile.__table__.columns]
    assert not any("13912340001" in v or "19491231" in v for v in values)


def test_reimport_replaces_the_profile(
    runner: FlaskCliRunner, db_session: Session, settings: Settings, tmp_path: Path
) -> None:
    runner.invoke(args=["profiles", "import", str(_write(tmp_path / "a.csv", [ROW]))])
    changed = {**ROW, "age": "35"}
    result = runner.invoke(
        args=["profiles", "import", str(_write(tmp_path / "b.csv", [changed])), "--json"]
    )
    assert json.loads(result.output)["replaced"] == 1
    profile = get_profile(db_session, customer_ref(settings.identifier_pepper, PHONE))
    assert profile is not None and profile.age == 35


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phone": "12345"}, "line 2.phone"),
        ({"age": "thirty"}, "line 2.age"),
        ({"employment_type": "astronaut"}, "line 2.employment_type"),
        ({"verified_monthly_income": "-5"}, "line 2.verified_monthly_income"),
        ({"fraud_flag": "maybe"}, "line 2.fraud_flag"),
        ({"id_number": "110105194912310021"}, "line 2.id_number"),
    ],
)
def test_an_invalid_row_exits_2_naming_line_and_column_without_the_value(
    runner: FlaskCliRunner, db_session: Session, tmp_path: Path, change: dict[str, str], field: str
) -> None:
    result = runner.invoke(
        args=["profiles", "import", str(_write(tmp_path / "p.csv", [{**ROW, **change}]))]
    )
    assert result.exit_code == 2
    assert field in result.output
    assert "12345" not in result.output and ID_NUMBER not in result.output
    assert db_session.scalars(select(CustomerProfile)).first() is None


def test_generate_stores_a_synthetic_population(
    runner: FlaskCliRunner, db_session: Session, settings: Settings
) -> None:
    result = runner.invoke(args=["profiles", "generate", "--count", "300", "--seed", "4", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"] == 300
    rows = db_session.scalars(select(CustomerProfile)).all()
    assert len(rows) == 300
    assert {r.source for r in rows} == {"generated"}
    profile = get_profile(db_session, rows[0].customer_ref)
    assert profile is not None
    assert set(FEATURE_FIELDS) <= set(profile.features())


def test_generate_out_writes_csv_instead(runner: FlaskCliRunner, tmp_path: Path) -> None:
    out = tmp_path / "pop.csv"
    result = runner.invoke(args=["profiles", "generate", "--count", "50", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 51


def test_an_unknown_customer_has_no_profile(db_session: Session) -> None:
    assert get_profile(db_session, "cus_" + "0" * 64) is None
