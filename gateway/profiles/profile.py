"""The profile value the scorer and policy read (no ORM, no database)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

FEATURE_FIELDS: tuple[str, ...] = (
    "age",
    "employment_type",
    "employment_years",
    "verified_monthly_income",
    "months_with_bank",
    "avg_balance",
    "app_logins_30d",
    "past_loans",
    "on_time_ratio",
    "delinquencies_12m",
    "utilisation",
    "inquiries_6m",
    "oldest_account_months",
    "fraud_flag",
    "blacklist_flag",
    "current_delinquency",
    "monthly_debt_service",
)
MONEY_FIELDS = frozenset({"verified_monthly_income", "avg_balance", "monthly_debt_service"})
FLAG_FIELDS = frozenset({"fraud_flag", "blacklist_flag", "current_delinquency"})
INT_FIELDS = frozenset(
    {
        "age",
        "months_with_bank",
        "app_logins_30d",
        "past_loans",
        "delinquencies_12m",
        "inquiries_6m",
        "oldest_account_months",
    }
)
OPTIONAL_FIELDS = frozenset({"on_time_ratio", "utilisation"})
EMPLOYMENT_TYPES = (
    "salaried",
    "self_employed",
    "civil_servant",
    "freelancer",
    "retired",
    "unemployed",
)


@dataclass(frozen=True)
class Profile:
    """The bank's view of one customer.

    Money is ``Decimal`` in CNY to the fen. ``on_time_ratio`` is ``None`` for a
    customer who never had a loan; ``utilisation`` is ``None`` without any
    revolving credit line (a thin credit file).
    """

    customer_ref: str
    age: int
    employment_type: str
    employment_years: float
    verified_monthly_income: Decimal
    months_with_bank: int
    avg_balance: Decimal
    app_logins_30d: int
    past_loans: int
    on_time_ratio: float | None
    delinquencies_12m: int
    utilisation: float | None
    inquiries_6m: int
    oldest_account_months: int
    fraud_flag: bool
    blacklist_flag: bool
    current_delinquency: bool
    monthly_debt_service: Decimal
    synthetic: bool = False

    def features(self) -> dict[str, Any]:
        """Feature values by name, as the compiled scorer reads them.

        The instance ``__dict__`` is returned as is (no copy) because scoring
        is on the hot path; treat it as read-only.
        """
        return self.__dict__
