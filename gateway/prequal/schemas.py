"""Marshmallow schemas of the prequalification and offer endpoints."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from gateway.api.fields import Phone, Timestamp
from gateway.api.money import MoneyString
from gateway.reviews.schemas import HumanReviewSchema
from gateway.risk.config import DEFAULT_CAP

SCENARIOS = ("ecommerce", "travel", "education")
MAX_AMOUNT = Decimal("10000000")
# A purchase above the cap on one customer's credit across partners can never be lent.
GLOBAL_EXPOSURE_CAP = DEFAULT_CAP
_MONEY = {"description": "Decimal string with two places."}
_EMPLOYMENT = ("salaried", "self_employed", "business_owner", "student", "retired", "other")


def _check_amount(value: Decimal) -> None:
    if value <= 0:
        raise ValidationError("must be greater than zero")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValidationError("must have at most two decimal places")
    if value > MAX_AMOUNT:
        raise ValidationError("is too large")


def _check_purchase_amount(value: Decimal) -> None:
    _check_amount(value)
    if value > GLOBAL_EXPOSURE_CAP:
        raise ValidationError(
            f"is above {GLOBAL_EXPOSURE_CAP}, the most the bank lends one customer "
            "across all partners"
        )


def Amount(**kwargs: Any) -> fields.Decimal:  # noqa: N802 - reads like a field class
    """A positive amount of money: a string with at most two decimal places (a 422 otherwise)."""
    kwargs.setdefault("metadata", _MONEY)
    kwargs.setdefault("validate", _check_amount)
    return MoneyString(**kwargs)


class DeclaredSchema(Schema):
    """What the partner knows about the customer (optional; used for new-to-bank customers)."""

    monthly_income = Amount(load_default=None)
    employment_type = fields.String(validate=validate.OneOf(_EMPLOYMENT), load_default=None)
    age = fields.Integer(validate=validate.Range(min=16, max=100), load_default=None)


class PrequalCustomerSchema(Schema):
    phone = Phone(required=False, load_default=None)
    customer_ref = fields.String(
        validate=validate.Length(min=4, max=80),
        load_default=None,
        metadata={"description": "Instead of phone: the customer_ref you were given (yours only)."},
    )
    id_number = fields.String(validate=validate.Length(min=15, max=18), load_default=None)
    declared = fields.Nested(DeclaredSchema, load_default=None)

    @validates_schema
    def _one_identifier(self, data: dict[str, Any], **kwargs: Any) -> None:
        if (data.get("phone") is None) == (data.get("customer_ref") is None):
            raise ValidationError("give exactly one of phone or customer_ref", "phone")


class ScenarioSchema(Schema):
    """The purchase: its amount and the scenario's own fields."""

    type = fields.String(required=True, validate=validate.OneOf(SCENARIOS))
    amount = Amount(
        required=True,
        validate=_check_purchase_amount,
        metadata={
            "description": "Decimal string with two places; at most "
            f"{GLOBAL_EXPOSURE_CAP}, the most the bank lends one customer across partners."
        },
    )
    currency = fields.String(required=True, validate=validate.OneOf(("CNY",)))
    merchant_order_ref = fields.String(validate=validate.Length(min=1, max=64), load_default=None)
    item_category = fields.String(validate=validate.Length(min=1, max=64), load_default=None)
    departure_date = fields.Date(load_default=None)
    destination = fields.String(validate=validate.Length(min=1, max=64), load_default=None)
    institution = fields.String(validate=validate.Length(min=1, max=128), load_default=None)
    term_start = fields.Date(load_default=None)

    @validates_schema
    def _scenario_fields(self, data: dict[str, Any], **_: Any) -> None:
        allowed = {
            "ecommerce": {"item_category"},
            "travel": {"departure_date", "destination"},
            "education": {"institution", "term_start"},
        }.get(data.get("type", ""), set())
        every = {"item_category", "departure_date", "destination", "institution", "term_start"}
        errors = {
            name: [f"does not apply to scenario type {data.get('type')!r}"]
            for name in sorted(every - allowed)
            if data.get(name) is not None
        }
        if errors:
            raise ValidationError(errors)


class DeviceSchema(Schema):
    """The device the customer uses (optional): both values are hashed on arrival."""

    fingerprint = fields.String(required=True, validate=validate.Length(min=8, max=256))
    ip = fields.IP(load_default=None)


class PrequalificationCreateSchema(Schema):
    """Ask whether a customer is pre-approved for this purchase."""

    consent_id = fields.String(required=True, validate=validate.Length(min=4, max=32))
    customer = fields.Nested(PrequalCustomerSchema, required=True)
    scenario = fields.Nested(ScenarioSchema, required=True)
    requested_tenors = fields.List(
        fields.Integer(validate=validate.Range(min=1, max=60)),
        validate=validate.Length(min=1, max=12),
        load_default=None,
    )
    product_code = fields.String(validate=validate.Length(min=1, max=64), load_default=None)
    device = fields.Nested(
        DeviceSchema,
        load_default=None,
        metadata={"description": "For the bank's fraud checks; hashed on arrival, never stored."},
    )


