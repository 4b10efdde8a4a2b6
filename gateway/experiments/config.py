"""The ``experiments`` section of a partner config.

A partner may run one A/B test at a time on how its offers are presented:
their ordering and which tenor comes first (the one a checkout preselects).
Example::

    experiments:
      - id: tenor-first-2611
        arms:
          - {name: control}
          - {name: long_first, ordering: longest_tenor, default_tenor: 12}
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Ordering = Literal[
    "segment_default",  # the bank's own order for the customer's segment
    "lowest_monthly_payment",
    "lowest_total_cost",
    "shortest_tenor",
    "longest_tenor",
]
ExperimentId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,18}[a-z0-9]$")]
ArmName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,10}$")]


Environment = Literal["sandbox", "live"]


def _both() -> list[Environment]:
    return ["sandbox", "live"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Arm(_Strict):
    """One presentation; ``weight`` is its share of customers."""

    name: ArmName
    weight: int = Field(default=1, ge=1, le=100)
    ordering: Ordering = "segment_default"
    default_tenor: int | None = Field(default=None, ge=1, le=60)


class Experiment(_Strict):
    """An A/B test of offer presentation; the first arm is the control."""

    id: ExperimentId
    status: Literal["running", "stopped"] = "running"
    environments: list[Environment] = Field(default_factory=_both, min_length=1)
    arms: list[Arm] = Field(min_length=2, max_length=6)

    @model_validator(mode="after")
    def _unique_arms(self) -> Experiment:
        names = [arm.name for arm in self.arms]
        if len(set(names)) != len(names):
            raise ValueError("arm names must be unique within the experiment")
        return self

    def label(self, arm: Arm) -> str:
        """What the prequalification stores: ``<experiment id>:<arm name>`` (≤ 32 chars)."""
        return f"{self.id}:{arm.name}"


def check_experiments(experiments: list[Experiment]) -> list[Experiment]:
    """At most one running experiment per environment; ids unique."""
    ids = [e.id for e in experiments]
    if len(set(ids)) != len(ids):
        raise ValueError("experiment ids must be unique")
    for env in ("sandbox", "live"):
        running = [e.id for e in experiments if e.status == "running" and env in e.environments]
        if len(running) > 1:
            raise ValueError(f"only one experiment may run in {env} at a time: {running}")
    return experiments
