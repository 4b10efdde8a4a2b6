"""Retraining from outcomes gives the same artefact for the same stored decisions.

Decisions are stored directly (features of the synthetic process, the
champion's PD, the process's default flag as the outcome), all at one
decision time, as a bulk simulation stores them: only their content and the
seed may decide the sample's order, never their random ids.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from flask import Flask
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from gateway.monitoring.retraining import DEFAULT_SEED, Retrained, retrain
from gateway.outcomes.models import LoanServicing
from gateway.prequal.models import Prequalification
from gateway.profiles.synthetic import generate_population
from gateway.scoring.registry import active_scorer
from gateway.scoring.scorer import CompiledScorer
from gateway.scoring.spec import parse_spec

NOW = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
DECIDED = NOW - dt.timedelta(days=430)
FUNDED = DECIDED + dt.timedelta(days=1)
CUSTOMERS = 400


def _population(champion: CompiledScorer) -> list[dict[str, Any]]:
    """Each customer's features, PD, decision and outcome (no ids yet)."""
    columns, defaulted = generate_population(CUSTOMERS, 11)
    names = [f.name for f in parse_spec(champion.artefact["spec"]).features] + ["age"]
    people = []
    for i in range(CUSTOMERS):
        features: dict[str, Any] = {}
        for name in names:
            value = columns[name][i]
            if isinstance(value, str):
                features[name] = value
            else:
                features[name] = None if np.isnan(value) else float(value)
        people.append({"features": features, "pd": champion.score(features).pd,
                       "bad": bool(defaulted[i])})  # fmt: skip
    cut = sorted(p["pd"] for p in people)[int(CUSTOMERS * 0.8)]
    for person in people:
        person["declined"] = person["pd"] >= cut
    return people


def _store(db: Session, people: list[dict[str, Any]], version: str) -> None:
    """Store ``people`` in this order, under fresh random decision and application ids."""
    decisions, loans = [], []
    for i, person in enumerate(people):
        decision_id = f"pq_{secrets.token_hex(8)}"
        decisions.append({
            "id": decision_id, "partner_id": "demo-mall", "environment": "live",
            "customer_ref": f"ref-{i}", "consent_id": f"cns_{i}",
            "status": "declined" if person["declined"] else "approved",
            "scenario_type": "shopping", "scenario": {}, "product_code": None, "currency": "CNY",
            "requested_amount": Decimal("3000.00"), "approved_amount": None,
            "upfront_payment": None, "grade": None, "score": None, "pd": person["pd"],
            "score_band": None, "segment": None, "model_version": version, "inputs_hash": "-",
            "reasons": [], "new_to_bank": False, "sandbox_persona": None, "experiment_arm": None,
            "features": person["features"], "shadow_model_version": None, "shadow_score": None,
            "shadow_pd": None, "human_review_requested_at": None, "created_at": DECIDED,
            "expires_at": DECIDED + dt.timedelta(days=30),
        })  # fmt: skip
        if person["declined"]:
            continue
        first_60 = FUNDED + dt.timedelta(days=150) if person["bad"] else None
        loans.append({
            "application_id": f"app_{secrets.token_hex(8)}", "prequalification_id": decision_id,
            "partner_id": "demo-mall", "environment": "live", "funded_at": FUNDED,
            "state": "charged_off" if person["bad"] else "paid_off", "days_past_due": 0,
            "max_days_past_due": 90 if person["bad"] else 0, "first_60_at": first_60,
            "paid_instalments": 0, "paid_amount": Decimal("0.00"), "closed_at": None,
            "last_event_at": FUNDED, "updated_at": FUNDED,
        })  # fmt: skip
    db.execute(insert(Prequalification), decisions)
    db.execute(insert(LoanServicing), loans)
    db.flush()


def _retrain(db: Session, champion: CompiledScorer, seed: int = DEFAULT_SEED) -> Retrained:
    return retrain(db, champion, since=DECIDED - dt.timedelta(days=1), now=NOW, seed=seed)


def test_the_same_decisions_give_the_same_artefact_whatever_their_ids_and_order(
    app: Flask, db_session: Session
) -> None:
    with app.app_context():
        champion = active_scorer(db_session)
    people = _population(champion)
    _store(db_session, people, champion.version)
    first = _retrain(db_session, champion)
    assert _retrain(db_session, champion).artefact["sha256"] == first.artefact["sha256"]
    assert first.sample["rejects"] == CUSTOMERS // 5 and first.sample["holdout_bads"] > 0

    # The same decisions again, under new random ids and inserted in reverse order:
    # ordered by id (as before), the holdout and the reject draws would differ.
    db_session.execute(delete(LoanServicing))
    db_session.execute(delete(Prequalification))
    _store(db_session, people[::-1], champion.version)
    again = _retrain(db_session, champion)
    assert again.artefact["version"] == first.artefact["version"]
    assert again.artefact["sha256"] == first.artefact["sha256"]
    assert again.holdout == first.holdout and again.sample == first.sample


def test_the_seed_is_recorded_and_draws_a_different_sample(app: Flask, db_session: Session) -> None:
    with app.app_context():
        champion = active_scorer(db_session)
    _store(db_session, _population(champion), champion.version)
    default, other = _retrain(db_session, champion), _retrain(db_session, champion, seed=7)
    assert default.artefact["reject_inference"]["seed"] == DEFAULT_SEED
    assert other.artefact["reject_inference"]["seed"] == 7
    assert other.artefact["sha256"] != default.artefact["sha256"]


def test_train_from_outcomes_takes_the_seed_option(
    app: Flask, db_session: Session, tmp_path: Path
) -> None:
    with app.app_context():
        champion = active_scorer(db_session)
    _store(db_session, _population(champion), champion.version)
    db_session.commit()
    runner = app.test_cli_runner()
    args = ["model", "train", "--from-outcomes", "--since", "800d", "--json"]
    runs = [
        runner.invoke(args=[*args, "--out", str(tmp_path / name), *extra])
        for name, extra in (("a", []), ("b", []), ("c", ["--seed", "7"]))
    ]
    assert all(run.exit_code == 0 for run in runs), [run.output for run in runs]
    a, b, c = (json.loads(run.output) for run in runs)
    assert a["version"] == b["version"] != c["version"]
    assert (a["reject_inference"]["seed"], c["reject_inference"]["seed"]) == (DEFAULT_SEED, 7)
    assert str(DEFAULT_SEED) in runner.invoke(args=["model", "train", "--help"]).output
    no_csv_seed = runner.invoke(args=["model", "train", "--out", str(tmp_path), "--seed", "7"])
    assert no_csv_seed.exit_code == 2 and "--from-outcomes" in no_csv_seed.output
