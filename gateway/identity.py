"""Customer identifiers become keyed hashes at the edge.

A raw phone number or ID number never reaches storage or logs: the moment a
request is parsed, :func:`customer_ref` turns the phone into a reference keyed
by ``GATEWAY_IDENTIFIER_PEPPER`` (HMAC-SHA256), the same for every partner, so
the bank recognises one customer across partners without knowing the number
from the database alone.

That reference is the bank's own and stays internal. A partner sees
:func:`pairwise_customer_ref` instead, derived per partner as OpenID Connect
derives pairwise subject identifiers: two partners comparing the references
they were given cannot tell whether they share a customer.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from gateway.errors import ValidationFailed

_PHONE = re.compile(r"^\+[1-9]\d{6,14}$")
_CN_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalise_phone(raw: str, field: str = "customer.phone") -> str:
    """E.164 form: strips spaces and dashes; a bare PRC mobile gains ``+86``.

    Raises:
        ValidationFailed: not a phone number (the value is never quoted).
    """
    cleaned = re.sub(r"[\s\-()]", "", raw or "")
    if _CN_MOBILE.match(cleaned):
        cleaned = "+86" + cleaned
    elif cleaned.startswith("0086"):
        cleaned = "+" + cleaned[2:]
    if not _PHONE.match(cleaned):
        raise ValidationFailed({field: "must be a phone number in E.164 form, e.g. +8613800000001"})
    return cleaned


def normalise_id_number(raw: str, field: str = "customer.id_number") -> str:
    """An 18-character PRC resident ID number with a valid check character.

    Raises:
        ValidationFailed: malformed or failing the ISO 7064 check.
    """
    cleaned = (raw or "").strip().upper()
    if not _ID_NUMBER.match(cleaned):
        raise ValidationFailed({field: "must be an 18-character resident ID number"})
    if id_check_character(cleaned[:17]) != cleaned[17]:
        raise ValidationFailed({field: "check character does not match"})
    return cleaned


def id_check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of a resident ID number's first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _keyed(pepper: str, kind: str, value: str) -> str:
    return hmac.new(pepper.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def customer_ref(pepper: str, phone: str) -> str:
    """The customer reference: ``cus_`` + HMAC-SHA256 of the normalised phone.

    Args:
        pepper: ``Settings.identifier_pepper``.
        phone: a raw phone number (normalised here).

    Returns:
        A stable reference, 68 characters.
    """
    return "cus_" + _keyed(pepper, "phone", normalise_phone(phone))


def device_hash(pepper: str, fingerprint: str) -> str:
    """Keyed hash of a device fingerprint (the risk rules count customers per device)."""
    return "dvh_" + _keyed(pepper, "device", fingerprint.strip())


def ip_hash(pepper: str, ip: str) -> str:
    """Keyed hash of an IP address: the device's network, never stored in the clear."""
    return "iph_" + _keyed(pepper, "ip", ip.strip().lower())


def pairwise_customer_ref(pepper: str, partner_id: str, customer_ref: str) -> str:
    """The reference ``partner_id`` sees for the customer the bank knows as ``customer_ref``.

    Args:
        pepper: ``Settings.identifier_pepper``.
        partner_id: the partner the reference is for.
        customer_ref: the bank's internal reference (:func:`customer_ref`).

    Returns:
        ``cus_`` + HMAC-SHA256 over the partner id and the internal reference:
        stable for one partner, unrelated between partners, not reversible
        without the pepper.

    Raises:
        ValueError: no pepper (a reference keyed with nothing would be guessable).
    """
    if not pepper:
        raise ValueError("a pairwise reference needs the identifier pepper")
    return "cus_" + _keyed(pepper, "pairwise", f"{partner_id}\x1f{customer_ref}")


def id_number_hash(pepper: str, id_number: str) -> str:
    """Keyed hash of a resident ID number (stored to match a customer, never the number)."""
    return "idh_" + _keyed(pepper, "id", normalise_id_number(id_number))
