"""Domain events of the consent domain, for other domains to react to.

The offers domain listens to :data:`consent_revoked` to void open offers that
relied on the revoked consent *in the same transaction* as the revocation.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent with ``sender=consent`` and keyword ``session`` when a consent is revoked.
consent_revoked = _signals.signal("consent-revoked")
