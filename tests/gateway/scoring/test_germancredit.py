"""The real-data benchmark: UCI Statlog German credit through `gateway model evaluate`."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"
SHA256 = "2c0bae00275c028fc853a1ea72cc7a68002c3f6876c41300c5c948711540c8c6"


def test_the_vendored_data_matches_its_recorded_hash() -> None:
    digest = hashlib.sha256((DATA / "germancredit.csv").read_bytes()).hexdigest()
    assert digest == SHA256
    assert SHA256 in (DATA / "ATTRIBUTION.md").read_text()


def test_five_fold_cv_meets_the_auc_and_ks_bars_for_the_champion(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "GATEWAY_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    result = subprocess.run(
        [
            sys.executable, "-m", "gateway", "model", "evaluate",
            "--data", str(DATA / "germancredit.csv"),
            "--spec", str(DATA / "germancredit.yaml"),
            "--folds", "5", "--json",
        ],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["folds"] == 5
    assert figures["rows"] == 1000
    champion = figures["models"]["champion"]
    challenger = figures["models"]["challenger"]
    assert champion["auc"] >= 0.77
    assert champion["ks"] >= 0.42
    for model in (champion, challenger):
        for key in ("auc", "ks", "gini", "brier", "hosmer_lemeshow_p"):
            assert isinstance(model[key], float)
        assert len(model["per_fold"]) == 5
        assert {"auc", "ks", "gini", "brier", "hosmer_lemeshow_p"} <= set(model["per_fold"][0])
