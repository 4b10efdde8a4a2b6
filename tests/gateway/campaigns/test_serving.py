"""The serving gateway never imports pyspark, pandas or pyarrow (DESIGN §10), even for a
pre-approved customer: the probe runs in its own process, where nothing else loaded them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import DEFAULT_PG_URL


def test_the_checkout_path_never_imports_the_campaign_jobs_libraries() -> None:
    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME")}
    # Its own PostgreSQL database: the probe resets the schema it runs on.
    url = os.environ.get("GATEWAY_TEST_DATABASE_URL", DEFAULT_PG_URL)
    env["GATEWAY_TEST_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/gateway_test_campaigns_probe"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         str(Path(__file__).with_name("serving_probe.py"))],
        capture_output=True, text=True, env=env, cwd=root, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 passed" in result.stdout
