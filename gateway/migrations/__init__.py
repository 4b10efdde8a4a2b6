"""Alembic migrations, run with ``gateway db upgrade``.

Each domain may keep its own branch (``branch_labels``) so work on separate
domains never fights over one linear history; ``upgrade`` goes to ``heads``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from gateway.db import normalise_url

HERE = Path(__file__).parent


def alembic_config(database_url: str, identifier_pepper: str | None = None) -> Config:
    """An Alembic config for our scripts and ``database_url``.

    ``identifier_pepper`` is handed to data migrations that derive keyed
    references (``config.attributes["identifier_pepper"]``).
    """
    config = Config()
    config.set_main_option("script_location", str(HERE))
    url = normalise_url(database_url).render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    if identifier_pepper:
        config.attributes["identifier_pepper"] = identifier_pepper
    return config


def upgrade(
    database_url: str, revision: str = "heads", *, identifier_pepper: str | None = None
) -> None:
    """Apply migrations up to ``revision`` (all branch heads by default)."""
    command.upgrade(alembic_config(database_url, identifier_pepper), revision)


def current_heads(database_url: str) -> set[str]:
    """The revisions the database is at."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()
