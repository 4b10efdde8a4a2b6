"""``gateway model``: train, evaluate, list, activate, score-batch.

Training modules (and so scikit-learn) are imported inside the commands that
need them: the CLI module itself is imported by every gateway process, which
must never load scikit-learn.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from gateway.cli.errors import CommandFailed, InvalidInput
from gateway.config import Settings
from gateway.scoring.artefact import (
    ArtefactInvalid,
    bundled_version,
    find_artefacts,
    load_artefact,
    write_artefact,
)
from gateway.scoring.frame import DataError, Frame, read_csv, rows_without_flags, target_vector
from gateway.scoring.registry import ModelNotFound, activate, active_version, set_shadow
from gateway.scoring.spec import ModelSpec, SpecError, load_spec
from gateway.sessions import get_database

model_group = AppGroup("model", help="Scorecard training, evaluation and activation.")

_DATA = click.option(
    "--data", type=click.Path(dir_okay=False, path_type=Path), required=True, help="CSV file."
)
_SPEC = click.option(
    "--spec", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Spec YAML."
)


def _settings() -> Settings:
    settings: Settings = current_app.extensions["gateway.settings"]
    return settings


def _load(data: Path, spec_path: Path) -> tuple[ModelSpec, Frame, Any, str, Any]:
    """The spec, the typed frame, the target, the data's sha256 and the rows the
    calibration is fitted on (no knock-out flag set)."""
    try:
        spec = load_spec(spec_path)
        frame = read_csv(data)
        y = target_vector(frame, spec.target, spec.bad)
        eligible = rows_without_flags(frame, spec.calibration.knockouts)
        for name in spec.exclude:
            if name in frame.columns:
                frame = Frame({k: v for k, v in frame.columns.items() if k != name}, frame.rows)
        typed = frame.typed({f.name: f.type for f in spec.features})
    except (SpecError, DataError) as exc:
        raise InvalidInput(str(exc)) from exc
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    return spec, typed, y, digest, eligible


@model_group.command("train")
@click.option("--data", type=click.Path(dir_okay=False, path_type=Path), help="CSV file.")
@click.option("--spec", type=click.Path(dir_okay=False, path_type=Path), help="Spec YAML.")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output dir."
)
@click.option("--cv-folds", type=click.IntRange(min=0), default=5, show_default=True)
@click.option(
    "--from-outcomes",
    is_flag=True,
    help="Train on matured decisions and their outcomes (reject inference; docs/monitoring.md).",
)
@click.option("--since", default="800d", show_default=True, help="With --from-outcomes.")
@click.option("--holdout", type=click.FloatRange(0.1, 0.5), default=0.3, show_default=True)
@click.option(
    "--seed",
    type=int,
    help="With --from-outcomes: seeds the holdout split and the reject draws "
    "[default: 20261128]. CSV training takes the spec's seed.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def train_command(
    data: Path | None,
    spec: Path | None,
    out: Path,
    cv_folds: int,
    from_outcomes: bool,
    since: str,
    holdout: float,
    seed: int | None,
    as_json: bool,
) -> None:
    """Train a scorecard; write <version>.json and <version>.report.html to OUT."""
    if from_outcomes:
        from gateway.monitoring.retrain_cli import train_from_outcomes

        train_from_outcomes(out, since, holdout, seed, as_json)
        return
    if seed is not None:
        raise InvalidInput("--seed is for --from-outcomes (CSV training takes the spec's seed)")
    if data is None or spec is None:
        raise InvalidInput("--data and --spec are required (or --from-outcomes)")
    from gateway.scoring.report import write_report
    from gateway.scoring.training import train

    model_spec, frame, y, digest, eligible = _load(data, spec)
    if cv_folds == 1:
        raise InvalidInput("--cv-folds must be 0 (skip) or at least 2")
    result = train(model_spec, frame, y, data_sha256=digest, cv_folds=cv_folds, eligible=eligible)
    path = write_artefact(result.artefact, out)
    report = out / f"{result.artefact['version']}.report.html"
    write_report(report, result.artefact, result.points, result.pd, result.y, result.oof_pd)
    summary = {
        "version": result.artefact["version"],
        "sha256": result.artefact["sha256"],
        "artefact": str(path),
        "report": str(report),
        "metrics": result.artefact["metrics"],
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(f"trained {summary['version']} -> {path} (report {report})")


@model_group.command("evaluate")
@_DATA
@_SPEC
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate_command(data: Path, spec: Path, folds: int, as_json: bool) -> None:
    """Cross-validate the scorecard (champion) and gradient boosting (challenger)."""
    from gateway.scoring.evaluation import cross_validate

    model_spec, frame, y, _, eligible = _load(data, spec)
    try:
        result = cross_validate(model_spec, frame, y, folds, eligible=eligible)
    except ValueError as exc:  # e.g. fewer bads than folds
        raise InvalidInput(f"cannot cross-validate: {exc}") from exc
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    for name, figures in result["models"].items():
        click.echo(
            f"{name:<11} auc {figures['auc']:.4f}  ks {figures['ks']:.4f}  "
            f"gini {figures['gini']:.4f}  brier {figures['brier']:.4f}  "
            f"HL p {figures['hosmer_lemeshow_p']:.4f}"
        )


@model_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the models as JSON.")
def list_command(as_json: bool) -> None:
    """List the models in the model directory and the bundled default."""
    settings = _settings()
    with get_database().new_session() as session:
        active = active_version(session)
    default = bundled_version()
    active = active or default
    models = []
    for version, path in sorted(find_artefacts(settings.model_dir).items()):
        try:
            artefact = load_artefact(path)
            cv = artefact["metrics"].get("cross_validation", {}).get("models", {})
            auc = cv.get("champion", {}).get("auc")
            valid = True
        except ArtefactInvalid:
            auc, valid = None, False
        models.append(
            {
                "version": version,
                "path": str(path),
                "active": version == active,
                "bundled": version == default,
                "valid": valid,
                "cv_auc": auc,
            }
        )
    if as_json:
        click.echo(json.dumps({"active": active, "models": models}, indent=2))
        return
    for m in models:
        flags = ",".join(f for f in ("active", "bundled") if m[f]) or "-"
        validity = "" if m["valid"] else "  INVALID (hash mismatch)"
        click.echo(f"{m['version']:<40} {flags:<15} {m['path']}{validity}")


@model_group.command("activate")
@click.argument("version")
@click.option("--json", "as_json", is_flag=True, help="Print the activation as JSON.")
@click.option(
    "--break-glass",
    "break_glass",
    metavar="REASON",
    help="Activate without the four-eyes approval; the reason is audited.",
)
def activate_command(version: str, as_json: bool, break_glass: str | None) -> None:
    """Make VERSION the model every gateway process serves; needs an approved model-activation."""
    from gateway.approvals import gates as approvals
    from gateway.errors import DomainError

    settings = _settings()
    with get_database().new_session() as session:
        try:
            row = activate(session, settings.model_dir, version)
        except ModelNotFound as exc:
            raise InvalidInput(str(exc)) from exc
        except ArtefactInvalid as exc:
            raise CommandFailed(str(exc)) from exc
        try:  # in the same transaction: refused, nothing is activated
            if break_glass is not None:
                approvals.break_glass(
                    session, "activate model", version, actor="cli", reason=break_glass
                )
            else:
                approvals.consume(session, "model-activation", version, actor="cli")
        except DomainError as exc:
            raise (InvalidInput if exc.kind == "invalid" else CommandFailed)(exc.detail) from None
        session.commit()
        data = {"version": row.version, "sha256": row.sha256}
    click.echo(json.dumps(data) if as_json else f"activated {version}")


@model_group.command("score-batch")
@_DATA
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Output CSV."
)
@click.option("--version", "version", help="Model version (default: the active model).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def score_batch_command(data: Path, out: Path, version: str | None, as_json: bool) -> None:
    """Score a whole profile CSV with numpy: customer_ref, score, pd, segment per row."""
    from gateway.scoring.batch_io import score_csv

    settings = _settings()
    if version is None:
        with get_database().new_session() as session:
            version = active_version(session) or bundled_version()
    path = find_artefacts(settings.model_dir).get(version)
    if path is None:
        raise InvalidInput(f"no model {version}")
    try:
        summary = score_csv(load_artefact(path), data, out, settings.identifier_pepper)
    except DataError as exc:
        raise InvalidInput(str(exc)) from exc
    except ArtefactInvalid as exc:
        raise CommandFailed(str(exc)) from exc
    click.echo(json.dumps(summary) if as_json else f"scored {summary['rows']} rows -> {out}")


COMMANDS = (model_group,)


@model_group.command("shadow")
@click.argument("version", required=False)
@click.option("--clear", is_flag=True, help="Stop shadow scoring.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def shadow_command(version: str | None, clear: bool, as_json: bool) -> None:
    """Set VERSION as the shadow challenger: it scores every live decision, decides nothing."""
    if clear == (version is not None):
        raise InvalidInput("give a VERSION or --clear")
    settings = _settings()
    with get_database().new_session() as session:
        try:
            row = set_shadow(session, settings.model_dir, None if clear else version)
        except ModelNotFound as exc:
            raise InvalidInput(str(exc)) from exc
        except ArtefactInvalid as exc:
            raise CommandFailed(str(exc)) from exc
        session.commit()
        data = {"shadow": row.version}
    click.echo(json.dumps(data) if as_json else f"shadow: {data['shadow'] or 'none'}")


def _attach_monitoring() -> None:
    from gateway.monitoring.cli import monitor_command

    model_group.add_command(monitor_command)


_attach_monitoring()
