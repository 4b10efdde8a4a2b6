"""Experiments: deterministic weighted assignment, presentation, config rules, end to end."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from gateway.experiments.assignment import assign, present
from gateway.experiments.config import Arm, Experiment
from gateway.partners.config import PartnerConfig
from gateway.prequal.models import Prequalification
from tests.gateway.prequal.test_views import APPROVE, grant, prequal_body

EXPERIMENT = Experiment(
    id="tenor-first",
    arms=[
        Arm(name="control"),
        Arm(name="long_first", ordering="longest_tenor", default_tenor=12),
    ],
)


@dataclass(frozen=True)
class _Offer:
    tenor_months: int
    monthly_payment: Decimal
    total_cost: Decimal


OFFERS = [
    _Offer(24, Decimal("180.00"), Decimal("320.00")),
    _Offer(12, Decimal("350.00"), Decimal("200.00")),
    _Offer(3, Decimal("1340.00"), Decimal("20.00")),
]


def test_assignment_is_deterministic_and_follows_the_weights() -> None:
    refs = [f"cus_{i}" for i in range(4000)]
    first = [assign(EXPERIMENT, r).name for r in refs]
    assert first == [assign(EXPERIMENT, r).name for r in refs]
    counts = Counter(first)
    assert 1800 < counts["control"] < 2200
    weighted = Experiment(id="weighted", arms=[Arm(name="a", weight=9), Arm(name="b", weight=1)])
    share = sum(assign(weighted, r).name == "b" for r in refs) / len(refs)
    assert 0.07 < share < 0.13


def test_another_experiment_reshuffles_the_customers() -> None:
    other = Experiment(id="other", arms=EXPERIMENT.arms)
    refs = [f"cus_{i}" for i in range(400)]
    same = sum(assign(EXPERIMENT, r).name == assign(other, r).name for r in refs)
    assert 150 < same < 250


def test_arms_present_offers_in_their_order_with_the_default_tenor_first() -> None:
    assert present(OFFERS, None) == OFFERS
    assert present(OFFERS, EXPERIMENT.arms[0]) == OFFERS
    assert [o.tenor_months for o in present(OFFERS, EXPERIMENT.arms[1])] == [12, 24, 3]
    cheapest = Arm(name="cheap", ordering="lowest_total_cost")
    assert [o.tenor_months for o in present(OFFERS, cheapest)] == [3, 12, 24]


def test_two_running_experiments_in_one_environment_are_refused(partner_config: Any) -> None:
    data = partner_config.model_dump(mode="json", by_alias=True)
    data["experiments"] = [
        EXPERIMENT.model_dump(mode="json"),
        dict(EXPERIMENT.model_dump(mode="json"), id="second"),
    ]
    with pytest.raises(ValidationError, match="only one experiment"):
        PartnerConfig.model_validate(data)
    with pytest.raises(ValidationError):
        Experiment(id="x1", arms=[Arm(name="a")])


@pytest.fixture
def partner_config(db_session: Session, demo_partners: list[str]) -> PartnerConfig:
    from gateway.partners.services import get_partner

    return get_partner(db_session, "demo-mall").config


def _experiment_giving(ref: str, arm_name: str) -> Experiment:
    """A variant of EXPERIMENT (another id) that puts ``ref`` in ``arm_name``."""
    for n in range(100):
        candidate = EXPERIMENT.model_copy(update={"id": f"tenor-first-{n}"})
        if assign(candidate, ref).name == arm_name:
            return candidate
    raise AssertionError("no such experiment id")


@pytest.mark.parametrize(("arm", "first_tenor"), [("control", 24), ("long_first", 12)])
def test_prequalifications_store_the_arm_and_offers_follow_it(
    partner_api: Any,
    db_session: Session,
    partner_config: PartnerConfig,
    settings: Any,
    arm: str,
    first_tenor: int,
) -> None:
    from gateway.identity import customer_ref
    from gateway.partners.services import apply, config_json

    experiment = _experiment_giving(customer_ref(settings.identifier_pepper, APPROVE), arm)
    data = config_json(partner_config)
    data["experiments"] = [experiment.model_dump(mode="json")]
    apply(db_session, {"demo-mall": PartnerConfig.model_validate(data)})
    db_session.commit()
    api = partner_api("demo-mall")
    body = api.post("/v1/prequalifications", json=prequal_body(grant(api, APPROVE))).get_json()
    pq = db_session.get(Prequalification, body["id"])
    assert pq is not None
    assert pq.experiment_arm == f"{experiment.id}:{arm}"
    assert body["offers"][0]["tenor_months"] == first_tenor


def test_only_a_running_experiment_of_the_environment_assigns() -> None:
    from types import SimpleNamespace

    from gateway.experiments.assignment import running_experiment

    live_only = EXPERIMENT.model_copy(update={"environments": ["live"]})
    stopped = EXPERIMENT.model_copy(update={"status": "stopped"})
    assert running_experiment(SimpleNamespace(experiments=[live_only]), "sandbox") is None
    assert running_experiment(SimpleNamespace(experiments=[live_only]), "live") is live_only
    assert running_experiment(SimpleNamespace(experiments=[stopped]), "live") is None
    assert running_experiment(SimpleNamespace(experiments=[]), "live") is None
