"""Consent notices, consents and their signed receipts.

Re-exported by :mod:`instalments.types`; import them from there.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime

from ._model import Model

Purpose = Literal["prequalification", "credit_inquiry", "marketing"]


class NoticeController(Model):
    """Who controls the data (the bank)."""

    name: str
    contact: str


class NoticePartner(Model):
    """The partner the notice names."""

    id: str
    name: str


class ConsentNotice(Model):
    """The current notice text for one purpose; show it before asking for consent."""

    purpose: Purpose
    version: str
    locale: str
    hash: str
    title: str
    text: str
    controller: NoticeController
    partner: NoticePartner
    data_categories: list[str]
    retention: str
    recipients: list[str]
    withdrawal: str
    required: bool


class ConsentNoticeList(Model):
    """Every purpose's current notice in one locale."""

    data: list[ConsentNotice]


class ConsentReceipt(Model):
    """A signed receipt (JWS, verify with the gateway's JWKS)."""

    id: str
    token: str | None = None


class Consent(Model):
    """One consent for one purpose."""

    id: str
    purpose: Purpose
    status: Literal["active", "revoked", "expired"]
    #: Your reference for this customer: derived for your company alone
    #: (pairwise), so it matches no other partner's reference to the same person.
    customer_ref: str
    notice_version: str
    notice_hash: str
    granted_at: AwareDatetime
    expires_at: AwareDatetime | None = None
    revoked_at: AwareDatetime | None = None
    receipt_id: str | None = None
    receipt: ConsentReceipt | None = None


class ConsentCreateResponse(Model):
    """One consent per grant, and the receipt covering them."""

    consents: list[Consent]
    receipt: ConsentReceipt
