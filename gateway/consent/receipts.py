"""Consent receipts: the fields of the Kantara Consent Receipt / ISO/IEC TS 27560 that apply.

The receipt is a JWS (``typ: consent-receipt+jwt``) signed with the gateway's
key, verifiable by anyone against ``/.well-known/jwks.json``. It names who
controls the data, the partner, each purpose with its notice version and
hash, the data categories, the customer reference (never the phone) and the
expiry of each consent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gateway.consent import notices

if TYPE_CHECKING:
    from gateway.consent.models import Consent
    from gateway.consent.types import Evidence

RECEIPT_VERSION = "KI-CR-v1.1.0"


def build_receipt_claims(
    *,
    receipt_id: str,
    issuer: str,
    issued_at: dt.datetime,
    tenant_partner_id: str,
    tenant_environment: str,
    partner_names: Mapping[str, str],
    customer_ref: str,
    consents: Sequence[Consent],
    rendered: Mapping[str, notices.RenderedNotice],
    evidence: Evidence,
) -> dict[str, Any]:
    """The receipt's JWT claims (no raw identifiers, no evidence IP or user agent)."""
    controller = notices.controller_identity("en")
    iat = int(issued_at.timestamp())
    expiry = max(int(c.expires_at.timestamp()) for c in consents)
    return {
        "iss": issuer,
        "jti": receipt_id,
        "iat": iat,
        "exp": expiry,
        "version": RECEIPT_VERSION,
        "jurisdiction": "CN",
        "consentTimestamp": iat,
        "collectionMethod": evidence.channel,
        "language": evidence.locale,
        "piiPrincipalId": customer_ref,
        "piiControllers": [
            {
                "piiController": controller["name"],
                "contact": controller["contact"],
                "address": controller["address"],
                "onBehalf": False,
            }
        ],
        "partner": {
            "id": tenant_partner_id,
            "name": partner_names.get("en") or tenant_partner_id,
            "environment": tenant_environment,
        },
        "services": [
            {
                "service": "instalment-prequalification",
                "purposes": [_purpose(consent, rendered[consent.purpose]) for consent in consents],
            }
        ],
        "sensitive": any(c.purpose == "credit_inquiry" for c in consents),
    }


def _purpose(consent: Consent, notice: notices.RenderedNotice) -> dict[str, Any]:
    return {
        "consentId": consent.id,
        "purpose": consent.purpose,
        "consentType": "EXPLICIT",
        "primaryPurpose": consent.purpose != "marketing",
        "required": notice.required,
        "noticeVersion": consent.notice_version,
        "noticeHash": consent.notice_hash,
        "piiCategory": list(notice.data_categories),
        "processingMethod": notice.processing_method,
        "recipients": list(notice.recipients),
        "termination": int(consent.expires_at.timestamp()),
        "thirdPartyDisclosure": consent.purpose == "credit_inquiry",
    }
