"""``gateway campaigns load``: COPY on PostgreSQL, batched inserts on SQLite, reload replaces."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.campaigns.loading import load_list
from gateway.campaigns.models import CampaignEntry
from tests.gateway.campaigns.lists import NOW, entry, write_list


def test_load_writes_every_entry_with_its_partition_values(
    db_session: Session, tmp_path: Path
) -> None:
    rows = [entry(f"cus_{i:064x}") for i in range(25)]
    rows.append(entry("cus_" + "f" * 64, scenario="travel", partner="demo-travel",
                      product_code="travel_instalments", limit=Decimal("12345.67")))  # fmt: skip
    loaded = load_list(db_session, write_list(tmp_path / "list", rows), now=NOW)
    assert (loaded.campaign_ids, loaded.rows, loaded.replaced) == (("cmp_test_list",), 26, 0)
    travel = db_session.get(
        CampaignEntry, ("cmp_test_list", "cus_" + "f" * 64, "demo-travel", "travel_instalments")
    )
    assert travel is not None
    assert travel.limit_amount == Decimal("12345.67")
    assert (travel.scenario, travel.environment) == ("travel", "sandbox")
    assert travel.expires_at == rows[-1]["expires_at"]


def test_loading_a_campaign_again_replaces_its_entries(db_session: Session, tmp_path: Path) -> None:
    load_list(db_session, write_list(tmp_path / "a", [entry("cus_" + "a" * 64)]), now=NOW)
    second = [entry("cus_" + "b" * 64), entry("cus_" + "c" * 64)]
    loaded = load_list(db_session, write_list(tmp_path / "b", second), now=NOW)
    assert loaded.replaced == 1
    refs = set(db_session.scalars(select(CampaignEntry.customer_ref)))
    assert refs == {"cus_" + "b" * 64, "cus_" + "c" * 64}


def test_the_cli_loads_and_rejects_what_is_not_a_list(
    runner: FlaskCliRunner, db_session: Session, tmp_path: Path
) -> None:
    directory = write_list(tmp_path / "list", [entry("cus_" + "d" * 64)])
    result = runner.invoke(args=["campaigns", "load", str(directory), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"campaigns": ["cmp_test_list"], "rows": 1, "replaced": 0}
    assert db_session.scalar(select(func.count()).select_from(CampaignEntry)) == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(args=["campaigns", "load", str(empty)])
    assert result.exit_code == 2
