"""Import every domain's models so ``Base.metadata`` knows all tables."""

from __future__ import annotations

from sqlalchemy import MetaData

from gateway.db import Base
from gateway.domains import domain_modules


def load_all() -> MetaData:
    """Import every ``gateway.<domain>.models`` and return the complete metadata."""
    domain_modules("models")
    return Base.metadata
