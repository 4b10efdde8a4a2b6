"""The retention job's own record: when it last ran and what it removed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base


class RetentionRun(Base):
    """One ``gateway retention run`` (the worker's daily one included)."""

    __tablename__ = "retention_runs"
    __table_args__ = (Index("ix_retention_runs_started", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    dry_run: Mapped[bool] = mapped_column(Boolean)
    removed: Mapped[dict[str, Any]] = mapped_column(JSON)
