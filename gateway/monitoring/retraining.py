"""Retrain the scorecard from outcomes (training only: scikit-learn via gateway.scoring.training).

The sample is every model decision whose loan has matured (labelled by its
outcome: bad = 60+ days past due within the performance window) plus every
decision declined for risk, whose outcome can never be observed. Leaving the
declines out would train the model only on customers the old model liked,
and it would under-rate risk exactly where the old model drew its line
(selection bias). They are brought in by reject inference:

**Method: fuzzy augmentation, drawn once per reject.** Fuzzy augmentation
enters each reject twice, as a bad with weight ``p`` and as a good with weight
``1 − p``, where ``p`` is the champion's PD for it (the known-good-bad
model). The scorecard trainer takes no sample weights, so each reject enters
once, as a bad with probability ``p`` (a seeded draw): the same expectation
as the weighted pair, with a little more variance. It is chosen over hard
cut-off (all rejects bad: overstates their risk) and parcelling by score band
(needs a band-level uplift the bank has not measured); its known limit is
that it cannot find risk the champion does not already see.

Matured accepts are split first: a seeded ``holdout`` share is kept out of
training and both models are scored on it, so the comparison is on the same
customers and real outcomes only (rejects never enter the holdout).

**Deterministic.** The holdout and the reject draws both come from one
generator seeded with ``seed`` (:data:`DEFAULT_SEED` unless given), over
rows put in an order that depends on their content only: decision time,
then the stored features (and, for loans, funding and outcome), with the
random decision id as the last tie-break, for rows otherwise identical.
The recorded data hash is over the same content. So the same stored
decisions give the same artefact (the same ``sha256`` and version),
whatever their ids or the order they were inserted in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from gateway.monitoring import sample
from gateway.monitoring.maturity import is_bad, matured_loans
from gateway.monitoring.performance import auc, brier, ks
from gateway.scoring.artefact import seal
from gateway.scoring.frame import Frame
from gateway.scoring.scorer import CompiledScorer
from gateway.scoring.spec import ModelSpec, parse_spec

METHOD = "fuzzy_augmentation_single_draw"
DEFAULT_SEED = 20261128


class NotEnoughOutcomes(ValueError):
    """Too few matured loans (or no bads) to train and hold out."""


@dataclass(frozen=True)
class Retrained:
    """The new artefact and how it compares with the champion on the holdout."""

    artefact: dict[str, Any]
    sample: dict[str, int]
    holdout: dict[str, Any]


def _frame(rows: Sequence[Mapping[str, Any]], spec: ModelSpec) -> Frame:
    names = {f.name: f.type for f in spec.features}
    extra = {"age": "numeric"}  # segments read it
    columns: dict[str, np.ndarray] = {}
    for name, kind in {**extra, **names}.items():
        values = [row.get(name) for row in rows]
        if kind == "numeric":
            columns[name] = np.array(
                [np.nan if v is None else float(v) for v in values], dtype=np.float64
            )
        else:
            columns[name] = np.array([None if v is None else str(v) for v in values], dtype=object)
    return Frame(columns, len(rows))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _loan_key(loan: sample.Loan) -> tuple[Any, ...]:
    first_60 = loan.first_60_at.isoformat() if loan.first_60_at is not None else ""
    decision = loan.decision
    content = _canonical(decision.features)
    return (decision.created_at, loan.funded_at, content, first_60, loan.state, decision.id)


def _decision_key(decision: sample.Decision) -> tuple[Any, ...]:
    return (decision.created_at, _canonical(decision.features), decision.id)


def _sample_sha256(
    matured: Sequence[sample.Loan], bad: np.ndarray[Any, Any], rejects: Sequence[Mapping[str, Any]]
) -> str:
    """Hash of what the model learns from (features and outcome), never of the ids."""
    content = {
        "matured": [[loan.decision.features, int(y)] for loan, y in zip(matured, bad, strict=True)],
        "rejects": list(rejects),
    }
    return hashlib.sha256(_canonical(content).encode()).hexdigest()


def _figures(y: np.ndarray[Any, Any], pd: Sequence[float]) -> dict[str, float]:
    return {
        "auc": round(auc(y, pd), 4),
        "ks": round(ks(y, pd), 4),
        "brier": round(brier(y, pd), 6),
    }


def retrain(
    session: Session,
    champion: CompiledScorer,
    *,
    since: dt.datetime,
    now: dt.datetime,
    window_months: int = 12,
    holdout: float = 0.3,
    seed: int = DEFAULT_SEED,
) -> Retrained:
    """Build the sample, infer the rejects, train, and compare on the holdout.

    Args:
        session: the database session the decisions and outcomes are read from.
        champion: the active model: the known-good-bad model and the comparison.
        since: the first decision time read.
        now: the end of the sample; loans matured by then are labelled.
        window_months: the performance window.
        holdout: the share of matured loans kept out of training.
        seed: seeds the holdout split and the reject draws (recorded in the
            artefact's ``reject_inference``).

    Returns:
        The sealed artefact, the sample's counts and the holdout comparison.

    Raises:
        NotEnoughOutcomes: fewer than 100 matured loans, or a split without bads.
    """
    from gateway.scoring.training import train

    spec = parse_spec(champion.artefact["spec"])
    matured = sorted(
        (
            loan
            for loan in matured_loans(sample.loans(session, since=since), now, window_months)
            if loan.decision.features is not None and not loan.decision.new_to_bank
        ),
        key=_loan_key,
    )
    if len(matured) < 100:
        raise NotEnoughOutcomes(f"{len(matured)} matured loans; at least 100 are needed")
    declined = sorted(
        (
            d
            for d in sample.decisions(session, since=since, until=now)
            if d.status == "declined" and not d.new_to_bank and d.features is not None
        ),
        key=_decision_key,
    )
    rejects = [d.features for d in declined if d.features is not None]
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(matured))
    cut = round(len(matured) * holdout)
    held, kept = order[:cut], order[cut:]
    y_all = np.array([int(is_bad(loan, window_months)) for loan in matured], dtype=np.int_)
    if y_all[held].sum() == 0 or y_all[kept].sum() == 0:
        raise NotEnoughOutcomes("the holdout or the training part has no bad loan")
    reject_pd = np.array([champion.score(row).pd for row in rejects], dtype=np.float64)
    reject_y = (rng.random(len(rejects)) < reject_pd).astype(np.int_)
    train_rows = [matured[i].decision.features or {} for i in kept] + list(rejects)
    y = np.concatenate([y_all[kept], reject_y])
    digest = _sample_sha256(matured, y_all, rejects)
    result = train(spec, _frame(train_rows, spec), y, data_sha256=digest, cv_folds=0)
    artefact = seal(
        {
            **result.artefact,
            "reject_inference": {
                "method": METHOD,
                "rejects": len(rejects),
                "inferred_bad_rate": round(float(reject_y.mean()), 6) if rejects else None,
                "known_good_bad_model": champion.version,
                "seed": seed,
            },
        }
    )
    challenger = CompiledScorer(artefact)
    held_rows = [matured[i].decision.features or {} for i in held]
    y_held = y_all[held]
    champion_pd = [champion.score(row).pd for row in held_rows]
    new_pd = [challenger.score(row).pd for row in held_rows]
    return Retrained(
        artefact,
        {
            "matured_loans": len(matured),
            "training_loans": len(kept),
            "rejects": len(rejects),
            "holdout_loans": len(held),
            "holdout_bads": int(y_held.sum()),
        },
        {
            "champion": {"version": champion.version, **_figures(y_held, champion_pd)},
            "retrained": {"version": artefact["version"], **_figures(y_held, new_pd)},
        },
    )
