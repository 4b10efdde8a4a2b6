"""Column types: timezone-aware UTC timestamps and exact decimals, on every backend."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every backend.

    SQLite has no timezone type: values are stored naive in UTC and come back
    aware. Naive datetimes are refused on the way in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: the gateway stores timezone-aware UTC only")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class _ScaledDecimal(TypeDecorator[decimal.Decimal]):
    """An exact decimal stored as a scaled integer (no float, no SQLite Decimal warning)."""

    impl = BigInteger().with_variant(Integer(), "sqlite")
    cache_ok = True
    places = 2

    def process_bind_param(self, value: decimal.Decimal | None, dialect: Any) -> int | None:
        if value is None:
            return None
        if not isinstance(value, decimal.Decimal):
            raise TypeError(f"{type(self).__name__} takes Decimal, not {type(value).__name__}")
        scaled = value.scaleb(self.places)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.places} decimal places")
        return int(scaled)

    def process_result_value(self, value: int | None, dialect: Any) -> decimal.Decimal | None:
        if value is None:
            return None
        return decimal.Decimal(int(value)).scaleb(-self.places)


class Money(_ScaledDecimal):
    """An amount of money, exact to the fen (stored as integer fen)."""

    cache_ok = True  # not inherited: without it no statement with money is cached
    places = 2


class Rate(_ScaledDecimal):
    """A rate with four decimal places such as an APR (stored as integer 1e-4 units)."""

    cache_ok = True
    places = 4
