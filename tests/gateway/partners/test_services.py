"""The registry's lookups, as other domains use them."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from gateway.errors import NotFound
from gateway.partners import services
from gateway.partners.config import PartnerConfig
from tests.gateway.partners.samples import demo_config


def test_get_partner_exposes_status_names_and_config(db_session: Session) -> None:
    config = PartnerConfig.model_validate(demo_config("demo-travel"))
    services.apply(db_session, {"demo-travel": config})
    partner = services.get_partner(db_session, "demo-travel")
    assert partner.status == "active" and partner.active
    assert partner.scenario == "travel"
    assert partner.display_name.en == "Demo Travel"
    assert partner.config == config
    assert partner.config.consent_capture == "widget"
    assert partner.config.environment("live") is None


def test_unknown_partner_is_not_found(db_session: Session) -> None:
    with pytest.raises(NotFound):
        services.get_partner(db_session, "nobody")


def test_a_suspended_file_keeps_the_partner_suspended_after_resume(db_session: Session) -> None:
    data = demo_config()
    data["status"] = "suspended"
    services.apply(db_session, {"demo-mall": PartnerConfig.model_validate(data)})
    assert services.set_suspended(db_session, "demo-mall", False).status == "suspended"


def test_lookups_parse_a_config_once_per_version(db_session: Session) -> None:
    config = PartnerConfig.model_validate(demo_config())
    services.apply(db_session, {"demo-mall": config})
    first = services.get_partner(db_session, "demo-mall").config
    assert services.get_partner(db_session, "demo-mall").config is first
