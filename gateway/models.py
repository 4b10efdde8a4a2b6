"""Import every domain's models so ``Base.metadata`` knows all tables.

Add one line here when a domain gains a ``models`` module.
"""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

from gateway.db import Base

DOMAIN_MODEL_MODULES: tuple[str, ...] = ("gateway.idempotency.models",)


def load_all() -> MetaData:
    """Import every models module and return the complete metadata."""
    for module in DOMAIN_MODEL_MODULES:
        importlib.import_module(module)
    return Base.metadata
