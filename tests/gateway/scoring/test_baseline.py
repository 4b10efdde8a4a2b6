"""The score's development distribution carried in the artefact."""

from __future__ import annotations

import json
from bisect import bisect_left

import numpy as np

from gateway.scoring.artefact import BUNDLED_DIR
from gateway.scoring.baseline import score_baseline


def test_bands_of_twenty_points_with_thin_tails_folded_in() -> None:
    # 1 score in 400-419, 99 in 540-559, 100 in 560-579, 1 in 700-719 (floor: 1% of 201 = 2.01).
    points = np.array([405.2] + [550.0] * 99 + [561.4] * 100 + [719.4])
    baseline = score_baseline(points)
    assert baseline["labels"] == ["<560", "560+"]
    assert baseline["counts"] == [100, 101]
    assert baseline["edges"] == [559.5]
    assert baseline["rows"] == 201


def test_edges_put_an_integer_score_in_its_band() -> None:
    points = np.arange(500.0, 600.0)
    baseline = score_baseline(points)
    assert baseline["labels"] == ["<520", "520-539", "540-559", "560-579", "580+"]
    assert bisect_left(baseline["edges"], 519) == 0
    assert bisect_left(baseline["edges"], 520) == 1
    assert bisect_left(baseline["edges"], 579) == 3


def test_the_bundled_model_carries_its_baselines() -> None:
    (path,) = BUNDLED_DIR.glob("*.json")
    artefact = json.loads(path.read_text())
    score = artefact["baseline"]["score"]
    assert sum(score["counts"]) == artefact["training"]["rows"]
    assert len(score["counts"]) == len(score["edges"]) + 1
    for feature in artefact["features"]:
        assert sum(feature["counts"]) + feature["missing_count"] == artefact["training"]["rows"]
