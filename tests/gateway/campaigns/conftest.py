"""One SparkSession for every campaign test (local[2], small shuffles, no UI), and shared inputs.

Starting a JVM costs seconds, so the session is session-scoped, as in
``AlexIoannides/pyspark-example-project``'s tests; the 100k-profile build
runs once per module that asks for it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE_SPEC = ROOT / "gateway" / "campaigns" / "example_campaign.yaml"
PARTNERS = ("demo-mall", "demo-travel", "demo-academy")
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A local[2] SparkSession whose Python workers run this interpreter."""
    pyspark_sql = pytest.importorskip("pyspark.sql")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        pyspark_sql.SparkSession.builder.master("local[2]")
        .appName("gateway-campaign-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def spec_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example campaign, pointed at the repository's partner configs."""
    text = EXAMPLE_SPEC.read_text(encoding="utf-8").replace(
        "partner_configs: ../../partner_configs", f"partner_configs: {ROOT / 'partner_configs'}"
    )
    path = tmp_path_factory.mktemp("spec") / "campaign.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def plan(spec_path: Path) -> Any:
    """The example campaign's plan, built at :data:`NOW`."""
    # Imported here: the serving probe shares this conftest and must not load pandas.
    from gateway.campaigns.plan import plan_from_spec

    return plan_from_spec(spec_path, NOW)
