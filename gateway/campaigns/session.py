"""A SparkSession for ``gateway campaigns build`` (``spark-submit`` brings its own)."""

from __future__ import annotations

import os
import sys
from typing import Any


def spark_session(master: str, app_name: str, conf: dict[str, str] | None = None) -> Any:
    """A session on ``master`` whose Python workers run this interpreter.

    The workers must import ``gateway``: on a local master they run the
    interpreter of this process (``PYSPARK_PYTHON``; Spark would otherwise
    resolve the virtualenv's symlink to the system Python and miss its
    packages). On a cluster, ship the wheel (``docs/campaigns.md``).
    """
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
