"""The docs say what the code does: the persona table, the rules and reasons, retention."""

from __future__ import annotations

import re
from pathlib import Path

from gateway.prequal.sandbox import PERSONAS
from gateway.retention.policy import CATEGORIES
from gateway.risk.config import RULE_NAMES
from gateway.risk.reasons import ALL_REASONS, RULE_CODES

DOCS = Path(__file__).resolve().parents[3] / "docs"


def test_resources_lists_every_sandbox_persona_in_one_table() -> None:
    text = (DOCS / "resources.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\+86138000000\d\d)` \|", text, flags=re.MULTILINE)
    assert rows == sorted(PERSONAS)


def test_risk_controls_page_names_every_rule_and_reason() -> None:
    text = (DOCS / "risk-controls.md").read_text(encoding="utf-8")
    for name in RULE_NAMES:
        assert f"`{name}`" in text
    for code in (*RULE_CODES.values(), *(r.code for r in ALL_REASONS)):
        assert f"`{code}`" in text
    assert "200,000" in text and "gateway_risk_rule_hits_total" in text


def test_privacy_has_the_retention_table() -> None:
    text = (DOCS / "privacy.md").read_text(encoding="utf-8")
    for category in CATEGORIES:
        assert re.search(
            rf"^\| `{category.name}` \|.*\| {category.default_days} days", text, re.M
        ), category.name
