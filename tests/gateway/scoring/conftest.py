"""A small synthetic population and a scorecard trained on it, shared by the scoring tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskCliRunner

from gateway.app import create_app
from gateway.config import Settings
from gateway.profiles.population import write_population_csv
from gateway.profiles.synthetic import generate_population
from gateway.scoring.frame import read_csv, target_vector
from gateway.scoring.spec import ModelSpec, load_spec

DEFAULT_SPEC = (
    Path(__file__).resolve().parents[3] / "gateway" / "scoring" / "default_model" / "spec.yaml"
)


@pytest.fixture(scope="session")
def default_spec() -> ModelSpec:
    """The bundled default model's spec."""
    return load_spec(DEFAULT_SPEC)


@pytest.fixture(scope="session")
def population_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4000 synthetic customers with their true outcome, seed 11."""
    path = tmp_path_factory.mktemp("population") / "population.csv"
    columns, defaulted = generate_population(4000, 11)
    write_population_csv(path, columns, defaulted, 11)
    return path


@pytest.fixture(scope="session")
def offline_runner(tmp_path_factory: pytest.TempPathFactory) -> FlaskCliRunner:
    """A CLI runner for commands that never touch the database (train, evaluate).

    Those run once rather than once per database backend.
    """
    instance = tmp_path_factory.mktemp("offline")
    settings = Settings(
        env="test",
        database_url=f"sqlite:///{instance / 'unused.db'}",
        secret_key="k" * 48,
        identifier_pepper="p" * 48,
        instance_path=instance,
        model_dir=instance / "models",
    )
    return create_app(settings).test_cli_runner()


@pytest.fixture(scope="session")
def small_artefact(population_csv: Path, default_spec: ModelSpec) -> dict[str, Any]:
    """A scorecard trained on :func:`population_csv` without cross-validation."""
    from gateway.scoring.training import train

    frame = read_csv(population_csv)
    y = target_vector(frame, default_spec.target, default_spec.bad)
    typed = frame.typed({f.name: f.type for f in default_spec.features})
    return train(default_spec, typed, y, data_sha256="0" * 64, cv_folds=0).artefact
