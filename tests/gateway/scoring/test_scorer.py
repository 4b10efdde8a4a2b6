"""The compiled scorer: points, PD, factors and segments from the artefact alone."""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gateway.profiles.synthetic import synthetic_profile_for
from gateway.scoring.batch import score_frame
from gateway.scoring.calibration import CalibrationInvalid
from gateway.scoring.frame import read_csv
from gateway.scoring.scorer import CompiledScorer, ScoreResult


def _rows(path: Path, limit: int) -> list[dict[str, Any]]:
    frame = read_csv(path)
    names = list(frame.columns)
    out = []
    for i in range(limit):
        row: dict[str, Any] = {}
        for name in names:
            text = str(frame.columns[name][i])
            if name in ("phone", "employment_type"):
                row[name] = text
            else:
                row[name] = float(text) if text else None
        out.append(row)
    return out


def test_score_is_intercept_plus_the_points_of_each_bin(small_artefact: dict[str, Any]) -> None:
    scorer = CompiledScorer(small_artefact)
    profile = synthetic_profile_for("cus_points").features()
    result = scorer.score(profile)
    shortfall_free = small_artefact["intercept_points"]
    for feature in small_artefact["features"]:
        best = max([*feature["points"], feature["missing_points"]])
        got = next((f for f in result.factors if f.feature == feature["name"]), None)
        shortfall_free += best - (got.shortfall if got else 0.0)
    assert result.score == round(shortfall_free)


def test_factors_are_shortfalls_below_each_features_best_bin_largest_first(
    small_artefact: dict[str, Any],
) -> None:
    scorer = CompiledScorer(small_artefact)
    for i in range(50):
        result = scorer.score(synthetic_profile_for(f"cus_{i}").features())
        shortfalls = [f.shortfall for f in result.factors]
        assert shortfalls == sorted(shortfalls, reverse=True)
        assert all(s > 0 for s in shortfalls)
        for factor in result.factors:
            feature = next(f for f in small_artefact["features"] if f["name"] == factor.feature)
            best = max([*feature["points"], feature["missing_points"]])
            assert factor.shortfall == pytest.approx(best - factor.points, abs=1e-3)
            assert factor.reason == feature["reason"]


def _total(scorer: CompiledScorer, values: dict[str, Any]) -> float:
    """The unrounded points: the intercept plus every feature's bin points."""
    result = scorer.score(values)
    artefact = scorer.artefact
    best = sum(max([*f["points"], f["missing_points"]]) for f in artefact["features"])
    return float(artefact["intercept_points"]) + best - sum(f.shortfall for f in result.factors)


def test_pd_interpolates_the_isotonic_knots_in_log_odds(small_artefact: dict[str, Any]) -> None:
    calibration = small_artefact["calibration"]
    assert calibration["method"] == "isotonic"
    knots, pds = calibration["points"], calibration["pd"]
    assert knots == sorted(knots) and pds == sorted(pds, reverse=True)
    scorer = CompiledScorer(small_artefact)
    for i in range(40):
        values = synthetic_profile_for(f"cus_pd_{i}").features()
        total = _total(scorer, values)
        log_odds = [math.log(p / (1 - p)) for p in pds]
        expected = 1 / (1 + math.exp(-float(np.interp(total, knots, log_odds))))
        assert scorer.score(values).pd == pytest.approx(expected, rel=1e-3)


def test_an_older_platt_artefact_still_scores_with_its_line(
    small_artefact: dict[str, Any],
) -> None:
    platt = {**small_artefact, "calibration": {"method": "platt", "a": -0.05, "b": 27.0}}
    scorer = CompiledScorer(platt)
    values = synthetic_profile_for("cus_platt").features()
    total = _total(scorer, values)
    assert scorer.score(values).pd == pytest.approx(1 / (1 + math.exp(-(-0.05 * total + 27.0))))
    assert scorer.score(values).score == CompiledScorer(small_artefact).score(values).score


def test_an_unknown_calibration_method_is_refused(small_artefact: dict[str, Any]) -> None:
    with pytest.raises(CalibrationInvalid):
        CompiledScorer({**small_artefact, "calibration": {"method": "beta"}})


def test_missing_values_score_the_missing_bin(small_artefact: dict[str, Any]) -> None:
    scorer = CompiledScorer(small_artefact)
    base = dict(synthetic_profile_for("cus_missing").features())
    feature = next(f for f in small_artefact["features"] if f["type"] == "numeric")
    with_none = scorer.score({**base, feature["name"]: None})
    with_nan = scorer.score({**base, feature["name"]: float("nan")})
    absent = scorer.score({k: v for k, v in base.items() if k != feature["name"]})
    assert with_none == with_nan == absent


def test_unseen_category_scores_like_the_other_bin(small_artefact: dict[str, Any]) -> None:
    scorer = CompiledScorer(small_artefact)
    feature = next(f for f in small_artefact["features"] if f["type"] == "categorical")
    base = dict(synthetic_profile_for("cus_unseen").features())
    result = scorer.score({**base, feature["name"]: "astronaut"})
    expected_bin = feature["other_bin"]
    expected = (
        feature["missing_points"] if expected_bin is None else feature["points"][expected_bin]
    )
    factor = next((f for f in result.factors if f.feature == feature["name"]), None)
    best = max([*feature["points"], feature["missing_points"]])
    assert (factor.points if factor else best) == pytest.approx(expected)


def test_decimal_money_scores_like_float(small_artefact: dict[str, Any]) -> None:
    scorer = CompiledScorer(small_artefact)
    profile = synthetic_profile_for("cus_decimal")
    assert isinstance(profile.verified_monthly_income, Decimal)
    as_float = {k: float(v) if isinstance(v, Decimal) else v for k, v in profile.features().items()}
    assert scorer.score(profile.features()) == scorer.score(as_float)


def test_score_result_is_frozen(small_artefact: dict[str, Any]) -> None:
    result = CompiledScorer(small_artefact).score(synthetic_profile_for("cus_f").features())
    assert isinstance(result, ScoreResult)
    assert result.model_version == small_artefact["version"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.score = 900  # type: ignore[misc]


def test_batch_scoring_agrees_with_the_compiled_scorer_row_by_row(
    small_artefact: dict[str, Any], population_csv: Path
) -> None:
    scorer = CompiledScorer(small_artefact)
    batch = score_frame(small_artefact, read_csv(population_csv))
    for i, row in enumerate(_rows(population_csv, 300)):
        one = scorer.score(row)
        assert one.score == batch.score[i]
        assert one.pd == pytest.approx(batch.pd[i], rel=1e-9)
        assert one.segment == batch.segment[i]
