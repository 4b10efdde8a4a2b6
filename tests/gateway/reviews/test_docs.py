"""docs/reviews.md: its queue session runs as written; its config block holds the defaults."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from gateway.partners.config import ReviewSettings
from gateway.reviews.reasons import REASONS
from tests.gateway.reviews.flow import case_for, referred

PAGE = Path(__file__).parents[3] / "docs" / "reviews.md"


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"^```{kind}\n(.*?)^```$", PAGE.read_text("utf-8"), re.M | re.S)


def test_the_session_at_the_queue_runs_as_written(
    partner_api: Any, runner: FlaskCliRunner, db_session: Session
) -> None:
    case = case_for(db_session, referred(partner_api("demo-mall"))["id"])
    (session,) = _blocks("sh")
    commands = [line for line in session.splitlines() if line.startswith("gateway ")]
    assert [c.split()[2] for c in commands] == ["list", "list", "show", "claim", "decide"]
    for command in commands:
        args = shlex.split(command.replace("$CASE", case.id))[1:]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, (command, result.output)
    decided = case_for(db_session, case.prequalification_id)
    assert (decided.status, decided.outcome, (decided.decision or {}).get("grade")) == (
        "decided",
        "approved",
        "C",
    )


def test_the_config_block_shows_the_defaults_and_the_table_every_reason() -> None:
    (config,) = _blocks("yaml")
    assert ReviewSettings.model_validate(yaml.safe_load(config)["review"]) == ReviewSettings()
    text = PAGE.read_text("utf-8")
    for catalogue in REASONS.values():
        for code in catalogue:
            assert f"`{code}`" in text, code
