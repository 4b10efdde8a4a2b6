"""Acceptance 5: ``report funnel --html`` numbers match the hand-built fixture exactly."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from gateway.funnel.stats import compare
from tests.gateway.funnel.fixture import build_fixture

STEPS = [
    "prequalified",
    "approved",
    "displayed",
    "selected",
    "accepted",
    "underwriting_approved",
    "funded",
]
# Counted by hand from the fixture's docstring.
TOTAL = [25, 22, 21, 15, 13, 11, 9]
MALL = [20, 18, 17, 13, 11, 10, 8]
TRAVEL = [5, 4, 4, 2, 2, 1, 1]
CONTROL = [10, 8, 7, 5, 4, 3, 2]
LONG_FIRST = [10, 10, 10, 8, 7, 7, 6]
CONVERSION = ["100.0%", "88.0%", "95.5%", "71.4%", "86.7%", "84.6%", "81.8%"]


class Cells(HTMLParser):
    """Collects every ``<td>``'s text keyed by the data-* attributes around it."""

    def __init__(self) -> None:
        super().__init__()
        self.table: dict[str, str] = {}
        self.row: dict[str, str] = {}
        self.cell: dict[str, str] | None = None
        self.found: dict[tuple[tuple[str, str], ...], str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = {k: v or "" for k, v in attrs if k.startswith("data-")}
        if tag == "table":
            self.table = data
        elif tag == "tr":
            self.row = data
        elif tag == "td":
            self.cell = data

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            key = tuple(sorted({**self.table, **self.row, **self.cell}.items()))
            self.found[key] = self.found.get(key, "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.cell = None

    def get(self, **attrs: str) -> str:
        wanted = tuple(sorted((f"data-{k.replace('_', '-')}", v) for k, v in attrs.items()))
        return self.found[wanted]


def test_html_report_matches_the_hand_built_fixture(
    runner: FlaskCliRunner, db_session: Session, demo_partners: list[str], tmp_path: Path
) -> None:
    build_fixture(db_session)
    out = tmp_path / "funnel.html"
    result = runner.invoke(
        args=["report", "funnel", "--since", "30d", "--env", "live", "--html", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    cells = Cells()
    cells.feed(page)
    for step, total, conversion in zip(STEPS, TOTAL, CONVERSION, strict=True):
        assert cells.get(step=step, field="count") == str(total)
        assert cells.get(step=step, field="conversion") == conversion
    assert cells.get(step="funded", field="overall") == "36.0%"
    for dimension, key, counts in [
        ("partner", "demo-mall", MALL),
        ("partner", "demo-travel", TRAVEL),
        ("scenario", "ecommerce", MALL),
        ("scenario", "travel", TRAVEL),
        ("segment", "mass_market", MALL),
        ("segment", "young_professional", TRAVEL),
        ("experiment_arm", "exp1:control", CONTROL),
        ("experiment_arm", "exp1:long_first", LONG_FIRST),
        ("experiment_arm", "none", TRAVEL),
    ]:
        row = {"dimension": dimension, dimension: key}
        assert [cells.get(**row, step=s) for s in STEPS] == [str(n) for n in counts], key
    arm = {"experiment": "exp1", "arm": "long_first"}
    assert cells.get(**arm, field="n") == "10"
    assert cells.get(**arm, field="x") == "7"
    assert cells.get(**arm, field="rate") == "70.0%"
    assert cells.get(**arm, field="difference") == "+0.2000"
    # 0.7 − 0.5 ± 1.96 × √(0.5·0.5/8 + 0.7·0.3/10); pooled z and two-sided p (scipy.stats.norm)
    assert cells.get(**arm, field="ci") == "[-0.2480, +0.6480]"
    assert cells.get(**arm, field="z") == "0.865"
    assert cells.get(**arm, field="p_value") == "0.3871"
    assert cells.get(experiment="exp1", arm="control", field="rate") == "50.0%"
    for reason, count, share in [
        ("high_utilisation", "2", "50.0%"),
        ("score_below_cutoff", "2", "50.0%"),
        ("debt_to_income", "1", "25.0%"),
    ]:
        assert cells.get(reasons="prequalification", reason=reason, field="count") == count
        assert cells.get(reasons="prequalification", reason=reason, field="share") == share
    for reason in ("bureau_adverse_record", "debt_to_income"):
        assert cells.get(reasons="underwriting", reason=reason, field="count") == "1"
    assert page.count("<svg") == 3
    assert "<script" not in page and "<link" not in page and "https://" not in page


def test_json_report_carries_the_same_numbers_and_filters_by_partner(
    runner: FlaskCliRunner, db_session: Session, demo_partners: list[str]
) -> None:
    build_fixture(db_session)
    result = runner.invoke(args=["report", "funnel", "--env", "live", "--json"])
    report: dict[str, Any] = json.loads(result.output)
    assert [s["count"] for s in report["steps"]] == TOTAL
    travel = runner.invoke(
        args=["report", "funnel", "--env", "live", "--partner", "demo-travel", "--json"]
    )
    assert [s["count"] for s in json.loads(travel.output)["steps"]] == TRAVEL
    everything = runner.invoke(args=["report", "funnel", "--since", "60d", "--json"])
    assert json.loads(everything.output)["steps"][0]["count"] == 27  # + old + sandbox
    assert runner.invoke(args=["report", "funnel", "--since", "soon"]).exit_code == 2


def test_two_proportion_test_agrees_with_the_textbook() -> None:
    result = compare(4, 8, 7, 10)
    assert result is not None
    assert round(result.z, 3) == 0.865
    assert compare(0, 0, 1, 2) is None
    same = compare(5, 10, 5, 10)
    assert same is not None and same.p_value == 1.0
