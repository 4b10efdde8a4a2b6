"""`gateway model`: train, evaluate, list, activate, score-batch."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskCliRunner

from gateway.config import Settings
from gateway.identity import customer_ref
from gateway.scoring.artefact import bundled_version, load_artefact, write_artefact
from gateway.scoring.scorer import CompiledScorer

SPEC = Path(__file__).resolve().parents[3] / "gateway" / "scoring" / "default_model" / "spec.yaml"

# Activation needs a four-eyes approval (tests/gateway/approvals); not the point here.
BREAK_GLASS = "test: activated without an approver"


def test_train_writes_a_verified_artefact_and_a_self_contained_report(
    offline_runner: FlaskCliRunner, population_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "models"
    result = offline_runner.invoke(
        args=["model", "train", "--data", str(population_csv), "--spec", str(SPEC),
              "--out", str(out), "--cv-folds", "2", "--json"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    artefact = load_artefact(Path(summary["artefact"]))
    assert artefact["version"] == summary["version"]
    assert set(artefact["metrics"]["cross_validation"]["models"]) == {"champion", "challenger"}
    report = Path(summary["report"]).read_text()
    assert report.count("<svg") == 3
    for title in (
        "<title>ROC</title>",
        "<title>Score distribution</title>",
        "<title>Calibration</title>",
    ):
        assert title in report
    assert "<script" not in report and "src=" not in report and "href=" not in report


def test_evaluate_prints_both_models_in_plain_text(
    offline_runner: FlaskCliRunner, population_csv: Path
) -> None:
    result = offline_runner.invoke(
        args=["model", "evaluate", "--data", str(population_csv), "--spec", str(SPEC),
              "--folds", "2"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "champion" in result.output and "challenger" in result.output


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--spec", "missing.yaml"], "cannot read spec"),
        (["--spec", str(SPEC), "--data", "missing.csv"], "cannot read"),
    ],
)
def test_bad_inputs_exit_2(
    offline_runner: FlaskCliRunner, population_csv: Path, args: list[str], reason: str
) -> None:
    full = ["model", "evaluate", "--data", str(population_csv), *args, "--folds", "2"]
    result = offline_runner.invoke(args=full)
    assert result.exit_code == 2
    assert reason in result.output


def test_list_shows_the_bundled_default_as_active(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["model", "list", "--json"])
    assert result.exit_code == 0, result.output
    listing = json.loads(result.output)
    assert listing["active"] == bundled_version()
    bundled = next(m for m in listing["models"] if m["bundled"])
    assert bundled["active"] and bundled["valid"]


def test_activate_of_an_unknown_version_exits_2(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["model", "activate", "nope-000000000000"])
    assert result.exit_code == 2
    assert "no model nope-000000000000" in result.output


def test_activate_records_the_version_and_list_shows_it(
    runner: FlaskCliRunner, settings: Settings, small_artefact: dict[str, Any]
) -> None:
    write_artefact(small_artefact, settings.model_dir)
    result = runner.invoke(
        args=[
            "model",
            "activate",
            small_artefact["version"],
            "--json",
            "--break-glass",
            BREAK_GLASS,
        ]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["sha256"] == small_artefact["sha256"]
    listing = json.loads(runner.invoke(args=["model", "list", "--json"]).output)
    assert listing["active"] == small_artefact["version"]


def test_score_batch_scores_every_row_with_hashed_references(
    runner: FlaskCliRunner,
    settings: Settings,
    population_csv: Path,
    small_artefact: dict[str, Any],
    tmp_path: Path,
) -> None:
    write_artefact(small_artefact, settings.model_dir)
    out = tmp_path / "scores.csv"
    result = runner.invoke(
        args=["model", "score-batch", "--data", str(population_csv), "--out", str(out),
              "--version", small_artefact["version"], "--json"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["rows"] == 4000
    with open(population_csv, newline="") as handle:
        inputs = list(csv.DictReader(handle))
    with open(out, newline="") as handle:
        scored = list(csv.DictReader(handle))
    assert len(scored) == len(inputs)
    assert "+86139" not in out.read_text()
    scorer = CompiledScorer(small_artefact)
    for raw, row in list(zip(inputs, scored, strict=True))[:50]:
        assert row["customer_ref"] == customer_ref(settings.identifier_pepper, raw["phone"])
        values = {
            k: (v if k == "employment_type" else float(v) if v else None)
            for k, v in raw.items()
            if k != "phone"
        }
        one = scorer.score(values)
        assert int(row["score"]) == one.score
        assert row["segment"] == one.segment
