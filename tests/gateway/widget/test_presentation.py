"""One plan per tenor, interest-free first, a default method and a stated recommendation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gateway.widget.presentation import arm_of, layout


@dataclass
class Offer:
    id: str
    tenor_months: int
    total_cost: Decimal


@dataclass
class Arm:
    ordering: str = "segment_default"
    default_tenor: int | None = None


def offers() -> list[Offer]:
    """As a decision presents them: priced tenors first, three methods each, then 0 %."""
    return [
        Offer("o12a", 12, Decimal("180.00")),
        Offer("o12b", 12, Decimal("150.00")),
        Offer("o24a", 24, Decimal("330.00")),
        Offer("o24b", 24, Decimal("329.08")),
        Offer("o24c", 24, Decimal("336.00")),
        Offer("o6", 6, Decimal("0.00")),
        Offer("o3", 3, Decimal("0.00")),
    ]


def test_one_plan_per_tenor_with_the_cheapest_method_first() -> None:
    plans = layout(offers()).plans
    assert [p.tenor_months for p in plans] == [3, 6, 12, 24]
    assert plans[2].offer_ids == ("o12b", "o12a")
    assert plans[3].default_offer_id == "o24b"


def test_interest_free_plans_come_first_and_are_marked() -> None:
    plans = layout(offers()).plans
    assert [(p.tenor_months, p.interest_free) for p in plans] == [
        (3, True),
        (6, True),
        (12, False),
        (24, False),
    ]


def test_the_longest_interest_free_plan_is_recommended() -> None:
    found = layout(offers())
    assert [p.tenor_months for p in found.plans if p.recommended] == [6]
    assert found.rule == "longest_interest_free"


def test_without_interest_free_plans_the_lowest_cost_is_recommended() -> None:
    found = layout([o for o in offers() if o.total_cost > 0])
    assert [p.tenor_months for p in found.plans if p.recommended] == [12]
    assert found.rule == "lowest_total_cost"


def test_the_experiment_arm_sets_the_default_method_and_the_recommended_tenor() -> None:
    found = layout(offers(), Arm(ordering="lowest_monthly_payment", default_tenor=24))
    assert [p.tenor_months for p in found.plans if p.recommended] == [24]
    assert found.rule == "partner_default"
    # The arm's order, not the cheapest: the first of the tenor as presented.
    assert found.plans[3].default_offer_id == "o24a"


def test_no_offers_no_plans() -> None:
    found = layout([])
    assert found.plans == () and found.rule is None


def test_arm_of_finds_the_arm_a_prequalification_stored() -> None:
    @dataclass
    class NamedArm:
        name: str

    @dataclass
    class Experiment:
        id: str
        arms: list[Any]

    @dataclass
    class Config:
        experiments: list[Experiment]

    config = Config([Experiment("tenor-first", [NamedArm("control"), NamedArm("long")])])
    assert arm_of(config, "tenor-first:long") == NamedArm("long")
    assert arm_of(config, "other:long") is None
    assert arm_of(config, None) is None
