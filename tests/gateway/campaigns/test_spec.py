"""The campaign spec: reviewed YAML, every mistake named by its field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from flask.testing import FlaskCliRunner

from gateway.campaigns.spec import ContactRules, SpecError, load_spec, parse_spec
from tests.gateway.campaigns.conftest import EXAMPLE_SPEC


def _example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE_SPEC.read_text())
    return data


def test_the_example_spec_is_valid() -> None:
    spec = load_spec(EXAMPLE_SPEC)
    assert spec.id == "cmp_example_2026_12"
    assert spec.affinity["mass_market"] == ["shopping"]
    assert spec.contacts.budget("A") == 3 and spec.contacts.budget("E") == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": "winter"}, "id"),
        ({"affinity": {"mass_market": ["cruises"]}}, "affinity.mass_market"),
        ({"contacts": {"per_30_days": 0}}, "contacts.per_30_days"),
        ({"surprise": 1}, "surprise"),
        ({"exposure_cap": "-1"}, "exposure_cap"),
    ],
)
def test_a_bad_field_is_named(change: dict[str, Any], field: str) -> None:
    with pytest.raises(SpecError, match=f"^{field}"):
        parse_spec({**_example(), **change})


def test_a_grade_budget_never_exceeds_the_overall_one() -> None:
    rules = ContactRules(per_30_days=2, by_grade={"A": 5, "E": 1})
    assert (rules.budget("A"), rules.budget("C"), rules.budget("E")) == (2, 2, 1)


def test_build_with_a_bad_spec_exits_2_naming_the_field(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(yaml.safe_dump({**_example(), "valid_days": 0}))
    result = runner.invoke(
        args=["campaigns", "build", "--spec", str(spec), "--profiles", "p", "--eligibility", "e",
              "--out", str(tmp_path / "out")]
    )  # fmt: skip
    assert result.exit_code == 2
    assert "valid_days" in result.output
