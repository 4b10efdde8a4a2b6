"""The artefact: one JSON file, sha256 over its canonical content, reproducible training."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gateway.profiles.population import write_population_csv
from gateway.profiles.synthetic import generate_population
from gateway.scoring.artefact import (
    BUNDLED_DIR,
    ArtefactInvalid,
    bundled_version,
    find_artefacts,
    load_artefact,
    seal,
    write_artefact,
)
from gateway.scoring.frame import read_csv, target_vector
from gateway.scoring.spec import ModelSpec


def _train(path: Path, spec: ModelSpec) -> dict[str, Any]:
    from gateway.scoring.training import train

    frame = read_csv(path)
    y = target_vector(frame, spec.target, spec.bad)
    typed = frame.typed({f.name: f.type for f in spec.features})
    return train(spec, typed, y, data_sha256="1" * 64, cv_folds=0).artefact


def test_the_artefact_holds_everything_serving_needs(small_artefact: dict[str, Any]) -> None:
    for key in (
        "spec",
        "features",
        "intercept_points",
        "calibration",
        "segments",
        "training",
        "metrics",
        "scaling",
        "sha256",
        "version",
    ):
        assert key in small_artefact
    numeric = next(f for f in small_artefact["features"] if f["type"] == "numeric")
    assert len(numeric["points"]) == len(numeric["edges"]) + 1
    assert "missing_points" in numeric
    assert {"centroids", "mean", "scale", "names", "naming_rules"} <= set(
        small_artefact["segments"]
    )


def test_same_data_and_seed_give_the_same_hash(tmp_path: Path, default_spec: ModelSpec) -> None:
    columns, defaulted = generate_population(1500, 99)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    write_population_csv(first, columns, defaulted, 99)
    again_columns, again_defaulted = generate_population(1500, 99)
    write_population_csv(second, again_columns, again_defaulted, 99)
    assert first.read_bytes() == second.read_bytes()
    one, two = _train(first, default_spec), _train(second, default_spec)
    assert one["sha256"] == two["sha256"]
    assert one["version"] == two["version"]


def test_a_tampered_artefact_is_refused(small_artefact: dict[str, Any], tmp_path: Path) -> None:
    path = write_artefact(small_artefact, tmp_path)
    assert load_artefact(path)["sha256"] == small_artefact["sha256"]
    data = json.loads(path.read_text())
    data["intercept_points"] += 50
    path.write_text(json.dumps(data))
    with pytest.raises(ArtefactInvalid, match="sha256"):
        load_artefact(path)


def test_a_renamed_version_is_refused(small_artefact: dict[str, Any], tmp_path: Path) -> None:
    path = write_artefact({**small_artefact, "version": "default-000000000000"}, tmp_path)
    with pytest.raises(ArtefactInvalid, match="version"):
        load_artefact(path)


def test_the_bundled_default_model_loads_and_is_found(tmp_path: Path) -> None:
    version = bundled_version()
    assert version.startswith("default-")
    found = find_artefacts(tmp_path / "empty")
    assert found[version].parent == BUNDLED_DIR
    artefact = load_artefact(found[version])
    assert artefact["segments"] is not None
    assert "cross_validation" in artefact["metrics"]


def test_the_model_dir_takes_precedence_and_is_listed_with_the_bundled_one(
    small_artefact: dict[str, Any], tmp_path: Path
) -> None:
    renamed = seal({**small_artefact, "name": "local"})
    write_artefact(renamed, tmp_path)
    found = find_artefacts(tmp_path)
    assert found[renamed["version"]].parent == tmp_path
    assert bundled_version() in found
