"""The monitoring report: stability, mix, performance and shadow, over one window.

``build`` reads (via :mod:`.sample`) and computes (via the pure modules);
``record`` stores the alerting figures as a snapshot for ``/metrics``.
Rendering is :mod:`.rendering`'s job.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from gateway.clock import rfc3339
from gateway.monitoring import sample
from gateway.monitoring.characteristics import stability
from gateway.monitoring.maturity import matured_loans, performance
from gateway.monitoring.mix import mix
from gateway.monitoring.models import MonitoringSnapshot
from gateway.monitoring.shadow import comparison
from gateway.monitoring.stability import ALERT, WATCH
from gateway.scoring.scorer import CompiledScorer


@dataclass(frozen=True)
class Thresholds:
    """PSI/CSI levels and the performance window (configurable per run)."""

    watch: float = WATCH
    alert: float = ALERT
    window_months: int = 12


def development_figures(artefact: dict[str, Any]) -> dict[str, Any]:
    """The champion's out-of-fold figures from its training (in-sample if no CV was run)."""
    metrics = artefact.get("metrics", {})
    cv = metrics.get("cross_validation", {}).get("models", {}).get("champion", {})
    source = cv or metrics.get("training", {})
    figures: dict[str, Any] = {k: source[k] for k in ("auc", "ks", "brier") if k in source}
    figures["auc_by_pd_cap"] = artefact.get("baseline", {}).get("auc_by_pd_cap", [])
    return figures


def build(
    session: Session,
    scorer: CompiledScorer,
    *,
    since: dt.datetime,
    now: dt.datetime,
    partner: str | None = None,
    environment: str | None = None,
    thresholds: Thresholds | None = None,
) -> dict[str, Any]:
    """Compute the whole report for decisions made in ``[since, now)``.

    Performance reads every loan with outcomes (a loan matures long after its
    decision, so the window there is the performance window, not ``since``).
    """
    thresholds = thresholds or Thresholds()
    decided = sample.decisions(
        session, since=since, until=now, partner=partner, environment=environment
    )
    bank_customers = [d for d in decided if not d.new_to_bank and d.features is not None]
    by_partner: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for decision in bank_customers:
        assert decision.features is not None
        by_partner[decision.partner_id].append(decision.features)
    rows = [d.features for d in bank_customers if d.features is not None]
    overall = stability(scorer, rows, watch=thresholds.watch, alert=thresholds.alert)
    partners = {}
    for name in sorted(by_partner):
        figures = stability(
            scorer, by_partner[name], watch=thresholds.watch, alert=thresholds.alert
        )
        top = figures["characteristics"][0] if figures["characteristics"] else None
        partners[name] = {
            "decisions": figures["decisions"],
            "psi": figures["score"]["psi"],
            "level": figures["score"]["level"],
            "top_characteristic": top and {k: top[k] for k in ("name", "csi", "level")},
        }
    history = sample.loans(
        session,
        since=now - dt.timedelta(days=31 * (thresholds.window_months + 24)),
        partner=partner,
        environment=environment,
    )
    development = development_figures(dict(scorer.artefact))
    return {
        "generated_at": rfc3339(now),
        "window": {"since": rfc3339(since), "until": rfc3339(now)},
        "filters": {"partner": partner, "environment": environment},
        "model": {"version": scorer.version, "development": development},
        "thresholds": {
            "watch": thresholds.watch,
            "alert": thresholds.alert,
            "performance_window_months": thresholds.window_months,
        },
        "stability": {"overall": overall, "partners": partners},
        "mix": mix(decided),
        "performance": performance(
            history, now=now, window_months=thresholds.window_months, development=development
        ),
        "shadow": comparison(
            decided,
            matured_loans(history, now, thresholds.window_months),
            thresholds.window_months,
        ),
    }


def gauges(report: dict[str, Any]) -> dict[str, Any]:
    """The figures ``/metrics`` exposes, from a report."""
    overall = report["stability"]["overall"]
    return {
        "psi": overall["score"]["psi"],
        "csi": {c["name"]: c["csi"] for c in overall["characteristics"]},
        "approval_rate": {
            name: figures["approval_rate"] for name, figures in report["mix"]["partners"].items()
        },
        "decisions": overall["decisions"],
    }


def record(
    session: Session, report: dict[str, Any], *, since: dt.datetime, now: dt.datetime
) -> MonitoringSnapshot:
    """Store the report's gauges as the latest snapshot (the caller commits)."""
    snapshot = MonitoringSnapshot(
        model_version=report["model"]["version"],
        window_start=since,
        computed_at=now,
        gauges=gauges(report),
    )
    session.add(snapshot)
    session.flush()
    return snapshot
