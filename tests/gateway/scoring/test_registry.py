"""Activation: every gateway process switches to an activated model without restart."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from gateway.app import create_app
from gateway.config import Settings
from gateway.scoring.artefact import (
    bundled_version,
    find_artefacts,
    load_artefact,
    seal,
    write_artefact,
)
from gateway.scoring.registry import ModelNotFound, ModelRegistry, activate, active_scorer
from gateway.sessions import get_database


def _alternative_model(model_dir: Path) -> dict[str, Any]:
    """The bundled model under another name: a real, distinct, valid artefact."""
    bundled = load_artefact(find_artefacts(model_dir)[bundled_version()])
    alt = seal({**bundled, "name": "alternative"})
    write_artefact(alt, model_dir)
    return alt


def test_without_an_activation_the_bundled_default_serves(app: Flask) -> None:
    with app.app_context():
        session = get_database().new_session()
        assert active_scorer(session).version == bundled_version()
        session.close()


def test_activating_an_unknown_version_is_refused(app: Flask, settings: Settings) -> None:
    with app.app_context():
        session = get_database().new_session()
        with pytest.raises(ModelNotFound):
            activate(session, settings.model_dir, "default-ffffffffffff")
        session.close()


@pytest.mark.committing
def test_model_activate_switches_a_running_gateway_without_restart(
    app: Flask, settings: Settings
) -> None:
    alt = _alternative_model(settings.model_dir)
    with app.app_context():
        session = get_database().new_session()
        assert active_scorer(session).version == bundled_version()
        session.rollback()  # end the read, as a request does (SQLite takes a write lock)
        # Another process (the operator's CLI) activates the alternative model.
        operator = create_app(settings)
        result = operator.test_cli_runner().invoke(
            args=["model", "activate", alt["version"], "--break-glass", "test: no approver here"]
        )
        operator.extensions["gateway.db"].dispose()
        assert result.exit_code == 0, result.output
        # The running app re-checks at most once a second, then switches.
        deadline = time.monotonic() + 3
        version = active_scorer(session).version
        while version != alt["version"] and time.monotonic() < deadline:
            time.sleep(0.1)
            session.rollback()  # a fresh snapshot for the next look
            version = active_scorer(session).version
        assert version == alt["version"]
        session.close()


@pytest.mark.committing
def test_the_registry_rechecks_at_most_once_per_interval(app: Flask, settings: Settings) -> None:
    alt = _alternative_model(settings.model_dir)
    registry = ModelRegistry(settings.model_dir, refresh_seconds=60)
    with app.app_context():
        session = get_database().new_session()
        assert registry.scorer(session).version == bundled_version()
        session.rollback()
        activate(session, settings.model_dir, alt["version"])
        session.commit()
        # Within the interval the cached scorer answers without asking the database.
        assert registry.scorer(session).version == bundled_version()
        registry.refresh_seconds = 0
        assert registry.scorer(session).version == alt["version"]
        session.close()
