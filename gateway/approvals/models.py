"""Approval requests: what is asked, on what, by whom, and who approved it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base


class ApprovalRequest(Base):
    """One four-eyes request.

    ``status``: ``pending`` → ``approved`` | ``rejected`` | ``expired``, and an
    approved single-use request (live credentials, model activation, overturn)
    becomes ``used`` when the action it allowed is done. Requester and approver
    are ops users' e-mail addresses (``requested_by`` never equals ``decided_by``).
    """

    __tablename__ = "approval_requests"
    __table_args__ = (Index("ix_approval_requests_type_target", "type", "target", "status"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500))
    requested_by: Mapped[str] = mapped_column(String(254))
    requested_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    decided_by: Mapped[str | None] = mapped_column(String(254))
    decided_at: Mapped[dt.datetime | None]
    used_at: Mapped[dt.datetime | None]
