"""The domain packages, in the order the app wires them.

Each name is a package ``gateway.<name>`` that may provide, by convention:

- ``models``: SQLAlchemy models (imported so ``Base.metadata`` knows them);
- ``extension``: a function ``init_app(app)`` run before blueprints;
- ``views``: a Flask blueprint named ``bp``;
- ``cli``: a tuple ``COMMANDS`` of click commands or groups for ``gateway``.

Adding a domain means adding its name here and nothing else centrally.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

DOMAIN_PACKAGES: tuple[str, ...] = (
    "idempotency",
    "audit",
    "partners",
    "keys",
    "oauth",
    "consent",
    "profiles",
    "scoring",
    "prequal",
    "offers",
    "applications",
    "webhooks",
    "reviews",
    "funnel",
    "widget",
    "risk",
    "retention",
    "outcomes",
    "monitoring",
    "approvals",
    "ops",
)


def domain_modules(part: str) -> list[ModuleType]:
    """Import ``gateway.<domain>.<part>`` for every domain that has one."""
    found = []
    for name in DOMAIN_PACKAGES:
        if importlib.util.find_spec(f"gateway.{name}") is None:
            # Listed before its package landed (parallel work); nothing to wire yet.
            continue
        dotted = f"gateway.{name}.{part}"
        if importlib.util.find_spec(dotted) is not None:
            found.append(importlib.import_module(dotted))
    return found
