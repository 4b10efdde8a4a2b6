"""What the model page shows: the model versions with their roles and activation
requests, and the monitoring report's body ready to embed in the console layout."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session

from gateway.approvals import services as approvals
from gateway.monitoring.rendering import render_body
from gateway.monitoring.report import build
from gateway.scoring.artefact import ArtefactInvalid, bundled_version, find_artefacts, load_artefact
from gateway.scoring.registry import active_scorer, active_version, shadow_version

ACTIVATION = "model-activation"
WINDOWS = {"7d": 7, "30d": 30, "90d": 90, "365d": 365}


def versions(session: Session, model_dir: Path, now: dt.datetime) -> list[dict[str, Any]]:
    """Every model version on this host: active, shadow, bundled, valid, CV AUC, activation.

    ``activation`` is the latest ``model-activation`` request of the version
    with its effective status (``pending``, ``approved``, ``used``, …), if any.
    """
    default = bundled_version()
    active = active_version(session) or default
    shadow = shadow_version(session)
    requests: dict[str, Any] = {}
    for row in approvals.list_requests(session, limit=500):
        if row.type == ACTIVATION and row.target not in requests:
            requests[row.target] = row
    rows = []
    for version, path in sorted(find_artefacts(model_dir).items()):
        try:
            artefact = load_artefact(path)
            cv = artefact["metrics"].get("cross_validation", {}).get("models", {})
            auc, valid = cv.get("champion", {}).get("auc"), True
        except ArtefactInvalid:
            auc, valid = None, False
        request = requests.get(version)
        rows.append(
            {
                "version": version,
                "active": version == active,
                "shadow": version == shadow,
                "bundled": version == default,
                "valid": valid,
                "cv_auc": auc,
                "activation": request,
                "activation_status": (
                    approvals.effective_status(request, now) if request is not None else None
                ),
            }
        )
    return rows


def report_body(
    session: Session, *, days: int, partner: str | None, now: dt.datetime
) -> tuple[dict[str, Any], Markup]:
    """The monitoring report of the active model (not recorded for ``/metrics``) and its HTML."""
    report = build(
        session,
        active_scorer(session),
        since=now - dt.timedelta(days=days),
        now=now,
        partner=partner,
    )
    # render_body escapes every value and uses no inline style or script (CSP-safe).
    return report, Markup(render_body(report))  # noqa: S704
