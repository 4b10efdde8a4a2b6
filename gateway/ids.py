"""Public identifiers: a type prefix and 128+ bits of randomness.

``cns_``, ``pq_``, ``off_``, ``app_`` … ids cannot be guessed or enumerated.
"""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits
_LENGTH = 24  # 24 base62 characters ≈ 143 bits


def new_id(prefix: str) -> str:
    """Return ``<prefix>_<24 random base62 characters>``."""
    return f"{prefix}_" + "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))
