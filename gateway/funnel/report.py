"""The funnel report: where customers drop out, by partner, scenario, segment and arm.

Unit: one prequalification (one customer at one checkout). Its furthest step:

    prequalified → approved → displayed → selected → accepted
                 → approved at underwriting → funded

``approved`` means offers were made (approved or partially approved);
``displayed`` and ``selected`` come from the partner's funnel events;
``accepted`` is an application; then its underwriting decision and funding.
A prequalification counts at every step up to the furthest one it has
evidence for, so a partner that forgets to report ``offer_displayed`` for an
accepted offer does not make conversions exceed 100 %.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.campaigns.funnel import campaign_funnel
from gateway.funnel.models import FunnelEvent
from gateway.funnel.stats import compare, rate
from gateway.prequal.models import Prequalification
from gateway.reviews.report import review_counts

STEPS = (
    "prequalified",
    "approved",
    "displayed",
    "selected",
    "accepted",
    "underwriting_approved",
    "funded",
)
DIMENSIONS = ("partner", "scenario", "segment", "experiment_arm")
OFFERING = ("approved", "partially_approved")
# The experiment metric: of the customers shown offers, how many accepted one.
METRIC = ("approved", "accepted")


@dataclass(frozen=True)
class Journey:
    """One prequalification and the furthest funnel step it reached."""

    partner: str
    scenario: str
    segment: str
    experiment_arm: str
    reached: int  # index into STEPS


def _furthest(pq: Prequalification, events: set[str], app: Application | None) -> int:
    reached = 1 if pq.status in OFFERING else 0
    if "offer_displayed" in events or "checkout_abandoned" in events:
        reached = max(reached, 2)
    if "offer_selected" in events or "checkout_completed" in events:
        reached = max(reached, 3)
    if app is not None:
        reached = max(reached, 4)
        if app.underwriting_decision == "approved":
            reached = 5
        if app.funded_at is not None:
            reached = 6
    return reached


@dataclass
class Collected:
    """The journeys, and the reasons given where customers were turned down."""

    journeys: list[Journey]
    prequal_reasons: Counter[str]
    prequal_with_reasons: int  # declined or partially approved, with reasons
    underwriting_reasons: Counter[str]
    underwriting_declines: int


def collect(
    session: Session,
    *,
    since: dt.datetime,
    until: dt.datetime,
    partner_id: str | None = None,
    environment: str | None = None,
) -> Collected:
    """Read the journeys of prequalifications decided in ``[since, until)``."""
    scope = select(Prequalification.id).where(
        Prequalification.created_at >= since, Prequalification.created_at < until
    )
    if partner_id is not None:
        scope = scope.where(Prequalification.partner_id == partner_id)
    if environment is not None:
        scope = scope.where(Prequalification.environment == environment)
    subquery = scope.scalar_subquery()
    pqs = session.scalars(select(Prequalification).where(Prequalification.id.in_(subquery))).all()
    events: dict[str, set[str]] = defaultdict(set)
    for pq_id, kind in session.execute(
        select(FunnelEvent.prequalification_id, FunnelEvent.type)
        .where(FunnelEvent.prequalification_id.in_(subquery))
        .distinct()
    ):
        events[pq_id].add(kind)
    apps = {
        a.prequalification_id: a
        for a in session.scalars(
            select(Application).where(Application.prequalification_id.in_(subquery))
        )
    }
    out = Collected([], Counter(), 0, Counter(), 0)
    for pq in pqs:
        app = apps.get(pq.id)
        out.journeys.append(
            Journey(
                partner=pq.partner_id,
                scenario=pq.scenario_type,
                segment=pq.segment or "unknown",
                experiment_arm=pq.experiment_arm or "none",
                reached=_furthest(pq, events[pq.id], app),
            )
        )
        if pq.status != "approved" and pq.reasons:
            out.prequal_reasons.update({r["code"] for r in pq.reasons})
            out.prequal_with_reasons += 1
        if app is not None and app.underwriting_decision == "declined":
            out.underwriting_reasons.update({r["code"] for r in app.decision_reasons})
            out.underwriting_declines += 1
    return out


def funnel(journeys: Iterable[Journey]) -> list[dict[str, Any]]:
    """Counts per step, the conversion from the step before and from the start."""
    reached = Counter(j.reached for j in journeys)
    counts = [sum(n for step, n in reached.items() if step >= i) for i in range(len(STEPS))]
    return [
        {
            "step": step,
            "count": counts[i],
            "conversion": round(rate(counts[i], counts[i - 1]), 4) if i else 1.0,
            "overall": round(rate(counts[i], counts[0]), 4),
        }
        for i, step in enumerate(STEPS)
    ]


def _counts(journeys: Sequence[Journey], step: str) -> int:
    index = STEPS.index(step)
    return sum(1 for j in journeys if j.reached >= index)


def experiments(journeys: Sequence[Journey]) -> list[dict[str, Any]]:
    """Per experiment: each arm against the control (``control``, else the first by name)."""
    by_arm: dict[str, dict[str, list[Journey]]] = defaultdict(lambda: defaultdict(list))
    for j in journeys:
        if j.experiment_arm != "none":
            experiment, _, arm = j.experiment_arm.partition(":")
            by_arm[experiment][arm].append(j)
    results = []
    for experiment, arms in sorted(by_arm.items()):
        names = sorted(arms, key=lambda a: (a != "control", a))
        rows = []
        base = arms[names[0]]
        x_a, n_a = _counts(base, METRIC[1]), _counts(base, METRIC[0])
        for name in names:
            x, n = _counts(arms[name], METRIC[1]), _counts(arms[name], METRIC[0])
            row: dict[str, Any] = {"arm": name, "n": n, "x": x, "rate": round(rate(x, n), 4)}
            result = compare(x_a, n_a, x, n) if name != names[0] else None
            if result is not None:
                row |= {
                    "difference": round(result.difference, 4),
                    "ci_low": round(result.ci_low, 4),
                    "ci_high": round(result.ci_high, 4),
                    "z": round(result.z, 3),
                    "p_value": round(result.p_value, 4),
                }
            rows.append(row)
        results.append(
            {
                "experiment": experiment,
                "metric": f"{METRIC[1]} / {METRIC[0]}",
                "control": names[0],
                "arms": rows,
            }
        )
    return results


def _reasons(counts: Counter[str], total: int) -> list[dict[str, Any]]:
    return [
        {"code": code, "count": n, "share": round(rate(n, total), 4)}
        for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def build(
    session: Session,
    *,
    since: dt.datetime,
    until: dt.datetime,
    partner_id: str | None = None,
    environment: str | None = None,
) -> dict[str, Any]:
    """The whole report as JSON-ready data (the CLI prints it or renders it as HTML).

    Args:
        session: a read-only session.
        since: the first decision time included.
        until: the first decision time excluded.
        partner_id: only this partner (default: every partner).
        environment: only ``sandbox`` or ``live`` (default: both).

    Returns:
        ``steps``, ``by`` (each dimension's funnels), ``experiments``,
        ``decline_reasons``, ``reviews`` (human review counts per partner) and
        ``campaigns`` (:mod:`gateway.campaigns.funnel`).
    """
    data = collect(
        session, since=since, until=until, partner_id=partner_id, environment=environment
    )
    journeys = data.journeys
    by: dict[str, list[dict[str, Any]]] = {}
    for dimension in DIMENSIONS:
        groups: dict[str, list[Journey]] = defaultdict(list)
        for j in journeys:
            groups[getattr(j, dimension)].append(j)
        by[dimension] = [
            {"key": key, "steps": funnel(group)} for key, group in sorted(groups.items())
        ]
    return {
        "since": since,
        "until": until,
        "partner": partner_id,
        "environment": environment,
        "steps": funnel(journeys),
        "by": by,
        "experiments": experiments(journeys),
        "decline_reasons": {
            "prequalification": _reasons(data.prequal_reasons, data.prequal_with_reasons),
            "underwriting": _reasons(data.underwriting_reasons, data.underwriting_declines),
        },
        "reviews": review_counts(
            session, since=since, until=until, partner_id=partner_id, environment=environment
        ),
        "campaigns": campaign_funnel(
            session, since=since, until=until, partner_id=partner_id, environment=environment
        ),
    }
