"""The campaign build as a PySpark job: extract, transform, load.

Laid out as ``AlexIoannides/pyspark-example-project``'s ``jobs/etl_job.py``:
:func:`extract` reads the inputs, :func:`transform` is a pure function of
DataFrames (tested with a local SparkSession and small data), :func:`load`
writes the results, and everything else comes from the spec file. The same
file runs unchanged under ``spark-submit`` (``docs/campaigns.md``)::

    spark-submit --py-files instalments_gateway-*.whl gateway/campaigns/job.py \\
        --spec campaign.yaml --profiles s3a://bank/profiles/ \\
        --eligibility s3a://bank/eligibility.parquet --out s3a://bank/campaigns/cmp_x/

Scoring and limits run in Python workers inside ``mapInPandas``
(:func:`gateway.campaigns.assess.assess`); the window that keeps each
customer within its contact budget, the partitioned write and the summary's
counts run in the JVM.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as sf

from gateway.campaigns.assess import PROFILE_COLUMNS, Plan, assess_batches, output_columns
from gateway.campaigns.plan import plan_from_spec
from gateway.campaigns.summary import summarise

MONEY = ("verified_monthly_income", "avg_balance", "monthly_debt_service")
LIST_COLUMNS = (
    "customer_ref",
    "campaign_id",
    "environment",
    "product_code",
    "limit",
    "currency",
    "grade",
    "pd_band",
    "segment",
    "contact_rank",
    "issued_at",
    "expires_at",
)


@dataclass(frozen=True)
class Inputs:
    """Where the job reads and writes."""

    spec: Path
    profiles: str
    eligibility: str
    out: str


def extract(spark: SparkSession, inputs: Inputs) -> tuple[DataFrame, DataFrame]:
    """Read the bank's profiles (Parquet, or CSV with a header) and the eligibility export."""
    if inputs.profiles.endswith(".csv"):
        profiles = spark.read.csv(inputs.profiles, header=True, inferSchema=True)
    else:
        profiles = spark.read.parquet(inputs.profiles)
    return profiles, spark.read.parquet(inputs.eligibility)


