"""Marshmallow schemas of checkout sessions and the widget's calls."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from gateway.api.fields import Phone, Timestamp
from gateway.consent.schemas import ConsentNoticeSchema
from gateway.prequal.schemas import SCENARIOS, Amount, OfferSchema, PrequalificationSchema

LOCALES = ("zh-CN", "en")
PURPOSES = ("prequalification", "credit_inquiry", "marketing")


class CheckoutSessionCreateSchema(Schema):
    """A basket, its scenario and the one page origin the widget will run on."""

    amount = Amount(required=True)
    currency = fields.String(required=True, validate=validate.OneOf(("CNY",)))
    scenario = fields.String(required=True, validate=validate.OneOf(SCENARIOS))
    allowed_origin = fields.String(
        required=True,
        validate=validate.Length(min=8, max=255),
        metadata={"description": "scheme://host[:port] of the checkout page; one of yours."},
    )
    merchant_order_ref = fields.String(validate=validate.Length(min=1, max=64), load_default=None)


class CheckoutSessionSchema(Schema):
    """The session's id and the client token to hand to the widget."""

    id = fields.String()
    client_token = fields.String(
        metadata={"description": "Short-lived (15 minutes); give it to Instalments.mount."}
    )
    expires_at = Timestamp()


class LocaleQuerySchema(Schema):
    locale = fields.String(load_default="en", validate=validate.OneOf(LOCALES))


class LocaleBodySchema(Schema):
    locale = fields.String(load_default="en", validate=validate.OneOf(LOCALES))


class WidgetPrequalifySchema(LocaleBodySchema):
    """The widget's prequalification request: the locale, and the device if the script sends it."""

    device_fingerprint = fields.String(
        load_default=None,
        validate=validate.Length(min=8, max=256),
        metadata={"description": "For the bank's fraud checks; hashed on arrival, never stored."},
    )


class WidgetGrantSchema(Schema):
    purpose = fields.String(required=True, validate=validate.OneOf(PURPOSES))
    notice_version = fields.String(required=True, validate=validate.Length(min=1, max=32))


class WidgetConsentCreateSchema(Schema):
    """What the customer typed and ticked: one grant per ticked purpose."""

    phone = Phone()
    grants = fields.List(
        fields.Nested(WidgetGrantSchema), required=True, validate=validate.Length(min=1, max=3)
    )
    locale = fields.String(load_default="en", validate=validate.OneOf(LOCALES))
    page_url = fields.String(validate=validate.Length(min=1, max=2048), load_default=None)


class WidgetConsentSchema(Schema):
    id = fields.String()
    purpose = fields.String()
    status = fields.String()
    expires_at = Timestamp()


class WidgetConsentsSchema(Schema):
    """The consents recorded; the receipt id the customer may quote."""

    consents = fields.List(fields.Nested(WidgetConsentSchema))
    receipt_id = fields.String()


class NoticeListSchema(Schema):
    """The three notices, in the order the widget shows them."""

    data = fields.List(fields.Nested(ConsentNoticeSchema))


class SessionStateSchema(Schema):
    """What the widget needs to (re)draw itself."""

    id = fields.String()
    amount = fields.String()
    currency = fields.String()
    scenario = fields.String()
    expires_at = Timestamp()
    partner = fields.Dict()
    customer_bound = fields.Boolean()
    consents = fields.Dict(keys=fields.String(), values=fields.Boolean())
    prequalification_id = fields.String(allow_none=True)
    selected_offer_id = fields.String(
        allow_none=True, metadata={"description": "The one offer chosen in this session."}
    )
    application_status = fields.String(
        allow_none=True,
        metadata={"description": "Status of the application for the chosen offer, once accepted."},
    )


class BrowserOfferSchema(OfferSchema):
    """An offer as the customer sees it: the token stays with the partner's server,
    and what the merchant pays for a 0 % offer is never shown to customers."""

    class Meta:
        exclude = ("offer_token", "merchant_subsidy")


class PlanSchema(Schema):
    """One card per tenor: its offers (one per repayment method), default first."""

    tenor_months = fields.Integer()
    offer_ids = fields.List(fields.String())
    default_offer_id = fields.String()
    interest_free = fields.Boolean()
    recommended = fields.Boolean()


class BrowserPrequalificationSchema(PrequalificationSchema):
    """A decision as the customer sees it: no tokens (the decision token pins the
    merchant subsidy), no merchant subsidy."""

    class Meta:
        exclude = ("decision_token",)

    offers = fields.List(fields.Nested(BrowserOfferSchema))
    plans = fields.List(fields.Nested(PlanSchema))
    recommendation_rule = fields.String(
        allow_none=True,
        metadata={"description": "partner_default | longest_interest_free | lowest_total_cost"},
    )


class DisplayedSchema(Schema):
    """The offers the customer has on screen."""

    offer_ids = fields.List(
        fields.String(validate=validate.Length(min=1, max=32)),
        required=True,
        validate=validate.Length(min=1, max=30),
    )


class DisplayedRecordedSchema(Schema):
    recorded = fields.List(fields.String())


class MessageQuerySchema(Schema):
    """Which partner's products, and the product's or cart's amount."""

    partner = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{1,62}$"))
    amount = Amount(required=True)


class MessageSchema(Schema):
    """The "from ¥x/month · annualised from y%" of an amount: the same for every visitor."""

    partner = fields.String()
    amount = fields.String()
    currency = fields.String()
    available = fields.Boolean(
        metadata={"description": "false: no product of the partner lends this amount."}
    )
    monthly_payment_from = fields.String(allow_none=True)
    tenor_months = fields.Integer(allow_none=True)
    apr_from = fields.String(allow_none=True)
    interest_free_available = fields.Boolean()


class SelectionSchema(Schema):
    """The chosen offer, and what the partner's server needs to accept it."""

    checkout_session_id = fields.String()
    offer_id = fields.String()
    credit_inquiry_consent_id = fields.String()
    selected_at = Timestamp()
