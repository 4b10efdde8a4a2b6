"""The spec file: target, typed features, exclusions; errors name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.scoring.spec import SpecError, load_spec, parse_spec

BASE = {"target": {"column": "y", "bad": 1}, "features": {"a": "numeric"}}


def test_a_feature_may_be_a_type_or_a_mapping_with_a_direction() -> None:
    spec = parse_spec(
        {
            **BASE,
            "features": {
                "a": "numeric",
                "b": "categorical",
                "c": {"type": "numeric", "monotonic": "decreasing"},
            },
        }
    )
    assert [(f.name, f.type, f.monotonic) for f in spec.features] == [
        ("a", "numeric", None),
        ("b", "categorical", None),
        ("c", "numeric", "decreasing"),
    ]
    assert spec.bad == "1"


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"features": {"a": "numeric"}}, "target"),
        ({**BASE, "features": {}}, "features"),
        ({**BASE, "features": {"a": "text"}}, "features.a.type"),
        (
            {**BASE, "features": {"a": {"type": "numeric", "monotonic": "up"}}},
            "features.a.monotonic",
        ),
        (
            {**BASE, "features": {"a": {"type": "categorical", "monotonic": "increasing"}}},
            "features.a.monotonic",
        ),
        ({**BASE, "features": {"y": "numeric"}}, "features.y"),
        ({**BASE, "segments": {"k": 0, "features": ["a"]}}, "segments.k"),
        ({**BASE, "scaling": {"pdo": -1}}, "scaling.pdo"),
        ({**BASE, "calibration": {"method": "beta"}}, "calibration.method"),
        ({**BASE, "calibration": {"bins": 1}}, "calibration.bins"),
        ({**BASE, "calibration": {"knockouts": "fraud_flag"}}, "calibration.knockouts"),
    ],
)
def test_malformed_specs_are_refused_naming_the_key(raw: dict[str, object], key: str) -> None:
    with pytest.raises(SpecError, match=key.replace(".", r"\.")):
        parse_spec(raw)


def test_an_excluded_column_cannot_be_a_feature_or_a_segment_feature() -> None:
    with pytest.raises(SpecError, match="exclude"):
        parse_spec({**BASE, "exclude": ["a"]})
    with pytest.raises(SpecError, match=r"segments\.features"):
        parse_spec({**BASE, "exclude": ["sex"], "segments": {"k": 2, "features": ["sex=f"]}})


def test_the_german_credit_spec_excludes_the_protected_attributes() -> None:
    spec = load_spec(Path(__file__).resolve().parents[2] / "data" / "germancredit.yaml")
    names = {f.name for f in spec.features}
    assert "personal_status_and_sex" in spec.exclude
    assert "foreign_worker" in spec.exclude
    assert not names & set(spec.exclude)


def test_the_spec_round_trips_through_the_artefact_form() -> None:
    spec = parse_spec({**BASE, "segments": {"k": 3, "features": ["a"], "seed": 4}})
    assert parse_spec(spec.to_json()) == spec


def test_calibration_defaults_to_isotonic_and_round_trips() -> None:
    assert parse_spec(BASE).calibration.method == "isotonic"
    spec = parse_spec(
        {**BASE, "exclude": ["flag"], "calibration": {"bins": 9, "knockouts": ["flag"]}}
    )
    assert parse_spec(spec.to_json()) == spec
    assert spec.calibration.knockouts == ("flag",)
