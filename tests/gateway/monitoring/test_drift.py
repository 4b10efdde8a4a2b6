"""Acceptance 1: drift in the live population is caught, on both backends.

1,200 baseline decisions, then 1,200 with incomes × 0.6 (the income CSI
crosses the alert threshold while the score barely moves), then 1,200 with
utilisation + 0.3 and inquiries doubled (the score's PSI crosses too). Each
phase is reported and recorded, and ``/metrics`` shows its gauges.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import numpy as np
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from gateway.monitoring.report import build, record
from gateway.profiles.synthetic import Columns
from gateway.scoring.registry import active_scorer
from tests.gateway.monitoring.population import decide_all, shifted

CUSTOMERS = 1200
pytestmark = pytest.mark.slow
T0 = dt.datetime.now(dt.UTC).replace(microsecond=0)
HOUR = dt.timedelta(hours=1)


def _lower_incomes(c: Columns) -> None:
    c["verified_monthly_income"] = np.round(c["verified_monthly_income"] * 0.6, 2)


def _more_credit_hungry(c: Columns) -> None:
    c["utilisation"] = np.round(c["utilisation"] + 0.3, 3)  # NaN (thin file) stays NaN
    c["inquiries_6m"] = c["inquiries_6m"] * 2


def _gauge(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} {labels} not exposed")


def _phase(app: Flask, db: Session, client: FlaskClient, start: dt.datetime) -> tuple[Any, str]:
    with app.app_context():
        report = build(db, active_scorer(db), since=start, now=start + HOUR)
        record(db, report, since=start, now=start + HOUR)
        db.commit()
    return report, client.get("/metrics").get_data(as_text=True)


def _csi(report: dict[str, Any], name: str) -> float:
    figures = report["stability"]["overall"]["characteristics"]
    return float(next(c["csi"] for c in figures if c["name"] == name))


def test_income_shift_moves_its_csi_and_credit_shift_moves_the_score(
    app: Flask, client: FlaskClient, db_session: Session, demo_partners: list[str]
) -> None:
    started = time.perf_counter()
    phases = [
        ("base", None),
        ("income", _lower_incomes),
        ("credit", _more_credit_hungry),
    ]
    reports = []
    for offset, (name, change) in enumerate(phases):
        at = T0 + offset * HOUR
        decide_all(app, db_session, shifted(CUSTOMERS, 20261128, change), prefix=name, at=at)
        reports.append(_phase(app, db_session, client, at))
    (base, base_metrics), (income, income_metrics), (credit, credit_metrics) = reports
    elapsed = time.perf_counter() - started

    # Baseline: every figure under the watch threshold.
    assert base["stability"]["overall"]["decisions"] == CUSTOMERS
    assert base["stability"]["overall"]["score"]["psi"] < 0.10
    assert all(c["csi"] < 0.10 for c in base["stability"]["overall"]["characteristics"])
    assert _gauge(base_metrics, "gateway_model_psi") < 0.10

    # Incomes x 0.6: income CSI alerts, the score barely moves.
    assert _csi(income, "verified_monthly_income") > 0.25
    assert income["stability"]["overall"]["score"]["psi"] < 0.10
    assert (
        _gauge(income_metrics, "gateway_model_csi", characteristic="verified_monthly_income") > 0.25
    )
    assert _gauge(income_metrics, "gateway_model_psi") < 0.10

    # Utilisation + 0.3 and inquiries doubled: the score's PSI alerts too.
    assert _csi(credit, "utilisation") > 0.25
    assert _csi(credit, "inquiries_6m") > 0.25
    assert credit["stability"]["overall"]["score"]["psi"] > 0.25
    assert _gauge(credit_metrics, "gateway_model_psi") > 0.25
    assert 0 < _gauge(credit_metrics, "gateway_approval_rate", partner="demo-mall") < 1
    assert re.search(r"^gateway_webhook_dead_letters 0\.0$", credit_metrics, re.M)

    print(  # figures for the report (pytest -s)
        f"\nbase psi {base['stability']['overall']['score']['psi']}, "
        f"income csi {_csi(income, 'verified_monthly_income')} psi "
        f"{income['stability']['overall']['score']['psi']}, credit psi "
        f"{credit['stability']['overall']['score']['psi']}, {elapsed:.1f}s"
    )
