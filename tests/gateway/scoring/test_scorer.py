"""The compiled scorer: points, PD, factors and segments from the artefact alone."""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gateway.profiles.synthetic import synthetic_profile_for
from gateway.scoring.batch import score_frame
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


def test_pd_is_the_calibrated_logistic_of_the_points(small_artefact: dict[str, Any]) -> None:
    scorer = CompiledScorer(small_artefact)
    calibration = small_artefact["calibration"]
    result = scorer.score(synthetic_profile_for("cus_pd").features())
    # A calibrated PD falls as the score rises (a < 0) and lies strictly inside (0, 1).
    assert calibration["a"] < 0
    assert 0 < result.pd < 1
    approx = 1 / (1 + math.exp(-(calibration["a"] * result.score + calibration["b"])))
    assert result.pd == pytest.approx(approx, rel=0.05)


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
