"""Encryption at rest for private signing keys.

A private key is stored as AES-256-GCM ciphertext under a key derived with
HKDF-SHA256 from ``Settings.secret_key``; the ``kid`` is the associated data,
so a ciphertext cannot be moved to another row. Anyone with a database dump
but not the secret key cannot sign.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"instalments-gateway signing keys v1"
_NONCE = 12


def _aead(secret_key: str) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        secret_key.encode()
    )
    return AESGCM(derived)


def seal(secret_key: str, kid: str, private_key: ec.EllipticCurvePrivateKey) -> bytes:
    """Encrypt ``private_key`` (PKCS #8 DER) for storage under ``kid``."""
    der = private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    nonce = os.urandom(_NONCE)
    return nonce + _aead(secret_key).encrypt(nonce, der, kid.encode())


def unseal(secret_key: str, kid: str, sealed: bytes) -> ec.EllipticCurvePrivateKey:
    """Decrypt a stored private key.

    Raises:
        cryptography.exceptions.InvalidTag: wrong secret key or tampered row.
    """
    der = _aead(secret_key).decrypt(sealed[:_NONCE], sealed[_NONCE:], kid.encode())
    key = serialization.load_der_private_key(der, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise TypeError("stored signing key is not an EC key")
    return key
