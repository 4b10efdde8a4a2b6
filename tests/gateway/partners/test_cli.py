"""``gateway partners validate | apply | list | show | suspend | resume``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.audit.models import AuditEntry
from gateway.partners import services
from tests.gateway.partners.samples import CONFIG_DIR, demo_config, write_configs


def _copy_demo(tmp_path: Path) -> Path:
    target = tmp_path / "configs"
    target.mkdir()
    for path in CONFIG_DIR.glob("*.yaml"):
        shutil.copy(path, target / path.name)
    return target


def test_validate_accepts_the_shipped_configs(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["partners", "validate", str(CONFIG_DIR)])
    assert result.exit_code == 0, result.output
    assert "3 partner config(s) valid" in result.output


def test_validate_names_file_field_and_reason_for_every_problem(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    directory = _copy_demo(tmp_path)
    unknown = demo_config("demo-mall")
    unknown["environments"]["sandbox"]["colour"] = "blue"
    tenors = demo_config("demo-travel")
    tenors["products"][0]["tenors"] = [3, 5]
    cap = demo_config("demo-academy")
    cap["products"][0]["apr_by_grade"]["E"] = "0.2600"
    write_configs(directory, unknown, tenors, cap)
    duplicate = demo_config("demo-mall")
    (directory / "demo-mall-copy.yaml").write_text(yaml.safe_dump(duplicate))

    result = runner.invoke(args=["partners", "validate", str(directory)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert "demo-mall.yaml: environments.sandbox.colour: Extra inputs are not permitted" in lines
    assert any(
        line.startswith("demo-travel.yaml: products.0.tenors: tenor(s) [5] not allowed")
        for line in lines
    )
    assert any(
        line.startswith("demo-academy.yaml: products.0: apr_by_grade above apr_cap")
        for line in lines
    )
    assert "demo-mall.yaml: id: duplicate id 'demo-mall' (also in demo-mall-copy.yaml)" in lines


def test_validate_json_lists_problems(runner: FlaskCliRunner, tmp_path: Path) -> None:
    bad = demo_config()
    bad["products"][0]["tenors"] = [7]
    directory = write_configs(tmp_path / "c", bad)
    result = runner.invoke(args=["partners", "validate", str(directory), "--json"])
    assert result.exit_code == 2
    body = json.loads(result.output.splitlines()[0])
    assert body["valid"] is False
    assert body["problems"][0]["file"] == "demo-mall.yaml"
    assert body["problems"][0]["field"] == "products.0.tenors"


def test_yaml_syntax_errors_are_reported_with_the_line(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    directory = tmp_path / "c"
    directory.mkdir()
    (directory / "broken.yaml").write_text("id: broken\nproducts: [\n")
    result = runner.invoke(args=["partners", "validate", str(directory)])
    assert result.exit_code == 2
    assert "broken.yaml: line" in result.output


def test_apply_twice_changes_nothing_the_second_time(
    runner: FlaskCliRunner, db_session: Session
) -> None:
    dry = runner.invoke(args=["partners", "apply", str(CONFIG_DIR), "--dry-run"])
    assert dry.exit_code == 0
    assert "would create demo-mall" in dry.output
    assert services.list_partners(db_session) == []
    first = runner.invoke(args=["partners", "apply", str(CONFIG_DIR), "--json"])
    actions = {c["partner_id"]: c["action"] for c in json.loads(first.output)["changes"]}
    assert actions == {"demo-mall": "create", "demo-travel": "create", "demo-academy": "create"}
    audited = db_session.scalars(
        select(AuditEntry).where(AuditEntry.action == "partner.config_applied")
    ).all()
    second = runner.invoke(args=["partners", "apply", str(CONFIG_DIR)])
    assert second.exit_code == 0
    assert second.output.splitlines() == [
        "unchanged demo-academy",
        "unchanged demo-mall",
        "unchanged demo-travel",
    ]
    again = db_session.scalars(
        select(AuditEntry).where(AuditEntry.action == "partner.config_applied")
    ).all()
    assert len(again) == len(audited) == 3


def test_apply_reports_the_fields_that_change(
    runner: FlaskCliRunner, tmp_path: Path, db_session: Session
) -> None:
    directory = _copy_demo(tmp_path)
    assert runner.invoke(args=["partners", "apply", str(directory)]).exit_code == 0
    changed = demo_config("demo-mall")
    changed["rate_limit"]["requests_per_minute"] = 100
    write_configs(directory, changed)
    dry = runner.invoke(args=["partners", "apply", str(directory), "--dry-run"])
    assert "would update demo-mall: rate_limit" in dry.output
    result = runner.invoke(args=["partners", "apply", str(directory)])
    assert "update demo-mall: rate_limit" in result.output
    partner = services.get_partner(db_session, "demo-mall")
    assert partner.config.rate_limit.requests_per_minute == 100


def test_apply_refuses_an_invalid_directory(runner: FlaskCliRunner, tmp_path: Path) -> None:
    bad = demo_config()
    bad["status"] = "paused"
    directory = write_configs(tmp_path / "c", bad)
    result = runner.invoke(args=["partners", "apply", str(directory)])
    assert result.exit_code == 2
    assert "demo-mall.yaml: status:" in result.output


def test_list_show_suspend_resume(runner: FlaskCliRunner, db_session: Session) -> None:
    runner.invoke(args=["partners", "apply", str(CONFIG_DIR)])
    listed = json.loads(runner.invoke(args=["partners", "list", "--json"]).output)
    assert [p["id"] for p in listed["data"]] == ["demo-academy", "demo-mall", "demo-travel"]
    shown = json.loads(runner.invoke(args=["partners", "show", "demo-mall", "--json"]).output)
    assert shown["config"]["products"][0]["code"] == "mall_instalments"
    assert shown["display_name"] == {"zh-CN": "演示商城", "en": "Demo Mall"}
    suspended = runner.invoke(args=["partners", "suspend", "demo-mall", "--json"])
    assert json.loads(suspended.output) == {"id": "demo-mall", "status": "suspended"}
    assert services.get_partner(db_session, "demo-mall").status == "suspended"
    # Re-applying the (active) file does not lift an operator's suspension.
    runner.invoke(args=["partners", "apply", str(CONFIG_DIR)])
    assert services.get_partner(db_session, "demo-mall").status == "suspended"
    resumed = runner.invoke(args=["partners", "resume", "demo-mall"])
    assert "demo-mall is now active" in resumed.output
    actions = db_session.scalars(
        select(AuditEntry.action).where(AuditEntry.partner_id == "demo-mall")
    ).all()
    assert "partner.suspended" in actions and "partner.resumed" in actions


def test_show_of_an_unknown_partner_fails(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["partners", "show", "nobody"])
    assert result.exit_code == 1
    assert "no partner 'nobody'" in result.output
