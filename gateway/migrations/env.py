"""Alembic environment: runs online against the configured URL."""

from __future__ import annotations

from alembic import context

from gateway.db import create_db_engine
from gateway.models import load_all

config = context.config
target_metadata = load_all()


def run_migrations_online() -> None:
    """Run migrations in a transaction on one connection."""
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


run_migrations_online()
