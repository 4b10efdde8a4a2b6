"""Stored customer profiles (bank side), keyed by customer reference."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base, Money


class CustomerProfile(Base):
    """The bank's data about one customer; no raw identifier is ever stored."""

    __tablename__ = "customer_profiles"

    customer_ref: Mapped[str] = mapped_column(String(68), primary_key=True)
    id_number_hash: Mapped[str | None] = mapped_column(String(68), index=True)
    age: Mapped[int] = mapped_column(Integer)
    employment_type: Mapped[str] = mapped_column(String(32))
    employment_years: Mapped[float] = mapped_column(Float)
    verified_monthly_income: Mapped[Decimal] = mapped_column(Money())
    months_with_bank: Mapped[int] = mapped_column(Integer)
    avg_balance: Mapped[Decimal] = mapped_column(Money())
    app_logins_30d: Mapped[int] = mapped_column(Integer)
    past_loans: Mapped[int] = mapped_column(Integer)
    on_time_ratio: Mapped[float | None] = mapped_column(Float)
    delinquencies_12m: Mapped[int] = mapped_column(Integer)
    utilisation: Mapped[float | None] = mapped_column(Float)
    inquiries_6m: Mapped[int] = mapped_column(Integer)
    oldest_account_months: Mapped[int] = mapped_column(Integer)
    fraud_flag: Mapped[bool] = mapped_column(Boolean)
    blacklist_flag: Mapped[bool] = mapped_column(Boolean)
    current_delinquency: Mapped[bool] = mapped_column(Boolean)
    monthly_debt_service: Mapped[Decimal] = mapped_column(Money())
    source: Mapped[str] = mapped_column(String(16))  # import | generated
    updated_at: Mapped[dt.datetime]
