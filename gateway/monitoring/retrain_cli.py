"""``gateway model train --from-outcomes``: retrain, write the artefact, compare on the holdout.

Activation stays a separate, reviewed step (``gateway model activate``, with
the second approver the approvals domain requires).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from gateway.cli import InvalidInput
from gateway.clock import utcnow
from gateway.funnel.cli import parse_since
from gateway.scoring.artefact import write_artefact
from gateway.sessions import get_database


def train_from_outcomes(
    out: Path, since: str, holdout: float, seed: int | None, as_json: bool
) -> None:
    """Run :func:`gateway.monitoring.retraining.retrain` for the active model and report.

    ``seed`` ``None`` takes :data:`gateway.monitoring.retraining.DEFAULT_SEED`.
    """
    from gateway.monitoring.retraining import DEFAULT_SEED, NotEnoughOutcomes, retrain
    from gateway.scoring.registry import active_scorer

    now = utcnow()
    with get_database().new_session() as db:
        champion = active_scorer(db)
        try:
            result = retrain(
                db,
                champion,
                since=parse_since(since, now),
                now=now,
                holdout=holdout,
                seed=DEFAULT_SEED if seed is None else seed,
            )
        except NotEnoughOutcomes as exc:
            raise InvalidInput(f"cannot train from outcomes: {exc}") from None
    path = write_artefact(result.artefact, out)
    summary = {
        "version": result.artefact["version"],
        "artefact": str(path),
        "reject_inference": result.artefact["reject_inference"],
        "sample": result.sample,
        "holdout": result.holdout,
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    click.echo(f"trained {summary['version']} -> {path}")
    click.echo(
        f"sample: {result.sample['training_loans']} matured loans + {result.sample['rejects']} "
        f"rejects (reject inference: {result.artefact['reject_inference']['method']}); "
        f"holdout {result.sample['holdout_loans']} loans, {result.sample['holdout_bads']} bad"
    )
    for role in ("champion", "retrained"):
        figures = result.holdout[role]
        click.echo(
            f"{role:<10} {figures['version']:<28} auc {figures['auc']:.4f}  ks {figures['ks']:.4f}"
            f"  brier {figures['brier']:.4f}"
        )
