"""Performance on matured loans, and estimated (CBPE) for loans not yet matured.

A loan is *matured* once it has been on the book for the whole performance
window (default 12 months); it is *bad* if it first reached 60 days past due
(or was charged off) within that window. Figures on matured loans compare
with the model's development figures; CBPE estimates from the PDs cover every
loan, so the bank sees the expected performance long before it is realised.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from gateway.monitoring.estimation import expected_auc, expected_bad_rate, expected_brier
from gateway.monitoring.performance import (
    auc,
    auc_standard_error,
    brier,
    calibration_table,
    ks,
)
from gateway.monitoring.sample import Loan
from gateway.monitoring.vintage import vintage_curves

DAYS_PER_MONTH = 365.25 / 12


def _months(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 86400 / DAYS_PER_MONTH


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    return moment + dt.timedelta(days=DAYS_PER_MONTH * months)


def is_bad(loan: Loan, window_months: int) -> bool:
    """First 60+ days past due within the window after funding."""
    return loan.first_60_at is not None and loan.first_60_at <= _add_months(
        loan.funded_at, window_months
    )


def matured_loans(loans: Sequence[Loan], now: dt.datetime, window_months: int) -> list[Loan]:
    """Loans on the book for the whole window by ``now``, with a PD."""
    return [
        loan
        for loan in loans
        if loan.decision.pd is not None and _add_months(loan.funded_at, window_months) <= now
    ]


def development_on_range(
    by_cap: Sequence[Mapping[str, Any]], pd: Sequence[float]
) -> Mapping[str, Any] | None:
    """The development AUC over the PD range of these loans: the smallest stored cap at or
    above their highest PD (declined applicants are never booked, and that range
    restriction alone lowers AUC, so the overall development AUC is not comparable)."""
    if not pd:
        return None
    highest = max(pd)
    for entry in sorted(by_cap, key=lambda e: float(e["pd_cap"])):
        if float(entry["pd_cap"]) > highest:
            return entry
    return None


def _figures(y: Sequence[int], pd: Sequence[float]) -> dict[str, Any]:
    figures: dict[str, Any] = {"loans": len(y), "bads": int(sum(y))}
    if y:
        figures["bad_rate"] = round(sum(y) / len(y), 6)
        figures["brier"] = round(brier(y, pd), 6)
    if 0 < sum(y) < len(y):
        figures["auc"] = round(auc(y, pd), 4)
        figures["auc_se"] = round(auc_standard_error(figures["auc"], sum(y), len(y) - sum(y)), 4)
        figures["ks"] = round(ks(y, pd), 4)
    return figures


def _estimate(pd: Sequence[float]) -> dict[str, Any]:
    if not pd:
        return {"loans": 0}
    estimate: dict[str, Any] = {
        "loans": len(pd),
        "bad_rate": round(expected_bad_rate(pd), 6),
        "brier": round(expected_brier(pd), 6),
    }
    if 0 < sum(pd) < len(pd):
        estimate["auc"] = round(expected_auc(pd), 4)
    return estimate


def performance(
    loans: Sequence[Loan],
    *,
    now: dt.datetime,
    window_months: int,
    development: Mapping[str, Any],
) -> dict[str, Any]:
    """Realised figures on matured loans, CBPE estimates, calibration and vintages.

    Args:
        loans: funded loans with outcomes (and the decisions' PDs).
        now: the observation date.
        window_months: the performance window.
        development: the model's development figures (``auc``, ``ks``, ``brier``).
    """
    scored = [loan for loan in loans if loan.decision.pd is not None]
    matured = matured_loans(scored, now, window_months)
    y = [int(is_bad(loan, window_months)) for loan in matured]
    pd = [float(loan.decision.pd or 0.0) for loan in matured]
    realised = _figures(y, pd)
    same_range = development_on_range(development.get("auc_by_pd_cap", ()), pd)
    if "auc" in realised and same_range is not None:
        realised["development_auc_same_range"] = same_range["auc"]
        realised["development_pd_cap"] = same_range["pd_cap"]
        realised["auc_vs_development"] = round(realised["auc"] - float(same_range["auc"]), 4)
    bands = [loan.decision.score_band or "unscored" for loan in matured]
    calibration = calibration_table(bands, y, pd) if matured else []
    cohorts = [loan.funded_at.strftime("%Y-%m") for loan in scored]
    age = [int(_months(now - loan.funded_at)) for loan in scored]
    bad_month = [
        math.ceil(_months(loan.first_60_at - loan.funded_at)) if loan.first_60_at else np.nan
        for loan in scored
    ]
    return {
        "window_months": window_months,
        "development": dict(development),
        "realised": realised,
        "estimated_matured": _estimate(pd),
        "estimated_all": _estimate([float(loan.decision.pd or 0.0) for loan in scored]),
        "immature_loans": len(scored) - len(matured),
        "calibration": calibration,
        "vintages": vintage_curves(cohorts, age, bad_month, horizon=window_months),
    }