class InstalmentSchema(Schema):
    number = fields.Integer()
    due_date = fields.String(metadata={"description": "YYYY-MM-DD"})
    payment = fields.String(metadata=_MONEY)
    principal = fields.String(metadata=_MONEY)
    interest = fields.String(metadata=_MONEY)
    fee = fields.String(metadata=_MONEY)
    balance_after = fields.String(metadata=_MONEY)


class OfferSchema(Schema):
    """An offer: every term and the full schedule, pinned by the decision's token."""

    id = fields.String()
    prequalification_id = fields.String()
    status = fields.String(metadata={"description": "open | accepted | void | expired"})
    void_reason = fields.String(
        allow_none=True,
        metadata={
            "description": "Why the offer is void: consent_revoked | superseded (else null)."
        },
    )
    product_code = fields.String()
    currency = fields.String()
    principal = fields.String(metadata=_MONEY)
    tenor_months = fields.Integer()
    repayment_method = fields.String(
        metadata={"description": "equal_instalment | equal_principal | fee_based"}
    )
    apr = fields.String(metadata={"description": "True APR (IRR of the cash flows), e.g. 0.1290"})
    monthly_payment = fields.String(metadata=_MONEY)
    total_interest = fields.String(metadata=_MONEY)
    total_fees = fields.String(metadata=_MONEY)
    total_cost = fields.String(metadata=_MONEY)
    total_repayable = fields.String(metadata=_MONEY)
    merchant_subsidy = fields.String(
        allow_none=True,
        metadata={"description": "What the merchant pays for a 0 % offer; never show customers."},
    )
    schedule = fields.List(fields.Nested(InstalmentSchema))
    expires_at = Timestamp()
    offer_token = fields.String(
        allow_none=True,
        metadata={
            "description": "Deprecated: JWS (typ offer+jwt) of an offer issued before decision "
            "tokens; null for newer offers, which the prequalification's decision_token signs.",
            "deprecated": True,
        },
    )


class ReasonSchema(Schema):
    code = fields.String()
    message = fields.String()
    locale = fields.String()


class PrequalificationSchema(Schema):
    """A decision with its offers, or its reasons."""

    id = fields.String()
    status = fields.String(
        metadata={"description": "approved | partially_approved | declined | referred"}
    )
    created_at = Timestamp()
    expires_at = Timestamp()
    consent_id = fields.String()
    currency = fields.String()
    requested_amount = fields.String(metadata=_MONEY)
    approved_amount = fields.String(allow_none=True, metadata=_MONEY)
    upfront_payment = fields.String(allow_none=True, metadata=_MONEY)
    decision_token = fields.String(
        allow_none=True,
        metadata={
            "description": "JWS (typ decision+jwt) pinning every offer's terms; verify with "
            "JWKS and accept any of the offers with it. Null when there are no offers."
        },
    )
    offers = fields.List(fields.Nested(OfferSchema))
    reasons = fields.List(fields.Nested(ReasonSchema))
    human_review = fields.Nested(HumanReviewSchema)
    pre_approved = fields.Boolean(
        metadata={"description": "the customer is on a campaign list this decision honours"}
    )
    campaign_id = fields.String(allow_none=True)
    pre_approved_limit = fields.String(
        allow_none=True,
        metadata={**_MONEY, "description": "the campaign's limit, lowered by fresh checks"},
    )


class ReasonsQuerySchema(Schema):
    locale = fields.String(load_default="en", validate=validate.OneOf(("zh-CN", "en")))


class ProductsQuerySchema(Schema):
    amount = Amount(load_default=None, metadata={"description": "Quote the teaser at this amount."})
    currency = fields.String(load_default="CNY", validate=validate.OneOf(("CNY",)))


class LocalisedNameSchema(Schema):
    zh_cn = fields.String(data_key="zh-CN")
    en = fields.String()


class TeaserSchema(Schema):
    monthly_payment_from = fields.String(metadata=_MONEY)
    tenor_months = fields.Integer()
    apr_from = fields.String()


class ProductSchema(Schema):
    """One product: limits, tenors, methods, and the lowest monthly payment."""

    code = fields.String()
    name = fields.Nested(LocalisedNameSchema)
    currency = fields.String()
    min_amount = fields.String(metadata=_MONEY)
    max_amount = fields.String(metadata=_MONEY)
    tenors = fields.List(fields.Integer())
    repayment_methods = fields.List(fields.String())
    teaser = fields.Nested(
        TeaserSchema,
        allow_none=True,
        metadata={"description": "'From X/month' at the best grade; null outside the limits."},
    )


class ProductListSchema(Schema):
    data = fields.List(fields.Nested(ProductSchema))
