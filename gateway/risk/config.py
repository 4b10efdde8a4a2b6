"""The reviewed risk rules file (``risk_rules.yaml`` beside the partner configs).

Like the partner configs, every model forbids unknown fields, so a typo is an
error, not a silently ignored control. Each rule has a window, a threshold,
an action (``refer`` | ``decline``) and a mode (``monitor``: counted and
logged only; ``enforce``: changes the decision). ``docs/risk-controls.md``
documents every field.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DEFAULT_CAP = Decimal("200000.00")
RULE_NAMES = (
    "customer_velocity",
    "phones_per_id_number",
    "id_number_mismatch",
    "customers_per_device",
)

RuleName = Literal[
    "customer_velocity", "phones_per_id_number", "id_number_mismatch", "customers_per_device"
]
Action = Literal["refer", "decline"]
Mode = Literal["monitor", "enforce"]
_WINDOW = re.compile(r"^(-?\d+)\s*([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
MAX_WINDOW = dt.timedelta(days=366)


def parse_window(value: object) -> dt.timedelta:
    """``"24h"``, ``"30d"``, ``"15m"``, ``"90s"`` or a number of seconds.

    Raises:
        ValueError: not a duration, negative, zero or longer than a year.
    """
    if isinstance(value, dt.timedelta):
        window = value
    elif isinstance(value, int) and not isinstance(value, bool):
        window = dt.timedelta(seconds=value)
    elif isinstance(value, str) and (match := _WINDOW.match(value.strip())):
        window = dt.timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    else:
        raise ValueError("must be a duration such as 15m, 24h or 30d")
    if window < dt.timedelta(0):
        raise ValueError("must not be negative")
    if window == dt.timedelta(0):
        raise ValueError("must be longer than zero")
    if window > MAX_WINDOW:
        raise ValueError("must be at most 366d")
    return window


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Rule(_Strict):
    """One velocity or identity rule.

    ``threshold`` is the most the window allows: the rule hits when this
    prequalification would make the count exceed it. ``id_number_mismatch``
    has no window or threshold (one mismatch is a hit).
    """

    rule: RuleName
    window: Annotated[dt.timedelta | None, Field(default=None)] = None
    threshold: int = Field(default=0, ge=0, le=10_000)
    action: Action
    mode: Mode
    description: str | None = Field(default=None, max_length=300)

    @field_validator("window", mode="before")
    @classmethod
    def _window(cls, value: object) -> dt.timedelta | None:
        return None if value is None else parse_window(value)

    @model_validator(mode="after")
    def _windowed(self) -> Rule:
        if self.rule == "id_number_mismatch":
            if self.window is not None:
                raise ValueError("id_number_mismatch takes no window")
        elif self.window is None:
            raise ValueError(f"{self.rule} needs a window")
        elif self.threshold < 1:
            raise ValueError(f"{self.rule} needs a threshold of at least 1")
        return self


class Exposure(_Strict):
    """The cap on one customer's credit across every partner and product."""

    cap_per_customer: Decimal = Field(default=DEFAULT_CAP, gt=0, decimal_places=2)
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "CNY"


class RiskRules(_Strict):
    """The whole file: the exposure cap and the rules (each rule at most once)."""

    exposure: Exposure = Field(default_factory=Exposure)
    rules: list[Rule] = Field(default_factory=list)

    @field_validator("rules")
    @classmethod
    def _once_each(cls, rules: list[Rule]) -> list[Rule]:
        names = [r.rule for r in rules]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"each rule at most once; repeated: {', '.join(repeated)}")
        return rules

    def rule(self, name: str) -> Rule | None:
        """The configured rule of that name, if any."""
        return next((r for r in self.rules if r.rule == name), None)


DEFAULT_RULES = RiskRules()
"""No velocity or identity rules, the default ¥200,000 cap (no file found)."""
