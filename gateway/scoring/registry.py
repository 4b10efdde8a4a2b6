"""Which model serves: activations in the database, artefacts on disk, a cached scorer.

``gateway model activate VERSION`` appends a :class:`ModelActivation` row; the
latest row wins. Every gateway process keeps its :class:`CompiledScorer` and
re-reads the active version at most once per ``refresh_seconds`` (one indexed
primary-key query), so an activation reaches every process within about a
second, without a restart. With no activation the bundled default model serves.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.errors import NotFound
from gateway.scoring.artefact import (
    ArtefactInvalid,
    bundled_version,
    find_artefacts,
    load_artefact,
)
from gateway.scoring.models import ModelActivation
from gateway.scoring.scorer import CompiledScorer

_log = logging.getLogger(__name__)


class ModelNotFound(NotFound):
    """No artefact with that version in the model directory or the bundled default."""

    code = "model_not_found"
    title = "Model not found"


def active_version(session: Session) -> str | None:
    """The version of the latest activation, or ``None`` if none was ever made."""
    return session.scalar(
        select(ModelActivation.version)
        .where(ModelActivation.role == "champion")
        .order_by(ModelActivation.id.desc())
        .limit(1)
    )


def shadow_version(session: Session) -> str | None:
    """The shadow challenger's version, or ``None`` (never set, or cleared)."""
    return session.scalar(
        select(ModelActivation.version)
        .where(ModelActivation.role == "shadow")
        .order_by(ModelActivation.id.desc())
        .limit(1)
    )


def set_shadow(session: Session, model_dir: Path, version: str | None) -> ModelActivation:
    """Make ``version`` the shadow challenger (``None`` clears it); the caller commits.

    The shadow scores every live decision beside the champion and decides
    nothing; its score is stored with the decision for the monitoring report.

    Raises:
        ModelNotFound: no artefact has that version.
        ArtefactInvalid: the artefact fails its hash check.
    """
    sha256 = None
    if version is not None:
        path = find_artefacts(model_dir).get(version)
        if path is None:
            raise ModelNotFound(f"no model {version} in {model_dir} or the bundled default")
        sha256 = load_artefact(path)["sha256"]
    row = ModelActivation(version=version, sha256=sha256, role="shadow", activated_at=utcnow())
    session.add(row)
    session.flush()
    return row


def activate(session: Session, model_dir: Path, version: str) -> ModelActivation:
    """Make ``version`` the active model for every gateway process (the caller commits).

    Args:
        session: a database session.
        model_dir: ``Settings.model_dir``.
        version: an artefact version (see ``gateway model list``).

    Returns:
        The activation row.

    Raises:
        ModelNotFound: no artefact has that version.
        ArtefactInvalid: the artefact fails its hash check.
    """
    path = find_artefacts(model_dir).get(version)
    if path is None:
        raise ModelNotFound(f"no model {version} in {model_dir} or the bundled default")
    artefact = load_artefact(path)
    row = ModelActivation(
        version=version, sha256=artefact["sha256"], role="champion", activated_at=utcnow()
    )
    session.add(row)
    session.flush()
    return row


class ModelRegistry:
    """One process's cached scorer, re-read from the database at most every ``refresh_seconds``."""

    def __init__(self, model_dir: Path, refresh_seconds: float = 1.0) -> None:
        self.model_dir = Path(model_dir)
        self.refresh_seconds = refresh_seconds
        self._scorer: CompiledScorer | None = None
        self._checked = float("-inf")
        self._lock = threading.Lock()
        self._shadow: CompiledScorer | None = None
        self._shadow_checked = float("-inf")

    def scorer(self, session: Session) -> CompiledScorer:
        """The active scorer; re-checks the active version when the interval has passed.

        Raises:
            ModelNotFound: the activated version's artefact is not on this host.
            ArtefactInvalid: the artefact fails its hash check.
        """
        now = time.monotonic()
        current = self._scorer
        if current is not None and now - self._checked < self.refresh_seconds:
            return current
        wanted = active_version(session) or bundled_version()
        with self._lock:
            self._checked = now
            if self._scorer is None or self._scorer.version != wanted:
                try:
                    self._scorer = self.load(wanted)
                except (ModelNotFound, ArtefactInvalid) as exc:
                    if self._scorer is None:
                        raise
                    # Keep serving the model we have rather than failing requests.
                    _log.warning("model %s not loaded: %s", wanted, exc)
            return self._scorer

    def shadow(self, session: Session) -> CompiledScorer | None:
        """The shadow challenger's scorer, or ``None``; re-checked like :meth:`scorer`.

        A shadow whose artefact cannot be loaded is dropped with a warning: it
        must never fail a live decision.
        """
        now = time.monotonic()
        if now - self._shadow_checked < self.refresh_seconds:
            return self._shadow
        wanted = shadow_version(session)
        with self._lock:
            self._shadow_checked = now
            if wanted is None:
                self._shadow = None
            elif self._shadow is None or self._shadow.version != wanted:
                try:
                    self._shadow = self.load(wanted)
                except (ModelNotFound, ArtefactInvalid) as exc:
                    _log.warning("shadow model %s not loaded: %s", wanted, exc)
                    self._shadow = None
            return self._shadow

    def load(self, version: str) -> CompiledScorer:
        """Compile the artefact of ``version``.

        Raises:
            ModelNotFound: no such artefact.
            ArtefactInvalid: the artefact fails its hash check.
        """
        path = find_artefacts(self.model_dir).get(version)
        if path is None:
            raise ModelNotFound(f"active model {version} is not in {self.model_dir}")
        return CompiledScorer(load_artefact(path))


def active_scorer(session: Session | None = None) -> CompiledScorer:
    """The current app's active :class:`CompiledScorer`.

    Args:
        session: the session to read the activation with (the request's by default).

    Returns:
        The scorer of the active model (the bundled default if none was activated).
    """
    from gateway.sessions import session as request_session

    registry: ModelRegistry = current_app.extensions["gateway.scoring"]
    return registry.scorer(session if session is not None else request_session())


def shadow_scorer(session: Session | None = None) -> CompiledScorer | None:
    """The current app's shadow challenger, or ``None`` when no shadow is set."""
    from gateway.sessions import session as request_session

    registry: ModelRegistry = current_app.extensions["gateway.scoring"]
    return registry.shadow(session if session is not None else request_session())


__all__ = [
    "ArtefactInvalid",
    "ModelNotFound",
    "ModelRegistry",
    "activate",
    "active_scorer",
    "set_shadow",
    "shadow_scorer",
]
