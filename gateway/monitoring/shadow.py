"""The shadow challenger beside the champion, on the same decisions and the same outcomes.

Agreement is judged at the champion's own approval rate: each model
"approves" that share of the decisions, its lowest PDs, so the swap sets say
which customers the two would trade, not how their scales differ (and policy
rules other than the PD, such as affordability, count for neither).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gateway.monitoring.maturity import is_bad
from gateway.monitoring.mix import APPROVED
from gateway.monitoring.performance import auc, brier
from gateway.monitoring.sample import Decision, Loan


def _cut(pd: np.ndarray[Any, Any], rate: float) -> float:
    """The PD at or below which a ``rate`` share of ``pd`` falls."""
    if rate <= 0:
        return -1.0
    return float(np.quantile(pd, rate, method="inverted_cdf")) if rate < 1 else 1.0


def comparison(
    decisions: Sequence[Decision], matured: Sequence[Loan], window_months: int
) -> dict[str, Any]:
    """Agreement, swap sets and approval rate at the same cut-off; AUC/Brier on matured loans."""
    paired = [d for d in decisions if d.shadow_pd is not None and d.pd is not None]
    if not paired:
        return {"decisions": 0}
    versions = sorted({d.shadow_model_version or "" for d in paired})
    rate = float(np.mean([d.status in APPROVED for d in paired]))
    champion_pd = np.array([float(d.pd or 0.0) for d in paired])
    shadow_pd = np.array([float(d.shadow_pd or 0.0) for d in paired])
    champion_approves = champion_pd <= _cut(champion_pd, rate)
    cut = _cut(shadow_pd, rate)
    shadow_approves = shadow_pd <= cut
    result: dict[str, Any] = {
        "decisions": len(paired),
        "shadow_versions": versions,
        "champion_approval_rate": round(rate, 4),
        "champion_approval_rate_by_pd": round(float(champion_approves.mean()), 4),
        "shadow_approval_rate_at_same_cut": round(float(shadow_approves.mean()), 4),
        "shadow_pd_cut": round(cut, 6),
        "agreement": round(float((champion_approves == shadow_approves).mean()), 4),
        "swap_in": int((~champion_approves & shadow_approves).sum()),
        "swap_out": int((champion_approves & ~shadow_approves).sum()),
        "mean_pd": {
            "champion": round(float(np.mean([d.pd for d in paired])), 6),
            "shadow": round(float(shadow_pd.mean()), 6),
        },
        "score_correlation": round(
            float(np.corrcoef([d.pd or 0.0 for d in paired], shadow_pd)[0, 1]), 4
        )
        if len(paired) > 2
        else None,
    }
    with_outcomes = [loan for loan in matured if loan.decision.shadow_pd is not None]
    y = [int(is_bad(loan, window_months)) for loan in with_outcomes]
    if 0 < sum(y) < len(y):
        champion = [float(loan.decision.pd or 0.0) for loan in with_outcomes]
        challenger = [float(loan.decision.shadow_pd or 0.0) for loan in with_outcomes]
        result["outcomes"] = {
            "loans": len(y),
            "champion": {"auc": round(auc(y, champion), 4), "brier": round(brier(y, champion), 6)},
            "shadow": {
                "auc": round(auc(y, challenger), 4),
                "brier": round(brier(y, challenger), 6),
            },
        }
    return result
