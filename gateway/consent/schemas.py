"""Marshmallow schemas of the consent endpoints (and of their OpenAPI description)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from gateway.api.fields import Phone, Timestamp
from gateway.consent.notices import LOCALES, PURPOSES

_PURPOSE_DOC = {"description": "prequalification | credit_inquiry | marketing"}


class NoticeQuerySchema(Schema):
    locale = fields.String(
        load_default="zh-CN",
        validate=validate.OneOf(LOCALES),
        metadata={"description": "zh-CN or en"},
    )


class NoticeControllerSchema(Schema):
    name = fields.String()
    contact = fields.String()
    address = fields.String()


class NoticePartnerSchema(Schema):
    id = fields.String()
    name = fields.String()


class ConsentNoticeSchema(Schema):
    """The notice text to show the customer, filled with the partner's identity."""

    purpose = fields.String(metadata=_PURPOSE_DOC)
    version = fields.String(
        metadata={"description": "Send this back as the grant's notice_version."}
    )
    locale = fields.String()
    hash = fields.String(metadata={"description": "sha256 of the rendered notice."})
    required = fields.Boolean(metadata={"description": "Whether the purpose is needed to proceed."})
    title = fields.String()
    text = fields.String()
    controller = fields.Nested(NoticeControllerSchema)
    partner = fields.Nested(NoticePartnerSchema)
    data_categories = fields.List(fields.String())
    processing_method = fields.String()
    retention = fields.String()
    recipients = fields.List(fields.String())
    withdrawal = fields.String()
    rights = fields.String()


class CustomerIdentitySchema(Schema):
    phone = Phone()
    id_number = fields.String(validate=validate.Length(min=15, max=18), load_default=None)


class GrantSchema(Schema):
    purpose = fields.String(required=True, validate=validate.OneOf(PURPOSES), metadata=_PURPOSE_DOC)
    granted = fields.Boolean(
        required=True,
        truthy={True},
        falsy={False},
        metadata={"description": "Must be the JSON value true: consent is never pre-ticked."},
    )
    notice_version = fields.String(required=True, validate=validate.Length(min=1, max=32))


class EvidenceSchema(Schema):
    captured_at = fields.AwareDateTime(
        required=True, metadata={"description": "When the customer ticked the box (≤ 10 min ago)."}
    )
    channel = fields.String(
        required=True,
        validate=validate.OneOf(("web", "app", "widget", "call_centre", "in_store")),
    )
    locale = fields.String(required=True, validate=validate.OneOf(LOCALES))
    ip = fields.IP(load_default=None)
    user_agent = fields.String(validate=validate.Length(max=512), load_default=None)
    page_url = fields.Url(validate=validate.Length(max=2048), load_default=None)


class ConsentCreateSchema(Schema):
    """One explicit grant per purpose, with the evidence of how it was captured."""

    customer = fields.Nested(CustomerIdentitySchema, required=True)
    grants = fields.List(
        fields.Nested(GrantSchema), required=True, validate=validate.Length(min=1, max=3)
    )
    evidence = fields.Nested(EvidenceSchema, required=True)


class ReceiptSchema(Schema):
    id = fields.String()
    token = fields.String(metadata={"description": "JWS; verify with /.well-known/jwks.json."})


class ConsentSchema(Schema):
    """One consent: a purpose, its notice version and hash, its status."""

    id = fields.String()
    purpose = fields.String(metadata=_PURPOSE_DOC)
    status = fields.String(metadata={"description": "active | revoked | expired"})
    customer_ref = fields.String()
    notice_version = fields.String()
    notice_hash = fields.String()
    locale = fields.String()
    granted_at = Timestamp()
    expires_at = Timestamp()
    revoked_at = Timestamp(allow_none=True)
    receipt_id = fields.String()
    receipt = fields.Nested(ReceiptSchema, allow_none=True)


class ConsentCreatedSchema(Schema):
    """The consents created and the receipt covering them."""

    consents = fields.List(fields.Nested(ConsentSchema))
    receipt = fields.Nested(ReceiptSchema)


class RevokeSchema(Schema):
    reason = fields.String(validate=validate.Length(max=200), load_default=None)


def consent_view(consent: Any, status: str, receipt: Any | None = None) -> dict[str, Any]:
    """A consent as the API shows it (``status`` as of now)."""
    return {
        "id": consent.id,
        "purpose": consent.purpose,
        "status": status,
        # The partner's own (pairwise) reference; the bank's stays internal.
        "customer_ref": consent.partner_customer_ref,
        "notice_version": consent.notice_version,
        "notice_hash": consent.notice_hash,
        "locale": consent.locale,
        "granted_at": consent.granted_at,
        "expires_at": consent.expires_at,
        "revoked_at": consent.revoked_at,
        "receipt_id": consent.receipt_id,
        "receipt": {"id": receipt.id, "token": receipt.token} if receipt is not None else None,
    }
