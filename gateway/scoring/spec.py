"""The model spec: which columns are the target and the features, and how.

A spec is a YAML file::

    name: germancredit
    target: {column: creditability, bad: bad}
    features:
      duration_in_month: {type: numeric, monotonic: increasing}
      purpose: categorical
      credit_amount: numeric
    exclude: [personal_status_and_sex]
    segments: {k: 4, seed: 7, features: [age, avg_balance, "employment_type=self_employed"]}
    calibration: {method: isotonic, bins: 15, knockouts: [fraud_flag]}

``monotonic: increasing`` means the risk (the bad rate) rises with the value;
``decreasing`` that it falls. Numeric features without a direction get the one
with the higher information value. ``exclude`` names columns that must never
be used, so a later edit cannot quietly add a protected attribute back.

``calibration`` (all keys optional): ``method`` ``isotonic`` (the default) or
``platt``; ``bins``, how many equal-count bins of out-of-fold points the
isotonic fit pools (default 15); ``knockouts``, 0/1 columns (they may be
excluded ones) whose rows are left out of the calibration fit only: policy
declines those applicants whatever their PD, so the PD is calibrated on the
applicants it is used for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

FeatureType = Literal["numeric", "categorical"]
Monotonic = Literal["increasing", "decreasing"]


class SpecError(ValueError):
    """The spec file is malformed; the message names the offending key."""


@dataclass(frozen=True)
class FeatureSpec:
    """One feature column."""

    name: str
    type: FeatureType
    monotonic: Monotonic | None = None
    reason: str | None = None


@dataclass(frozen=True)
class SegmentSpec:
    """k-means customer segments trained beside the scorecard."""

    k: int
    features: tuple[str, ...]
    seed: int = 0


@dataclass(frozen=True)
class CalibrationSpec:
    """How points become a PD (:mod:`gateway.scoring.evaluation`)."""

    method: Literal["isotonic", "platt"] = "isotonic"
    bins: int = 15
    knockouts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scaling:
    """Points scaling: ``base_score`` points at odds ``base_odds``:1 (good:bad), ``pdo``."""

    base_score: float = 600.0
    base_odds: float = 50.0
    pdo: float = 20.0


@dataclass(frozen=True)
class ModelSpec:
    """A parsed spec file."""

    name: str
    target: str
    bad: str
    features: tuple[FeatureSpec, ...]
    exclude: tuple[str, ...] = ()
    segments: SegmentSpec | None = None
    scaling: Scaling = field(default_factory=Scaling)
    seed: int = 0
    calibration: CalibrationSpec = field(default_factory=CalibrationSpec)

    def to_json(self) -> dict[str, Any]:
        """The spec as stored in the artefact (round-trips through :func:`parse_spec`)."""
        features: dict[str, Any] = {}
        for f in self.features:
            entry: dict[str, Any] = {"type": f.type}
            if f.monotonic:
                entry["monotonic"] = f.monotonic
            if f.reason:
                entry["reason"] = f.reason
            features[f.name] = entry
        out: dict[str, Any] = {
            "name": self.name,
            "target": {"column": self.target, "bad": self.bad},
            "features": features,
            "exclude": list(self.exclude),
            "scaling": {
                "base_score": self.scaling.base_score,
                "base_odds": self.scaling.base_odds,
                "pdo": self.scaling.pdo,
            },
            "seed": self.seed,
            "calibration": {
                "method": self.calibration.method,
                "bins": self.calibration.bins,
                "knockouts": list(self.calibration.knockouts),
            },
        }
        if self.segments is not None:
            out["segments"] = {
                "k": self.segments.k,
                "features": list(self.segments.features),
                "seed": self.segments.seed,
            }
        return out


def load_spec(path: Path) -> ModelSpec:
    """Read and validate a spec YAML file.

    Raises:
        SpecError: unreadable, not YAML, or not a valid spec.
    """
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SpecError(f"cannot read spec {path}: {type(exc).__name__}") from exc
    return parse_spec(raw)


def parse_spec(raw: Any) -> ModelSpec:
    """Validate a spec already loaded from YAML/JSON.

    Raises:
        SpecError: the message names the key at fault.
    """
    if not isinstance(raw, Mapping):
        raise SpecError("spec must be a mapping")
    target = raw.get("target")
    if not isinstance(target, Mapping) or not isinstance(target.get("column"), str):
        raise SpecError("target: needs {column: NAME, bad: VALUE}")
    if "bad" not in target or target["bad"] is None:
        raise SpecError("target.bad: the value that marks a bad outcome is required")
    exclude = raw.get("exclude") or []
    if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
        raise SpecError("exclude: must be a list of column names")
    features = _parse_features(raw.get("features"), target["column"], set(exclude))
    return ModelSpec(
        name=str(raw.get("name") or "scorecard"),
        target=target["column"],
        bad=str(target["bad"]),
        features=features,
        exclude=tuple(exclude),
        segments=_parse_segments(raw.get("segments"), set(exclude)),
        scaling=_parse_scaling(raw.get("scaling")),
        seed=_int(raw.get("seed", 0), "seed"),
        calibration=_parse_calibration(raw.get("calibration")),
    )


def _parse_features(raw: Any, target: str, exclude: set[str]) -> tuple[FeatureSpec, ...]:
    if not isinstance(raw, Mapping) or not raw:
        raise SpecError("features: must be a non-empty mapping of column to type")
    parsed = []
    for name, value in raw.items():
        key = f"features.{name}"
        if name == target:
            raise SpecError(f"{key}: the target cannot be a feature")
        if name in exclude:
            raise SpecError(f"{key}: the column is listed in exclude")
        entry = {"type": value} if isinstance(value, str) else value
        if not isinstance(entry, Mapping):
            raise SpecError(f"{key}: must be numeric, categorical or a mapping")
        kind = entry.get("type")
        if kind not in ("numeric", "categorical"):
            raise SpecError(f"{key}.type: must be numeric or categorical")
        monotonic = entry.get("monotonic")
        if monotonic not in (None, "increasing", "decreasing"):
            raise SpecError(f"{key}.monotonic: must be increasing or decreasing")
        if monotonic and kind != "numeric":
            raise SpecError(f"{key}.monotonic: only numeric features have a direction")
        reason = entry.get("reason")
        if reason is not None and not isinstance(reason, str):
            raise SpecError(f"{key}.reason: must be a reason code")
        parsed.append(FeatureSpec(str(name), kind, monotonic, reason))  # type: ignore[arg-type]
    return tuple(parsed)


def _parse_segments(raw: Any, exclude: set[str]) -> SegmentSpec | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise SpecError("segments: must be {k: N, features: [...]}")
    k = _int(raw.get("k", 4), "segments.k")
    if k < 1:
        raise SpecError("segments.k: must be at least 1")
    features = raw.get("features")
    if not isinstance(features, list) or not features:
        raise SpecError("segments.features: must be a non-empty list")
    for name in features:
        if not isinstance(name, str) or name.split("=", 1)[0] in exclude:
            raise SpecError(f"segments.features: {name!r} is not a usable column")
    return SegmentSpec(k, tuple(features), _int(raw.get("seed", 0), "segments.seed"))


def _parse_calibration(raw: Any) -> CalibrationSpec:
    if raw is None:
        return CalibrationSpec()
    if not isinstance(raw, Mapping):
        raise SpecError("calibration: must be {method, bins, knockouts}")
    method = raw.get("method", "isotonic")
    if method not in ("isotonic", "platt"):
        raise SpecError("calibration.method: must be isotonic or platt")
    bins = _int(raw.get("bins", 15), "calibration.bins")
    if bins < 2:
        raise SpecError("calibration.bins: must be at least 2")
    knockouts = raw.get("knockouts") or []
    if not isinstance(knockouts, list) or not all(isinstance(x, str) for x in knockouts):
        raise SpecError("calibration.knockouts: must be a list of column names")
    return CalibrationSpec(method, bins, tuple(knockouts))


def _parse_scaling(raw: Any) -> Scaling:
    if raw is None:
        return Scaling()
    if not isinstance(raw, Mapping):
        raise SpecError("scaling: must be {base_score, base_odds, pdo}")
    values = {}
    for key in ("base_score", "base_odds", "pdo"):
        if key in raw:
            try:
                values[key] = float(raw[key])
            except (TypeError, ValueError) as exc:
                raise SpecError(f"scaling.{key}: must be a number") from exc
            if values[key] <= 0:
                raise SpecError(f"scaling.{key}: must be positive")
    return Scaling(**values)


def _int(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SpecError(f"{key}: must be an integer")
    return value
