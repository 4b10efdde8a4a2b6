"""The partner configuration schema (``partner_configs/*.yaml``).

Every model forbids unknown fields, so a typo in a reviewed file is an error,
not a silently ignored setting. ``partner_configs/README.md`` documents each
field with a commented template.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from gateway.experiments.config import Experiment, check_experiments

GLOBAL_APR_CAP = Decimal("0.24")
ALLOWED_TENORS = (3, 6, 9, 12, 18, 24, 36)
GRADES = ("A", "B", "C", "D", "E")
SCOPES = ("offers:read", "consents:write", "prequalify", "applications:write", "events:write")

Scope = Literal["offers:read", "consents:write", "prequalify", "applications:write", "events:write"]
Scenario = Literal["ecommerce", "travel", "education"]
AuthMethod = Literal["client_secret_basic", "client_secret_post", "private_key_jwt"]
RepaymentMethod = Literal["equal_instalment", "equal_principal", "fee_based"]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,63}$")]
Rate = Annotated[Decimal, Field(ge=Decimal("0"), le=Decimal("1"), decimal_places=4)]
Money = Annotated[Decimal, Field(gt=Decimal("0"), decimal_places=2)]
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d{1,5})?$")
# Private JWK members: a partner must never hand us its private key.
_PRIVATE_JWK_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "k", "oth"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class LocalisedName(_Strict):
    """A name in Simplified Chinese and English."""

    zh_cn: str = Field(alias="zh-CN", min_length=1, max_length=100)
    en: str = Field(min_length=1, max_length=100)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Contact(_Strict):
    """Someone at the partner the bank can reach."""

    role: Literal["business", "technical", "security", "operations"]
    name: str = Field(min_length=1, max_length=100)
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    phone: str | None = Field(default=None, max_length=32)


class CustomerAge(_Strict):
    """Age limits: at application, and at the last instalment."""

    min: int = Field(ge=18, le=70)
    max_at_maturity: int = Field(ge=18, le=75)

    @model_validator(mode="after")
    def _ordered(self) -> CustomerAge:
        if self.max_at_maturity <= self.min:
            raise ValueError("max_at_maturity must be above min")
        return self


class MerchantSubsidy(_Strict):
    """0% APR to the customer for these tenors; the merchant pays ``merchant_rate`` × principal."""

    tenors: list[int] = Field(min_length=1)
    merchant_rate: Rate


class Product(_Strict):
    """One instalment product the partner offers at checkout."""

    code: Code
    name: LocalisedName
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    min_amount: Money
    max_amount: Money
    tenors: list[int] = Field(min_length=1)
    repayment_methods: list[RepaymentMethod] = Field(min_length=1)
    apr_by_grade: dict[str, Rate]
    monthly_fee_rate_by_grade: dict[str, Rate] | None = None
    apr_cap: Rate
    customer_age: CustomerAge
    merchant_subsidy: MerchantSubsidy | None = None

    @field_validator("tenors")
    @classmethod
    def _tenors_allowed(cls, tenors: list[int]) -> list[int]:
        outside = [t for t in tenors if t not in ALLOWED_TENORS]
        if outside:
            allowed = ", ".join(map(str, ALLOWED_TENORS))
            raise ValueError(f"tenor(s) {outside} not allowed; allowed: {allowed}")
        if len(set(tenors)) != len(tenors):
            raise ValueError("tenors must not repeat")
        return sorted(tenors)

    @field_validator("repayment_methods")
    @classmethod
    def _methods_unique(cls, methods: list[str]) -> list[str]:
        if len(set(methods)) != len(methods):
            raise ValueError("repayment methods must not repeat")
        return methods

    @field_validator("apr_by_grade", "monthly_fee_rate_by_grade")
    @classmethod
    def _every_grade(cls, rates: dict[str, Decimal] | None) -> dict[str, Decimal] | None:
        if rates is not None and sorted(rates) != list(GRADES):
            raise ValueError(f"must give exactly the grades {', '.join(GRADES)}")
        return rates

    @field_validator("apr_cap")
    @classmethod
    def _cap_within_global(cls, cap: Decimal) -> Decimal:
        if cap > GLOBAL_APR_CAP:
            raise ValueError(f"apr_cap {cap} is above the global cap {GLOBAL_APR_CAP}")
        return cap

    @model_validator(mode="after")
    def _consistent(self) -> Product:
        if self.min_amount >= self.max_amount:
            raise ValueError("min_amount must be below max_amount")
        above = {g: r for g, r in self.apr_by_grade.items() if r > self.apr_cap}
        if above:
            grades = ", ".join(f"{g}={r}" for g, r in sorted(above.items()))
            raise ValueError(f"apr_by_grade above apr_cap {self.apr_cap}: {grades}")
        if "fee_based" in self.repayment_methods and self.monthly_fee_rate_by_grade is None:
            raise ValueError("monthly_fee_rate_by_grade is required when fee_based is offered")
        if self.merchant_subsidy is not None:
            stray = sorted(set(self.merchant_subsidy.tenors) - set(self.tenors))
            if stray:
                raise ValueError(f"merchant_subsidy tenors {stray} are not product tenors")
        return self


class EnvironmentConfig(_Strict):
    """How the partner connects in one environment (``sandbox`` or ``live``)."""

    token_endpoint_auth_method: AuthMethod
    jwks: dict[str, Any] | None = None
    scopes: list[Scope] = Field(min_length=1)
    webhook_url: AnyHttpUrl | None = None
    allowed_origins: list[str] = Field(default_factory=list)
    # ``dpop``: access tokens are bound to a key of the partner's (RFC 9449);
    # every call carries a fresh proof signed with it.
    token_binding: Literal["bearer", "dpop"] = "bearer"  # noqa: S105 - not a secret

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, origins: list[str]) -> list[str]:
        bad = [o for o in origins if not _ORIGIN.match(o)]
        if bad:
            raise ValueError(f"not an origin (scheme://host[:port], no path): {bad}")
        return origins

    @field_validator("jwks")
    @classmethod
    def _public_keys_only(cls, jwks: dict[str, Any] | None) -> dict[str, Any] | None:
        if jwks is None:
            return None
        keys = jwks.get("keys")
        if not isinstance(keys, list) or not keys or set(jwks) != {"keys"}:
            raise ValueError('must be a JWK Set: {"keys": [ ... ]} with at least one key')
        for key in keys:
            if not isinstance(key, dict) or key.get("kty") not in ("EC", "RSA", "OKP"):
                raise ValueError("each key must be an EC, RSA or OKP public JWK")
            if _PRIVATE_JWK_MEMBERS.intersection(key):
                raise ValueError("contains a private key: send the public key only")
        return jwks

    @model_validator(mode="after")
    def _jwks_for_private_key_jwt(self) -> EnvironmentConfig:
        needs_keys = self.token_endpoint_auth_method == "private_key_jwt"  # noqa: S105
        if needs_keys and self.jwks is None:
            raise ValueError("jwks is required for private_key_jwt")
        if len(set(self.scopes)) != len(self.scopes):
            raise ValueError("scopes must not repeat")
        return self


class Environments(_Strict):
    """Sandbox always; live once the partner has passed go-live checks."""

    sandbox: EnvironmentConfig
    live: EnvironmentConfig | None = None


class RateLimit(_Strict):
    """Requests per client to ``/v1`` (the token endpoint has fixed limits)."""

    requests_per_second: int = Field(default=20, ge=1, le=10_000)
    requests_per_minute: int = Field(default=600, ge=1, le=600_000)


class ReviewSettings(_Strict):
    """Human review of this partner's decisions (``gateway/reviews``, docs/reviews.md)."""

    # Approving more than this needs a second, different reviewer (four eyes).
    second_approval_above: Money = Decimal("20000.00")
    referral_sla_hours: int = Field(default=4, ge=1, le=720)
    customer_request_sla_hours: int = Field(default=72, ge=1, le=720)
    # Offers made by a review wait for a customer who has left the checkout.
    offer_ttl_hours: int = Field(default=72, ge=1, le=720)


