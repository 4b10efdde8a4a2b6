"""Build → load → checkout: a pre-approved customer prequalifies with the campaign's limit.

The whole loop on real parts: consents recorded through the API, the
eligibility export, the Spark job on local[2], the load, a prequalification
and an acceptance through the API, and the funnel report's campaign section.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark")

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from flask import Flask
from flask.testing import FlaskCliRunner

from gateway.campaigns.job import Inputs, run
from gateway.campaigns.synthetic import write_synthetic_inputs
from gateway.identity import customer_ref
from gateway.prequal.policy import DEFAULT_POLICY
from gateway.profiles.synthetic import synthetic_profile_for
from gateway.scoring.artefact import BUNDLED_DIR, load_artefact
from gateway.scoring.scorer import CompiledScorer
from tests.gateway.campaigns.conftest import NOW, PARTNERS
from tests.gateway.consent.test_views import consent_body
from tests.gateway.offers.flow import accept
from tests.gateway.prequal.test_views import grant, prequal_body

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built_lists() -> dict[str, Path]:
    """Lists built by an earlier backend's run of the test, by customer reference.

    The export is the same on SQLite and PostgreSQL (the test asserts it), so
    the second backend loads the first one's list instead of starting the
    same Spark job again.
    """
    return {}


def _good_customer(pepper: str) -> tuple[str, str]:
    """A phone whose sandbox profile is a clean grade-A or B customer of working age."""
    scorer = CompiledScorer(load_artefact(sorted(BUNDLED_DIR.glob("*.json"))[0]))
    for n in range(1000):
        phone = f"+861391234{n:04d}"
        ref = customer_ref(pepper, phone)
        profile = synthetic_profile_for(ref)
        result = scorer.score(profile.features())
        grade = DEFAULT_POLICY.grade_for(result.pd, False)
        flags = profile.fraud_flag or profile.blacklist_flag or profile.current_delinquency
        affordable = profile.verified_monthly_income > 8000 + 2 * profile.monthly_debt_service
        if grade in ("A", "B") and not flags and 25 <= profile.age <= 40 and affordable:
            return phone, ref
    raise AssertionError("no clean customer among the sandbox profiles")


def _profiles_with(ref: str, directory: Path) -> Path:
    """Synthetic bank profiles plus the customer's own (the sandbox profile the gateway scores)."""
    path, _ = write_synthetic_inputs(2000, directory / "others", partners=PARTNERS, now=NOW)
    table = pq.read_table(path)
    profile = synthetic_profile_for(ref).__dict__
    row = {name: [profile[name]] for name in table.schema.names}
    for money in ("verified_monthly_income", "avg_balance", "monthly_debt_service"):
        row[money] = [float(profile[money])]
    combined = pa.concat_tables([table, pa.table(row, schema=table.schema)])
    out = directory / "bank_profiles.parquet"
    pq.write_table(combined, out)
    return out


def test_a_pre_approved_customer_gets_the_campaigns_limit_at_checkout(
    app: Flask,
    partner_api: Any,
    runner: FlaskCliRunner,
    spark: Any,
    spec_path: Path,
    tmp_path: Path,
    built_lists: dict[str, Path],
) -> None:
    pepper = app.extensions["gateway.settings"].identifier_pepper
    phone, ref = _good_customer(pepper)
    mall = partner_api("demo-mall", "sandbox")
    response = mall.post("/v1/consents", json=consent_body("marketing", customer={"phone": phone}))
    assert response.status_code == 201, response.get_json()

    eligibility = tmp_path / "eligibility.parquet"
    result = runner.invoke(
        args=["campaigns", "export-eligibility", "--out", str(eligibility), "--env", "sandbox"]
    )
    assert result.exit_code == 0, result.output
    exported = pq.read_table(eligibility).to_pylist()
    assert [(r["customer_ref"], r["marketing_bank"]) for r in exported] == [(ref, True)]

    if ref not in built_lists:
        spec = tmp_path / "campaign.yaml"
        spec.write_text(spec_path.read_text().replace("environment: live", "environment: sandbox"))
        out = tmp_path / "list"
        profiles = _profiles_with(ref, tmp_path)
        summary = run(spark, Inputs(spec, str(profiles), str(eligibility), str(out)))
        assert summary["eligible_customers"] == 1
        built_lists[ref] = out
    out = built_lists[ref]
    rows = ds.dataset(out, format="parquet", partitioning="hive").to_table().to_pylist()
    shopping = next(r for r in rows if r["partner"] == "demo-mall")
    assert shopping["customer_ref"] == ref and shopping["environment"] == "sandbox"

    result = runner.invoke(args=["campaigns", "load", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"] == len(rows)

    amount = min(shopping["limit"], Decimal("3999.00"))
    consent_id = grant(mall, phone)
    body = prequal_body(consent_id, phone)
    body["scenario"]["amount"] = f"{amount:.2f}"
    response = mall.post("/v1/prequalifications", json=body)
    assert response.status_code == 201, response.get_json()
    decision = response.get_json()
    assert decision["status"] == "approved"
    assert decision["pre_approved"] is True
    assert decision["campaign_id"] == "cmp_example_2026_12"
    assert decision["pre_approved_limit"] == f"{shopping['limit']:.2f}"
    assert decision["approved_amount"] == f"{amount:.2f}"
    again = mall.get(f"/v1/prequalifications/{decision['id']}").get_json()
    assert (
        again["pre_approved"] is True and again["pre_approved_limit"] == f"{shopping['limit']:.2f}"
    )

    credit = grant(mall, phone, "credit_inquiry")
    assert accept(mall, decision["offers"][0], credit).status_code == 201

    result = runner.invoke(args=["report", "funnel", "--json", "--env", "sandbox"])
    assert result.exit_code == 0, result.output
    (campaign,) = json.loads(result.output)["campaigns"]
    assert campaign["campaign_id"] == "cmp_example_2026_12"
    assert campaign["contacted"] == len(rows)
    assert (campaign["checkout"], campaign["accepted"]) == (1, 1)
    assert campaign["conversion"]["checkout_per_contact"] == round(1 / len(rows), 4)
    by_grade = {g["key"]: g for g in campaign["by"]["grade"]}
    assert by_grade[shopping["grade"]]["checkout"] == 1
    html = tmp_path / "funnel.html"
    result = runner.invoke(args=["report", "funnel", "--env", "sandbox", "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert 'data-campaign="cmp_example_2026_12" data-group="all"' in html.read_text()


def test_a_customer_not_on_any_list_is_not_pre_approved(partner_api: Any) -> None:
    mall = partner_api("demo-mall", "sandbox")
    phone = "+8613800000001"
    response = mall.post("/v1/prequalifications", json=prequal_body(grant(mall, phone), phone))
    assert response.status_code == 201
    assert response.get_json()["pre_approved"] is False
    assert response.get_json()["campaign_id"] is None
