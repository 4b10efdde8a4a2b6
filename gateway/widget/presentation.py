"""How the widget lays a decision's offers out: one plan per tenor.

A decision holds up to one offer per tenor and repayment method, which reads
as eight to ten near-identical cards. The widget shows one card per tenor
instead, with the repayment method a choice inside it:

- each plan's **default method** is its cheapest offer (lowest total cost of
  credit), unless the customer's experiment arm orders offers its own way, in
  which case it is the arm's first offer of that tenor;
- **interest-free** plans (no cost of credit to the customer) come first,
  shortest first; the others keep the decision's order;
- one plan is **recommended**, by a rule the widget states next to it
  (:data:`RULES`): the experiment arm's default tenor when it has one, else the
  longest interest-free plan, else the plan with the lowest total cost of credit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

RULES = ("partner_default", "longest_interest_free", "lowest_total_cost")


@dataclass(frozen=True)
class Plan:
    """One tenor: its offers (default method first) and how to show it."""

    tenor_months: int
    offer_ids: tuple[str, ...]
    interest_free: bool
    recommended: bool

    @property
    def default_offer_id(self) -> str:
        """The offer the card shows until the customer picks another method."""
        return self.offer_ids[0]


@dataclass(frozen=True)
class Layout:
    """The plans in display order, and the rule that picked the recommended one."""

    plans: tuple[Plan, ...]
    rule: str | None


def arm_of(partner_config: Any, label: str | None) -> Any:
    """The experiment arm a prequalification stored as ``<experiment id>:<arm name>``."""
    if not label or ":" not in label:
        return None
    experiment_id, _, arm_name = label.partition(":")
    for experiment in getattr(partner_config, "experiments", None) or ():
        if experiment.id == experiment_id:
            return next((arm for arm in experiment.arms if arm.name == arm_name), None)
    return None


def _free(offer: Any) -> bool:
    return Decimal(offer.total_cost) == 0


def layout(offers: Sequence[Any], arm: Any = None) -> Layout:
    """Group a decision's offers (in their presented order) into plans.

    Args:
        offers: the decision's offers, as presented (each has ``id``,
            ``tenor_months``, ``total_cost``).
        arm: the customer's experiment arm (``ordering``, ``default_tenor``), if any.

    Returns:
        The plans, interest-free first, and the recommendation rule used
        (``None`` when there are no offers).
    """
    by_tenor: dict[int, list[Any]] = {}
    for offer in offers:
        by_tenor.setdefault(offer.tenor_months, []).append(offer)
    arm_orders = (
        arm is not None and getattr(arm, "ordering", "segment_default") != "segment_default"
    )
    grouped = []
    for tenor, group in by_tenor.items():
        ordered = group if arm_orders else sorted(group, key=lambda o: Decimal(o.total_cost))
        grouped.append((tenor, ordered, all(_free(o) for o in group)))
    free = sorted((g for g in grouped if g[2]), key=lambda g: g[0])
    grouped = free + [g for g in grouped if not g[2]]
    recommended, rule = _recommend(grouped, getattr(arm, "default_tenor", None))
    plans = tuple(
        Plan(tenor, tuple(o.id for o in ordered), is_free, tenor == recommended)
        for tenor, ordered, is_free in grouped
    )
    return Layout(plans, rule)


def _recommend(
    grouped: list[tuple[int, list[Any], bool]], default_tenor: int | None
) -> tuple[int | None, str | None]:
    if not grouped:
        return None, None
    tenors = [tenor for tenor, _, _ in grouped]
    if default_tenor in tenors:
        return default_tenor, "partner_default"
    free = [tenor for tenor, _, is_free in grouped if is_free]
    if free:
        return max(free), "longest_interest_free"
    cheapest = min(grouped, key=lambda g: (Decimal(g[1][0].total_cost), g[0]))
    return cheapest[0], "lowest_total_cost"


def layout_view(found: Layout) -> dict[str, Any]:
    """The layout on the wire (the widget's ``plans`` and ``recommendation_rule``)."""
    return {
        "plans": [
            {
                "tenor_months": plan.tenor_months,
                "offer_ids": list(plan.offer_ids),
                "default_offer_id": plan.default_offer_id,
                "interest_free": plan.interest_free,
                "recommended": plan.recommended,
            }
            for plan in found.plans
        ],
        "recommendation_rule": found.rule,
    }
