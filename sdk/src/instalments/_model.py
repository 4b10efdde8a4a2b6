"""The base of every response model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base of every response model: unknown fields are kept, never refused."""

    model_config = ConfigDict(extra="allow")
