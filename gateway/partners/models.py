"""Partners as applied from their reviewed configuration files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base


class PartnerRecord(Base):
    """One partner. ``config`` is the validated file as JSON; ``config_hash`` its SHA-256.

    Status has two sources: the file (``config_status``) and operations
    (``suspended_at``, set by ``gateway partners suspend``). The partner is
    active only when both allow it, so re-applying a file never lifts an
    operator's suspension.
    """

    __tablename__ = "partners"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    scenario: Mapped[str] = mapped_column(String(16))
    config_status: Mapped[str] = mapped_column(String(16))
    suspended_at: Mapped[dt.datetime | None]
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    config_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]

    @property
    def status(self) -> str:
        """``active`` or ``suspended``."""
        if self.config_status != "active" or self.suspended_at is not None:
            return "suspended"
        return "active"
