"""From a campaign spec file to the :class:`~gateway.campaigns.assess.Plan` the job ships.

Runs on the driver only: it reads the spec, the scorecard artefact (checked
against its hash, as serving does) and the partner configurations, and
tabulates each scenario product's limits once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gateway.campaigns.assess import Plan, ScenarioPlan
from gateway.campaigns.limits import ProductTables
from gateway.campaigns.spec import SpecError, load_spec, model_path, partner_configs_dir
from gateway.clock import utcnow
from gateway.partners.loader import load_directory
from gateway.prequal.products import terms_of
from gateway.scoring.artefact import ArtefactInvalid, load_artefact


def plan_from_spec(spec_path: Path, now: dt.datetime | None = None) -> Plan:
    """Everything the job needs besides the data.

    Raises:
        SpecError: the spec, its model or a partner product it names is unusable.
    """
    spec = load_spec(spec_path)
    built_at = (now or utcnow()).replace(microsecond=0)
    try:
        artefact = load_artefact(model_path(spec, spec_path))
    except ArtefactInvalid as exc:
        raise SpecError(f"model: {exc}") from exc
    loaded = load_directory(partner_configs_dir(spec, spec_path))
    scenarios = []
    for name, where in spec.scenarios.items():
        config = loaded.configs.get(where.partner)
        product = config.product(where.product) if config is not None else None
        if product is None:
            raise SpecError(f"scenarios.{name}: no product {where.product} of {where.partner}")
        ranks = {
            segment: names.index(name) + 1
            for segment, names in spec.affinity.items()
            if name in names
        }
        scenarios.append(
            ScenarioPlan(name, where.partner, ProductTables.build(terms_of(product)), ranks)
        )
    return Plan(
        campaign_id=spec.id,
        environment=spec.environment,
        artefact=artefact,
        scenarios=tuple(scenarios),
        contacts=spec.contacts,
        exposure_cap=spec.exposure_cap,
        built_at=built_at,
        expires_at=spec.expiry(built_at),
    )
