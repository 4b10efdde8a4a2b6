"""The campaign spec (``campaign.yaml``): everything the Spark job is configured by.

A reviewed YAML file, not code: which scenarios the campaign offers through
which partner's product, each segment's scenario affinity, the contact rules
(cool-down, a budget per 30 days that shrinks for riskier grades), the
exposure cap, how long the pre-approval lasts and which scorecard artefact
scores. Unknown fields are errors, as in ``partner_configs/``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from gateway.scoring.artefact import BUNDLED_DIR

CampaignId = Annotated[str, StringConstraints(pattern=r"^cmp_[a-z0-9_]{3,40}$")]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,63}$")]
BUNDLED = "bundled"


class SpecError(ValueError):
    """The spec file cannot be used; the message names the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScenarioProduct(_Strict):
    """Where a scenario's pre-approval is honoured: one partner's product."""

    partner: Name
    product: Name


class ContactRules(_Strict):
    """How often a customer may be contacted.

    ``per_30_days`` counts every campaign's contacts of the customer in a
    rolling 30 days; ``by_grade`` lowers it for riskier grades (a grade not
    named gets ``per_30_days``). Nobody contacted in the last
    ``cool_down_days`` is contacted again.
    """

    cool_down_days: int = Field(default=7, ge=0, le=90)
    per_30_days: int = Field(default=4, ge=1, le=30)
    by_grade: dict[str, int] = Field(default_factory=lambda: {"D": 2, "E": 1})

    def budget(self, grade: str) -> int:
        """Contacts allowed in 30 days at ``grade``."""
        return min(self.per_30_days, self.by_grade.get(grade, self.per_30_days))


class CampaignSpec(_Strict):
    """One campaign.

    Attributes:
        id: the campaign id (``cmp_…``), carried by every list row and every decision.
        environment: where the list is honoured (``live``, or ``sandbox`` for rehearsals).
        valid_days: how long a pre-approval lasts after the build.
        model: an artefact JSON path (relative to the spec) or ``bundled``.
        partner_configs: the partner configuration directory (relative to the spec).
        scenarios: scenario name → the partner product that honours it.
        affinity: segment → scenarios in order of preference.
        contacts: the contact rules.
        exposure_cap: total lending to one customer across partners (CNY).
    """

    id: CampaignId
    environment: str = Field(default="live", pattern=r"^(live|sandbox)$")
    valid_days: int = Field(default=30, ge=1, le=180)
    model: str = BUNDLED
    partner_configs: str = "partner_configs"
    scenarios: dict[Name, ScenarioProduct]
    affinity: dict[Name, list[Name]]
    contacts: ContactRules = ContactRules()
    exposure_cap: Annotated[Decimal, Field(gt=0, decimal_places=2)] = Decimal("200000.00")

    @model_validator(mode="after")
    def _affinities_name_scenarios(self) -> CampaignSpec:
        for segment, names in self.affinity.items():
            unknown = [n for n in names if n not in self.scenarios]
            if unknown:
                raise ValueError(f"affinity.{segment}: unknown scenario {unknown[0]!r}")
            if not names:
                raise ValueError(f"affinity.{segment}: name at least one scenario")
        return self

    def expiry(self, built_at: dt.datetime) -> dt.datetime:
        """When a list built at ``built_at`` stops being honoured."""
        return built_at + dt.timedelta(days=self.valid_days)


def _resolve(base: Path, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else (base / path).resolve()


def model_path(spec: CampaignSpec, spec_path: Path) -> Path:
    """The scorecard artefact the spec names (the bundled default for ``bundled``)."""
    if spec.model == BUNDLED:
        return sorted(BUNDLED_DIR.glob("*.json"))[0]
    return _resolve(spec_path.parent, spec.model)


def partner_configs_dir(spec: CampaignSpec, spec_path: Path) -> Path:
    """The partner configuration directory the spec names."""
    return _resolve(spec_path.parent, spec.partner_configs)


def parse_spec(data: Any) -> CampaignSpec:
    """Validate a parsed YAML document.

    Raises:
        SpecError: the first problem, as ``field: reason``.
    """
    try:
        return CampaignSpec.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        message = re.sub(r"^Value error, ", "", error["msg"])
        where = ".".join(str(p) for p in error["loc"])
        # A whole-spec check names its field in the message itself.
        raise SpecError(f"{where}: {message}" if where else message) from None


def load_spec(path: Path) -> CampaignSpec:
    """Read and validate a campaign spec file.

    Raises:
        SpecError: unreadable, not YAML, or invalid (the field is named).
    """
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SpecError(f"{path}: cannot read ({type(exc).__name__})") from exc
    return parse_spec(data)
