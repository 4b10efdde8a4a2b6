"""Wire the risk controls into an app: the rules file and the metrics.

The rules are read from ``risk_rules.yaml`` in ``GATEWAY_PARTNER_CONFIGS``
on first use and kept for the process (``gateway partners apply`` checks the
file; processes pick a change up when restarted, as they do new code). An
invalid file fails closed: prequalifications answer 503 until it is fixed,
rather than lend without the controls.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import Flask, current_app
from prometheus_client import Counter, Gauge

from gateway.errors import Unavailable
from gateway.risk.config import RiskRules
from gateway.risk.loader import LoadedRules, load_rules

log = logging.getLogger("gateway.risk")
_KEY = "gateway.risk"


class RiskRulesInvalid(Unavailable):
    """``risk_rules.yaml`` is invalid: no decision is made without the controls."""

    code = "risk_rules_invalid"


@dataclass
class RiskControls:
    """The app's rules (loaded on first use) and its risk metrics."""

    app: Flask
    hits: Counter
    partner_outstanding: Gauge
    partner_limit: Gauge
    _loaded: LoadedRules | None = field(default=None, repr=False)

    def loaded(self) -> LoadedRules:
        """The rules file as read (once per process)."""
        if self._loaded is None:
            settings = self.app.extensions["gateway.settings"]
            self._loaded = load_rules(settings.partner_configs)
            for problem in self._loaded.problems:
                log.error("invalid risk rules", extra={"fields": {"problem": str(problem)}})
        return self._loaded

    def rules(self) -> RiskRules:
        """The valid rules.

        Raises:
            RiskRulesInvalid: the file has problems (fail closed).
        """
        loaded = self.loaded()
        if not loaded.ok:
            raise RiskRulesInvalid("the risk rules are invalid; the bank has been alerted")
        return loaded.rules

    def use(self, rules: RiskRules) -> None:
        """Replace the rules (tests, and a process that re-reads the file)."""
        self._loaded = LoadedRules(rules, [], None)


def init_app(app: Flask) -> None:
    """Register the risk metrics; the rules load lazily."""
    registry = app.extensions["gateway.metrics"].registry
    app.extensions[_KEY] = RiskControls(
        app,
        hits=Counter(
            "gateway_risk_rule_hits_total",
            "Risk rule hits, by rule and mode (monitor hits change no decision).",
            ["rule", "mode"],
            registry=registry,
        ),
        partner_outstanding=Gauge(
            "gateway_partner_outstanding_principal",
            "Principal lent or about to be lent through a partner, as last computed.",
            ["partner", "environment"],
            registry=registry,
            multiprocess_mode="mostrecent",
        ),
        partner_limit=Gauge(
            "gateway_partner_outstanding_limit",
            "A partner's configured limits.max_outstanding.",
            ["partner"],
            registry=registry,
            multiprocess_mode="mostrecent",
        ),
    )


def controls(app: Flask | None = None) -> RiskControls:
    """The current app's :class:`RiskControls`."""
    found: RiskControls = (app or current_app).extensions[_KEY]
    return found
