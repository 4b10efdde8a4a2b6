"""Product terms: what a partner's product allows, as pricing needs it.

The field names mirror the partner configuration (``partner_configs/*.yaml``,
validated with pydantic by the partners domain) so mapping one onto the other
is a field-by-field copy. These terms are plain frozen values: pricing and
policy never read configuration files or the database themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Literal, get_args

RepaymentMethod = Literal["equal_instalment", "equal_principal", "fee_based"]
"""``equal_instalment`` 等额本息, ``equal_principal`` 等额本金, ``fee_based`` 分期手续费."""

REPAYMENT_METHODS: tuple[RepaymentMethod, ...] = get_args(RepaymentMethod)

Grade = Literal["A", "B", "C", "D", "E"]
GRADES: tuple[Grade, ...] = get_args(Grade)

GLOBAL_APR_CAP = Decimal("0.24")
"""No offer's true APR may exceed 24 %, whatever a product says."""

_RATE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class MerchantSubsidy:
    """A merchant-paid 0 % APR offer on some tenors.

    The merchant pays ``merchant_rate`` × principal to the bank; the customer
    pays no interest and no fee. The subsidy is shown to the partner only.
    """

    tenors: tuple[int, ...]
    merchant_rate: Decimal

    def __post_init__(self) -> None:
        if not self.tenors or any(t < 1 for t in self.tenors):
            raise ValueError("merchant_subsidy.tenors must be positive month counts")
        if not Decimal(0) <= self.merchant_rate < Decimal(1):
            raise ValueError("merchant_subsidy.merchant_rate must be in [0, 1)")


@dataclass(frozen=True)
class ProductTerms:
    """One partner product's lending terms.

    Args:
        code: the product code (``mall_instalments``).
        currency: ISO 4217 currency of every amount.
        min_amount, max_amount: the principal range, inclusive.
        tenors: offered tenors in months.
        repayment_methods: offered methods, in the order offers are listed.
        apr_by_grade: the true APR for each risk grade A–E.
        monthly_fee_rate_by_grade: for ``fee_based``, the monthly fee as a
            fraction of the principal, per grade.
        apr_cap: the product's APR cap; at most the global cap of 0.24.
        customer_age: (minimum age at application, maximum age at maturity).
        merchant_subsidy: merchant-paid 0 % offers, if any.

    Raises:
        ValueError: the terms contradict themselves (a configuration error).
    """

    code: str
    currency: str
    min_amount: Decimal
    max_amount: Decimal
    tenors: tuple[int, ...]
    repayment_methods: tuple[RepaymentMethod, ...]
    apr_by_grade: Mapping[str, Decimal]
    monthly_fee_rate_by_grade: Mapping[str, Decimal] = field(default_factory=dict)
    apr_cap: Decimal = GLOBAL_APR_CAP
    customer_age: tuple[int, int] = (18, 60)
    merchant_subsidy: MerchantSubsidy | None = None

    def __post_init__(self) -> None:
        # Read-only views: a frozen dataclass should not hide mutable dicts.
        object.__setattr__(self, "apr_by_grade", MappingProxyType(dict(self.apr_by_grade)))
        object.__setattr__(
            self,
            "monthly_fee_rate_by_grade",
            MappingProxyType(dict(self.monthly_fee_rate_by_grade)),
        )
        self._check_amounts_and_tenors()
        self._check_rates()

    def _check_amounts_and_tenors(self) -> None:
        if not Decimal(0) < self.min_amount <= self.max_amount:
            raise ValueError("need 0 < min_amount <= max_amount")
        if not self.tenors or any(t < 1 for t in self.tenors):
            raise ValueError("tenors must be positive month counts")
        if not self.repayment_methods:
            raise ValueError("at least one repayment method is needed")
        unknown = set(self.repayment_methods) - set(REPAYMENT_METHODS)
        if unknown:
            raise ValueError(f"unknown repayment methods: {sorted(unknown)}")
        low, high = self.customer_age
        if not 0 < low < high:
            raise ValueError("customer_age must be (min at application, max at maturity)")

    def _check_rates(self) -> None:
        if not Decimal(0) <= self.apr_cap <= GLOBAL_APR_CAP:
            raise ValueError("apr_cap must be within [0, 0.24]")
        # A cap on the 4-place grid means rounding a compliant APR for display
        # can never push it over the cap.
        if self.apr_cap != self.apr_cap.quantize(_RATE_PLACES):
            raise ValueError("apr_cap has at most 4 decimal places")
        missing = [g for g in GRADES if g not in self.apr_by_grade]
        if missing:
            raise ValueError(f"apr_by_grade lacks grades {missing}")
        if any(rate < 0 for rate in self.apr_by_grade.values()):
            raise ValueError("APRs cannot be negative")
        if "fee_based" in self.repayment_methods:
            missing = [g for g in GRADES if g not in self.monthly_fee_rate_by_grade]
            if missing:
                raise ValueError(f"monthly_fee_rate_by_grade lacks grades {missing}")
        if any(rate < 0 for rate in self.monthly_fee_rate_by_grade.values()):
            raise ValueError("fee rates cannot be negative")

    def capped_apr(self, grade: str) -> Decimal:
        """The grade's APR, never above the product's cap.

        Raises:
            KeyError: the grade is not one of A–E.
        """
        return min(self.apr_by_grade[grade], self.apr_cap)

    def subsidised(self, tenor: int) -> bool:
        """Whether the merchant subsidises a 0 % offer at this tenor."""
        return self.merchant_subsidy is not None and tenor in self.merchant_subsidy.tenors
