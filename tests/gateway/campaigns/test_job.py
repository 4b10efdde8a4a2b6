"""The campaign job on local[2]: 100k profiles in, a capped, consented, scored list out."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark")

import pyarrow.dataset as ds
import pyarrow.parquet as pq

from gateway.campaigns.job import Inputs, extract, load, transform
from gateway.campaigns.synthetic import write_synthetic_inputs
from gateway.profiles.profile import Profile
from gateway.scoring.artefact import load_artefact
from gateway.scoring.scorer import CompiledScorer
from tests.gateway.campaigns.conftest import NOW, PARTNERS

PROFILES = 100_000
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(spark: Any, plan: Any, spec_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Build the example campaign once over 100k synthetic profiles."""
    data = tmp_path_factory.mktemp("campaign")
    profiles, eligibility = write_synthetic_inputs(PROFILES, data, partners=PARTNERS, now=NOW)
    out = data / "out"
    inputs = Inputs(spec_path, str(profiles), str(eligibility), str(out))
    listed, assessed = transform(*extract(spark, inputs), plan)
    assessed = assessed.cache()
    summary = load(listed, assessed, plan, str(out))
    rows = ds.dataset(out, format="parquet", partitioning="hive").to_table().to_pylist()
    facts = {r["customer_ref"]: r for r in pq.read_table(eligibility).to_pylist()}
    profile_rows = {r["customer_ref"]: r for r in pq.read_table(profiles).to_pylist()}
    yield {
        "summary": summary,
        "rows": rows,
        "facts": facts,
        "profiles": profile_rows,
        "assessed": assessed,
        "out": out,
    }
    assessed.unpersist()


def test_the_list_is_partitioned_by_scenario_and_partner(built: dict[str, Any]) -> None:
    out: Path = built["out"]
    partitions = {p.relative_to(out).as_posix() for p in out.glob("scenario=*/partner=*")}
    assert partitions == {
        "scenario=shopping/partner=demo-mall",
        "scenario=travel/partner=demo-travel",
        "scenario=tuition/partner=demo-academy",
    }
    assert json.loads((out / "_summary.json").read_text())["steps"][0]["customers"] == PROFILES


def test_rows_carry_the_list_columns_and_never_a_phone(built: dict[str, Any]) -> None:
    row = built["rows"][0]
    assert set(row) == {
        "customer_ref", "campaign_id", "environment", "product_code", "limit", "currency", "grade",
        "pd_band", "segment", "contact_rank", "issued_at", "expires_at", "scenario", "partner",
    }  # fmt: skip
    assert (row["campaign_id"], row["environment"]) == ("cmp_example_2026_12", "live")
    assert isinstance(row["limit"], Decimal) and row["limit"] > 0
    assert len(built["rows"]) > 10_000


def test_customers_without_marketing_consent_are_absent(built: dict[str, Any]) -> None:
    listed = {r["customer_ref"] for r in built["rows"]}
    assert listed <= set(built["facts"])
    assert len(built["profiles"]) - len(built["facts"]) > 30_000  # many had none


def test_consent_for_one_partner_lists_that_partner_only(built: dict[str, Any]) -> None:
    facts = built["facts"]
    for row in built["rows"]:
        fact = facts[row["customer_ref"]]
        assert fact["marketing_bank"] or row["partner"] in fact["marketing_partners"]


def test_customers_in_cool_down_are_absent(built: dict[str, Any], plan: Any) -> None:
    cool_down = NOW - __import__("datetime").timedelta(days=plan.contacts.cool_down_days)
    recent = {
        ref
        for ref, f in built["facts"].items()
        if (f["last_contact_at"] and f["last_contact_at"] > cool_down)
        or (f["last_decision_at"] and f["last_decision_at"] > cool_down)
    }
    assert recent, "the fixture has customers in cool-down"
    assert not recent & {r["customer_ref"] for r in built["rows"]}


def test_blocked_and_arrears_customers_are_absent(built: dict[str, Any]) -> None:
    blocked = {
        ref
        for ref, p in built["profiles"].items()
        if p["current_delinquency"] or p["fraud_flag"] or p["blacklist_flag"]
    }
    assert len(blocked) > 500
    assert not blocked & {r["customer_ref"] for r in built["rows"]}


def test_customers_over_the_exposure_cap_are_absent_and_limits_fit_the_headroom(
    built: dict[str, Any], plan: Any
) -> None:
    facts = built["facts"]
    over = {ref for ref, f in facts.items() if f["exposure"] >= plan.exposure_cap}
    assert over, "the fixture has customers over the cap"
    for row in built["rows"]:
        assert row["customer_ref"] not in over
        assert row["limit"] <= plan.exposure_cap - facts[row["customer_ref"]]["exposure"]


def test_contact_budgets_hold(built: dict[str, Any], plan: Any) -> None:
    per_customer: dict[str, list[dict[str, Any]]] = {}
    for row in built["rows"]:
        per_customer.setdefault(row["customer_ref"], []).append(row)
    assert max(len(rows) for rows in per_customer.values()) > 1  # some get several scenarios
    for ref, rows in per_customer.items():
        already = built["facts"][ref]["contacts_30d"]
        assert already + len(rows) <= plan.contacts.budget(rows[0]["grade"])
        assert sorted(r["contact_rank"] for r in rows) == list(range(1, len(rows) + 1))


def test_riskier_grades_get_fewer_contacts(built: dict[str, Any]) -> None:
    most: dict[str, int] = {}
    counts: dict[str, int] = {}
    for row in built["rows"]:
        counts[row["customer_ref"]] = counts.get(row["customer_ref"], 0) + 1
        most[row["grade"]] = max(most.get(row["grade"], 0), counts[row["customer_ref"]])
    assert most["A"] == 3 and most["D"] == 1 and most["E"] == 1


def test_summary_counts_each_step(built: dict[str, Any]) -> None:
    summary = built["summary"]
    counts = [s["customers"] for s in summary["steps"]]
    assert counts == sorted(counts, reverse=True)
    assert (
        counts[-1]
        == summary["eligible_customers"]
        == len({r["customer_ref"] for r in built["rows"]})
    )
    assert sum(c["contacts"] for c in summary["contacts"]) == len(built["rows"])
    assert sum(s["profiles"] for s in summary["by_segment"].values()) == PROFILES
    assert all(summary["excluded"][step] > 0 for step in ("marketing_consent", "cool_down"))


def test_scores_and_pds_equal_the_serving_scorer_on_the_same_rows(
    built: dict[str, Any], plan: Any
) -> None:
    scorer = CompiledScorer(load_artefact_of(plan))
    sample = built["assessed"].limit(3000).collect()
    for row in sample:
        profile = _profile(built["profiles"][row["customer_ref"]])
        served = scorer.score(profile.features())
        assert row["score"] == served.score
        assert math.isclose(row["pd"], served.pd, rel_tol=0, abs_tol=1e-9)
        assert row["segment"] == served.segment


def load_artefact_of(plan: Any) -> Any:
    return plan.artefact


def _profile(raw: dict[str, Any]) -> Profile:
    values = dict(raw)
    for name in ("verified_monthly_income", "avg_balance", "monthly_debt_service"):
        values[name] = Decimal(f"{values[name]:.2f}")
    for name in ("on_time_ratio", "utilisation"):
        if values[name] != values[name]:
            values[name] = None
    return Profile(**values)


__all__ = ["load_artefact"]
