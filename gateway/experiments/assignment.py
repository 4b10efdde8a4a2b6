"""Deterministic assignment to an arm, and the presentation each arm asks for.

A customer's arm is a pure function of the experiment id and the customer
reference (HMAC-SHA256 keyed with the experiment id), so the same customer
sees the same presentation on every visit and at every partner process,
with no state to share, and a new experiment reshuffles everyone.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from gateway.experiments.config import Arm, Experiment

T = TypeVar("T")

_ORDER_KEYS: dict[str, Callable[[Any], Any]] = {
    "lowest_monthly_payment": lambda o: (o.monthly_payment, o.total_cost),
    "lowest_total_cost": lambda o: (o.total_cost, o.tenor_months),
    "shortest_tenor": lambda o: (o.tenor_months, o.total_cost),
    "longest_tenor": lambda o: (-o.tenor_months, o.monthly_payment),
}


def running_experiment(partner_config: Any, environment: str) -> Experiment | None:
    """The partner's running experiment in this environment, if any."""
    for experiment in getattr(partner_config, "experiments", None) or ():
        if experiment.status == "running" and environment in experiment.environments:
            return experiment  # type: ignore[no-any-return]
    return None


def assign(experiment: Experiment, customer_ref: str) -> Arm:
    """The customer's arm: HMAC(experiment id, customer ref) into the arms' weights."""
    digest = hmac.new(experiment.id.encode(), customer_ref.encode(), hashlib.sha256).digest()
    bucket = int.from_bytes(digest[:8], "big") % sum(arm.weight for arm in experiment.arms)
    for arm in experiment.arms:
        if bucket < arm.weight:
            return arm
        bucket -= arm.weight
    raise AssertionError("weights cover every bucket")


def present(offers: Sequence[T], arm: Arm | None) -> list[T]:
    """Offers in the arm's order, the default tenor's offers first (stable sorts).

    Args:
        offers: offers in the bank's segment order (each has ``monthly_payment``,
            ``total_cost`` and ``tenor_months``).
        arm: the customer's arm, or ``None`` outside any experiment.

    Returns:
        The offers to show, best first.
    """
    ordered = list(offers)
    if arm is None:
        return ordered
    key = _ORDER_KEYS.get(arm.ordering)
    if key is not None:
        ordered.sort(key=key)
    if arm.default_tenor is not None:
        ordered.sort(key=lambda o: getattr(o, "tenor_months", None) != arm.default_tenor)
    return ordered
