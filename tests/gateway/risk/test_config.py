"""risk_rules.yaml: validated like the partner configs, each problem naming its line."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from gateway.risk.config import DEFAULT_CAP, parse_window
from gateway.risk.loader import RULES_FILE, load_rules, parse_rules

REPO_CONFIGS = Path(__file__).resolve().parents[3] / "partner_configs"

GOOD = """\
exposure:
  cap_per_customer: "150000.00"
rules:
  - rule: customer_velocity
    window: 1h
    threshold: 5
    action: refer
    mode: enforce
  - rule: id_number_mismatch
    action: decline
    mode: monitor
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / RULES_FILE
    path.write_text(text, encoding="utf-8")
    return path


def test_the_repository_rules_file_is_valid() -> None:
    loaded = load_rules(REPO_CONFIGS)
    assert loaded.ok, [str(p) for p in loaded.problems]
    assert loaded.rules.exposure.cap_per_customer == DEFAULT_CAP == Decimal("200000.00")
    assert {r.rule for r in loaded.rules.rules} == {
        "customer_velocity",
        "phones_per_id_number",
        "id_number_mismatch",
        "customers_per_device",
    }


def test_a_good_file_parses(tmp_path: Path) -> None:
    loaded = parse_rules(_write(tmp_path, GOOD))
    assert loaded.ok
    assert loaded.rules.exposure.cap_per_customer == Decimal("150000.00")
    velocity = loaded.rules.rule("customer_velocity")
    assert velocity is not None and velocity.window == dt.timedelta(hours=1)


def test_no_file_means_the_default_cap_and_no_rules(tmp_path: Path) -> None:
    loaded = load_rules(tmp_path)
    assert loaded.ok and loaded.path is None
    assert loaded.rules.rules == [] and loaded.rules.exposure.cap_per_customer == DEFAULT_CAP


@pytest.mark.parametrize(
    ("change", "line", "field", "words"),
    [
        (
            ("    mode: enforce\n", "    mode: enforce\n    severity: high\n"),
            9,
            "rules.0.severity",
            "Extra",
        ),
        (("window: 1h", "window: -3h"), 5, "rules.0.window", "must not be negative"),
        (("action: refer", "action: block"), 7, "rules.0.action", "'refer' or 'decline'"),
        (("mode: monitor", "mode: shadow"), 11, "rules.1.mode", "'monitor' or 'enforce'"),
        (("threshold: 5", "threshold: -1"), 6, "rules.0.threshold", "greater than or equal"),
    ],
)
def test_a_bad_rule_is_refused_naming_its_line(
    tmp_path: Path, change: tuple[str, str], line: int, field: str, words: str
) -> None:
    loaded = parse_rules(_write(tmp_path, GOOD.replace(*change, 1)))
    assert not loaded.ok
    [problem] = loaded.problems
    assert (problem.line, problem.field) == (line, field), str(problem)
    assert words in problem.reason
    assert str(problem).startswith(f"{RULES_FILE}: line {line}: {field}: ")


def test_a_rule_twice_and_a_mismatch_window_are_refused(tmp_path: Path) -> None:
    twice = (
        GOOD
        + "  - {rule: customer_velocity, window: 2h, threshold: 1, action: refer, mode: enforce}\n"
    )
    assert "repeated: customer_velocity" in str(parse_rules(_write(tmp_path, twice)).problems[0])
    windowed = GOOD.replace("    action: decline\n", "    action: decline\n    window: 1h\n")
    assert "takes no window" in parse_rules(_write(tmp_path, windowed)).problems[0].reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15m", dt.timedelta(minutes=15)),
        ("24h", dt.timedelta(hours=24)),
        ("30d", dt.timedelta(days=30)),
        (90, dt.timedelta(seconds=90)),
    ],
)
def test_windows(text: object, expected: dt.timedelta) -> None:
    assert parse_window(text) == expected


@pytest.mark.parametrize("text", ["-1d", "0h", "soon", "400d", -5, True])
def test_bad_windows(text: object) -> None:
    with pytest.raises(ValueError, match="must"):
        parse_window(text)


def test_partners_validate_and_apply_refuse_a_bad_rules_file(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    configs = tmp_path / "configs"
    shutil.copytree(REPO_CONFIGS, configs)
    text = (configs / RULES_FILE).read_text(encoding="utf-8")
    (configs / RULES_FILE).write_text(text.replace("action: decline", "action: ban"), "utf-8")
    line = 1 + text[: text.index("action: decline")].count("\n")
    for args in (["partners", "validate", str(configs)], ["partners", "apply", str(configs)]):
        result = runner.invoke(args=args)
        assert result.exit_code == 2, result.output
        assert f"risk_rules.yaml: line {line}: rules.2.action:" in result.output
    good = runner.invoke(args=["partners", "validate", str(REPO_CONFIGS)])
    assert good.exit_code == 0, good.output
    assert "risk_rules" not in good.output
