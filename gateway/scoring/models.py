"""Model activations: which artefact version every gateway process serves."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base


class ModelActivation(Base):
    """One ``gateway model activate`` (``role`` ``champion``) or ``gateway model shadow``
    (``role`` ``shadow``); the latest row of each role wins. A shadow row with
    no ``version`` clears the shadow.
    """

    __tablename__ = "model_activations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[str | None] = mapped_column(String(120))
    sha256: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), server_default="champion")
    activated_at: Mapped[dt.datetime]
