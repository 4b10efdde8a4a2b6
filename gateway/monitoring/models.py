"""Monitoring snapshots: the alerting figures of the latest run, read by ``/metrics``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base


class MonitoringSnapshot(Base):
    """One ``gateway model monitor`` run's gauges (PSI, CSI per characteristic,
    approval rate per partner) for the model it monitored; the latest row is
    what ``/metrics`` exposes."""

    __tablename__ = "monitoring_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model_version: Mapped[str] = mapped_column(String(120))
    window_start: Mapped[dt.datetime]
    computed_at: Mapped[dt.datetime] = mapped_column(index=True)
    gauges: Mapped[dict[str, Any]] = mapped_column(JSON)
