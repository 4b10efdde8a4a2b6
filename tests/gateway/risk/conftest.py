"""The demo partners, with demo-travel also taking consent through the API.

demo-travel captures consent only through the widget (``consent_capture:
widget``); the risk tests record consent with ``POST /v1/consents`` at every
partner, so here it takes ``both``. Nothing else of its config changes.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.conftest import DEMO_PARTNERS


@pytest.fixture
def demo_partners(db_session: Session) -> list[str]:
    """The demo partners of ``partner_configs/``, applied (demo-travel on ``both``)."""
    from gateway.partners import services as partners
    from gateway.partners.loader import load_directory

    loaded = load_directory(DEMO_PARTNERS)
    assert loaded.ok, [str(p) for p in loaded.problems]
    configs = dict(loaded.configs)
    configs["demo-travel"] = configs["demo-travel"].model_copy(update={"consent_capture": "both"})
    partners.apply(db_session, configs)
    db_session.commit()
    return sorted(configs)