def _customer_ref(profiles: DataFrame, pepper: str) -> DataFrame:
    """Profiles keyed by ``customer_ref``; a ``phone`` column is hashed and dropped here."""
    if "customer_ref" in profiles.columns or "phone" not in profiles.columns:
        return profiles

    def hash_phones(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from gateway.scoring.batch_io import _hash_phones

        for batch in batches:
            refs = _hash_phones([str(p) for p in batch["phone"].tolist()], pepper)
            yield batch.drop(columns=["phone"]).assign(customer_ref=refs)

    fields = [
        f"`{f.name}` {f.dataType.simpleString()}" for f in profiles.schema if f.name != "phone"
    ]
    return profiles.mapInPandas(hash_phones, ", ".join([*fields, "customer_ref string"]))


def _prepare(profiles: DataFrame, eligibility: DataFrame, plan: Plan) -> DataFrame:
    """One row per customer: profile columns (money as double) and eligibility flags."""
    columns = [
        sf.col(c).cast("double").alias(c) if c in MONEY else sf.col(c)
        for c in PROFILE_COLUMNS
        if c in profiles.columns
    ]
    consent = [
        (sf.col("marketing_bank") | sf.array_contains("marketing_partners", s.partner)).alias(
            f"consent_{s.name}"
        )
        for s in plan.scenarios
    ]
    marketing = eligibility.select(
        "customer_ref",
        sf.lit(True).alias("marketing"),
        *consent,
        "last_contact_at",
        "last_decision_at",
        "contacts_30d",
        sf.col("exposure").cast("double").alias("exposure"),
    )
    return profiles.select(*columns).join(marketing, "customer_ref", "left")


def _candidates(assessed: DataFrame, plan: Plan) -> Column:
    return sf.array(
        *(
            sf.struct(
                sf.lit(s.name).alias("scenario"),
                sf.lit(s.partner).alias("partner"),
                sf.lit(s.product.code).alias("product_code"),
                sf.lit(s.product.currency).alias("currency"),
                sf.col(f"limit_{s.name}").alias("limit_fen"),
                sf.col(f"rank_{s.name}").alias("rank"),
            )
            for s in plan.scenarios
        )
    )


def _pd_band(grade: Column) -> Column:
    bands = {"A": "0-2%", "B": "2-5%", "C": "5-10%", "D": "10-18%", "E": "18-30%"}
    band = sf.lit(None).cast("string")
    for name, text in reversed(bands.items()):
        band = sf.when(grade == name, text).otherwise(band)
    return band


def transform(
    profiles: DataFrame, eligibility: DataFrame, plan: Plan
) -> tuple[DataFrame, DataFrame]:
    """The campaign list and every customer's assessment, from the two inputs.

    Returns:
        ``(listed, assessed)``: one list row per contact (customer, scenario,
        partner), within each customer's contact budget and best affinity
        first; and one assessment row per customer (``excluded_at`` null for
        those listed) for the summary.
    """
    schema = ", ".join(f"{name} {kind}" for name, kind in output_columns(plan))
    assessed = _prepare(profiles, eligibility, plan).mapInPandas(
        lambda batches: assess_batches(batches, plan), schema
    )
    contacts = (
        assessed.where(sf.col("excluded_at").isNull())
        .select(
            "customer_ref",
            "segment",
            "grade",
            "budget_left",
            sf.explode(_candidates(assessed, plan)).alias("c"),
        )
        .where(sf.col("c.rank") > 0)
    )
    order = Window.partitionBy("customer_ref").orderBy("c.rank", sf.desc("c.limit_fen"))
    listed = (
        contacts.withColumn("contact_rank", sf.row_number().over(order))
        .where(sf.col("contact_rank") <= sf.col("budget_left"))
        .select(
            "customer_ref",
            sf.lit(plan.campaign_id).alias("campaign_id"),
            sf.lit(plan.environment).alias("environment"),
            sf.col("c.scenario").alias("scenario"),
            sf.col("c.partner").alias("partner"),
            sf.col("c.product_code").alias("product_code"),
            (sf.col("c.limit_fen") / 100).cast("decimal(12,2)").alias("limit"),
            sf.col("c.currency").alias("currency"),
            "grade",
            _pd_band(sf.col("grade")).alias("pd_band"),
            "segment",
            "contact_rank",
            sf.lit(plan.built_at).alias("issued_at"),
            sf.lit(plan.expires_at).alias("expires_at"),
        )
    )
    return listed, assessed


def load(listed: DataFrame, assessed: DataFrame, plan: Plan, out: str) -> dict[str, Any]:
    """Write the list (Parquet, partitioned by scenario and partner) and ``summary.json``."""
    listed.write.mode("overwrite").partitionBy("scenario", "partner").parquet(out)
    steps = assessed.groupBy("excluded_at", "segment", "grade").count().collect()
    per_list = listed.groupBy("scenario", "partner").count().collect()
    summary = summarise(plan, [r.asDict() for r in steps], [r.asDict() for r in per_list])
    text = json.dumps(summary, indent=1, sort_keys=True)
    spark = listed.sparkSession
    # Written through Hadoop's FileSystem so the same code writes to HDFS or S3.
    jvm = spark.sparkContext._jvm
    assert jvm is not None
    path = jvm.org.apache.hadoop.fs.Path(out.rstrip("/") + "/_summary.json")
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    stream = fs.create(path, True)
    stream.write(text.encode("utf-8"))
    stream.close()
    return summary


def run(spark: SparkSession, inputs: Inputs, pepper: str = "") -> dict[str, Any]:
    """Extract, transform and load one campaign; returns the summary."""
    plan = plan_from_spec(inputs.spec)
    profiles, eligibility = extract(spark, inputs)
    listed, assessed = transform(_customer_ref(profiles, pepper), eligibility, plan)
    assessed.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        return load(listed, assessed, plan, inputs.out)
    finally:
        assessed.unpersist()


def parse_args(argv: Sequence[str]) -> Inputs:
    """The job's arguments (the same under ``spark-submit`` and ``gateway campaigns build``)."""
    parser = argparse.ArgumentParser(prog="gateway-campaigns-job")
    parser.add_argument("--spec", required=True, type=Path)
    parser.add_argument("--profiles", required=True)
    parser.add_argument("--eligibility", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    return Inputs(args.spec, args.profiles, args.eligibility, args.out)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point for ``spark-submit``: the master and resources come from its flags."""
    import os

    inputs = parse_args(sys.argv[1:] if argv is None else argv)
    spark = (
        SparkSession.builder.appName(f"campaign {inputs.spec.stem}")
        # Times reach the Python workers as naive values in the session's zone: keep it UTC.
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    try:
        summary = run(spark, inputs, os.environ.get("GATEWAY_IDENTIFIER_PEPPER", ""))
    finally:
        spark.stop()
    print(json.dumps(summary["steps"]))


if __name__ == "__main__":
    main()
