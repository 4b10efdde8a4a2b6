"""Persistence without Flask: column types, the declarative base, engines, read snapshots.

The request's session lives in :mod:`gateway.sessions` (the Flask side).
"""

from gateway.db.base import NAMING_CONVENTION, Base, table_of
from gateway.db.engine import Database, create_db_engine, normalise_url
from gateway.db.reading import WriteInReadingScope, reading, reads_apart
from gateway.db.types import Money, Rate, UTCDateTime

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "Database",
    "Money",
    "Rate",
    "UTCDateTime",
    "WriteInReadingScope",
    "create_db_engine",
    "normalise_url",
    "reading",
    "reads_apart",
    "table_of",
]