class Limits(_Strict):
    """Concentration limits the bank sets on one partner (``docs/risk-controls.md``)."""

    # Principal lent or about to be lent through the partner, per environment;
    # at or beyond it new prequalifications are declined (partner_limit_reached).
    max_outstanding: Money | None = None


class PartnerConfig(_Strict):
    """One partner: who it is, how it connects, what it may offer."""

    id: Slug
    display_name: LocalisedName
    scenario: Scenario
    status: Literal["active", "suspended"] = "active"
    contacts: list[Contact] = Field(min_length=1)
    environments: Environments
    rate_limit: RateLimit = Field(default_factory=RateLimit)
    limits: Limits = Field(default_factory=Limits)
    consent_capture: Literal["partner", "widget", "both"]
    products: list[Product] = Field(min_length=1)
    # A/B tests of offer presentation (gateway/experiments/config.py).
    experiments: list[Experiment] = Field(default_factory=list)
    review: ReviewSettings = Field(default_factory=ReviewSettings)

    @field_validator("experiments")
    @classmethod
    def _one_running(cls, experiments: list[Experiment]) -> list[Experiment]:
        return check_experiments(experiments)

    @model_validator(mode="after")
    def _unique_products(self) -> PartnerConfig:
        codes = [p.code for p in self.products]
        if len(set(codes)) != len(codes):
            raise ValueError("product codes must be unique within the partner")
        return self

    def environment(self, name: str) -> EnvironmentConfig | None:
        """The settings of ``sandbox`` or ``live`` (``None`` when not configured)."""
        if name == "sandbox":
            return self.environments.sandbox
        if name == "live":
            return self.environments.live
        return None

    def product(self, code: str) -> Product | None:
        """The product with ``code``, if the partner has one."""
        return next((p for p in self.products if p.code == code), None)
