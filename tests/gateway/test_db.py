"""Persistence: migrations match the models; UTC everywhere; SQLite pragmas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from gateway.db import Database, Money, Rate, UTCDateTime
from gateway.models import load_all


def test_migrations_create_exactly_the_models_schema(database: Database) -> None:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, load_all())
    assert diff == [], f"models and migrations differ: {diff}"


def test_sqlite_runs_with_wal_and_foreign_keys(database: Database) -> None:
    if database.dialect != "sqlite":
        pytest.skip("SQLite pragmas")
    with database.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10000


def test_naive_datetimes_are_refused() -> None:
    column = UTCDateTime()
    with pytest.raises(ValueError, match="naive"):
        column.process_bind_param(dt.datetime(2026, 1, 1), None)  # noqa: DTZ001


def test_datetimes_come_back_aware_utc(database: Database) -> None:
    column = UTCDateTime()
    shanghai = dt.timezone(dt.timedelta(hours=8))
    stored = column.process_bind_param(
        dt.datetime(2026, 1, 1, 8, tzinfo=shanghai), database.engine.dialect
    )
    back = column.process_result_value(stored, database.engine.dialect)
    assert back == dt.datetime(2026, 1, 1, 0, tzinfo=dt.UTC)
    assert back is not None and back.tzinfo == dt.UTC


@pytest.mark.parametrize(
    ("column", "value", "stored"),
    [
        (Money(), Decimal("1234.50"), 123450),
        (Rate(), Decimal("0.1290"), 1290),
        (Money(), Decimal("-0.01"), -1),
    ],
)
def test_money_and_rates_are_exact_scaled_integers(
    column: Money | Rate, value: Decimal, stored: int
) -> None:
    assert column.process_bind_param(value, None) == stored
    back = column.process_result_value(stored, None)
    assert back == value
    assert str(back) == str(value)


def test_money_refuses_floats_and_fractions_of_a_fen() -> None:
    with pytest.raises(TypeError):
        Money().process_bind_param(1.5, None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="decimal places"):
        Money().process_bind_param(Decimal("1.005"), None)


def test_statements_with_money_rates_and_times_are_cached() -> None:
    # TypeDecorator's cache_ok is not inherited: a subclass without it makes
    # every statement that touches its columns compile afresh, every time.
    from sqlalchemy import bindparam, select

    from gateway.db import Money, Rate, UTCDateTime, table_of
    from gateway.offers.models import Offer

    offers = table_of(Offer)
    statement = select(offers.c.principal, offers.c.apr, offers.c.created_at).where(
        offers.c.principal > bindparam("at_least")
    )
    assert statement._generate_cache_key() is not None
    for decorator in (Money, Rate, UTCDateTime):
        assert decorator.__dict__.get("cache_ok") is True, decorator
