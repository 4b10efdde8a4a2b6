"""End-to-end fixtures: gateway + demo shop on loopback, Debian's Chromium headless.

The gateway runs on its own SQLite file with the demo partners pointed at this
run's shop ports, with its underwriting and webhook delivery workers in
threads; the three storefronts use the real SDK with credentials and webhook
secrets the gateway issued. Nothing is mocked. Without ``/usr/bin/chromium`` the browser
tests skip locally and fail in CI (``.ci/run`` installs it).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.e2e.servers import Served, listen, serving, write_partner_configs

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
# axe-core from the npm registry (``make e2e-tools``: npm ci --prefix tests/e2e/node),
# injected from this file: the tests never load anything from a CDN.
AXE = Path(__file__).resolve().parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
BAD_IMPACTS = ("serious", "critical")
SHOPS = {"mall": "demo-mall", "travel": "demo-travel", "academy": "demo-academy"}


@dataclass
class Stack:
    """The running gateway and storefronts."""

    gateway: Served
    gateway_app: Flask
    shops: dict[str, Served]
    extra: Served  # another page origin the mall also allows (tests set its app)
    shop_apps: dict[str, Flask] = field(default_factory=dict)

    def shop_url(self, key: str) -> str:
        """The storefront's origin."""
        return self.shops[key].url


def _gateway_app(tmp: Path, gateway: Served, configs: Path) -> Flask:
    from gateway.app import create_app
    from gateway.config import Settings
    from gateway.migrations import upgrade

    url = f"sqlite:///{tmp / 'gateway.db'}"
    upgrade(url)
    return create_app(
        Settings(
            env="test",
            database_url=url,
            secret_key="e2e-secret-key-" + "x" * 32,
            identifier_pepper="e2e-pepper-" + "y" * 32,
            instance_path=tmp / "instance",
            model_dir=tmp / "instance" / "models",
            partner_configs=configs,
            issuer=gateway.url,
        )
    )


def _onboard(app: Flask, configs: Path) -> dict[str, dict[str, Any]]:
    """Apply the partner configs and issue sandbox credentials, as ``make demo`` does."""
    from gateway.oauth import credentials
    from gateway.partners import services as partners
    from gateway.partners.loader import load_directory
    from gateway.sessions import get_database
    from gateway.webhooks import secrets

    issued: dict[str, dict[str, Any]] = {}
    with app.app_context():
        loaded = load_directory(configs)
        assert loaded.ok, [str(p) for p in loaded.problems]
        with get_database().new_session() as db:
            partners.apply(db, loaded.configs)
            for partner_id in SHOPS.values():
                made = credentials.issue(db, partner_id, "sandbox")
                secret_key = app.extensions["gateway.settings"].secret_key
                issued[partner_id] = {
                    "client_id": made.client_id,
                    "client_secret": made.client_secret,
                    "webhook_secret": secrets.issue(
                        db, secret_key, partner_id, "sandbox", actor="e2e"
                    ),
                }
            db.commit()
    return issued


def _run_workers(app: Flask, stop: threading.Event) -> list[threading.Thread]:
    """The underwriting worker and the webhook delivery worker, polling until ``stop``."""
    import httpx

    from gateway.applications.cli import adapter
    from gateway.sessions import get_database
    from gateway.underwriting.worker import work_once
    from gateway.webhooks import delivery

    def underwrite() -> None:
        with app.app_context():
            los = adapter(0.1, 0.3)
            while not stop.is_set():
                if not work_once(get_database(), los, batch=10):
                    stop.wait(0.2)

    def deliver() -> None:
        secret_key = app.extensions["gateway.settings"].secret_key
        with app.app_context(), httpx.Client(timeout=delivery.TIMEOUT) as http:
            while not stop.is_set():
                report = delivery.deliver_due(get_database(), secret_key=secret_key, http=http)
                if not report.attempts:
                    stop.wait(0.2)

    threads = [threading.Thread(target=job, daemon=True) for job in (underwrite, deliver)]
    for thread in threads:
        thread.start()
    return threads


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Gateway and demo shop, serving for the whole session."""
    from examples.demo_shop import STOREFRONTS, create_app
    from examples.demo_shop.app import ShopConfig

    tmp = tmp_path_factory.mktemp("e2e")
    gateway = listen()
    shops = {key: listen() for key in SHOPS}
    extra = listen()
    configs = write_partner_configs(
        tmp / "partner_configs",
        {SHOPS[key]: shops[key].url for key in SHOPS},
        {"demo-mall": extra.url},
    )
    gateway_app = _gateway_app(tmp, gateway, configs)
    gateway.late.app = gateway_app
    issued = _onboard(gateway_app, configs)
    running = Stack(gateway, gateway_app, shops, extra)
    for key, served in shops.items():
        creds = issued[SHOPS[key]]
        shop = create_app(
            ShopConfig(
                storefront=STOREFRONTS[key],
                gateway_url=gateway.url,
                client_id=creds["client_id"],
                client_secret=creds["client_secret"],
                webhook_secret=creds["webhook_secret"],
                public_url=served.url,
            )
        )
        served.late.app = shop
        running.shop_apps[key] = shop
    stop = threading.Event()
    with serving(gateway, extra, *shops.values()):
        workers = _run_workers(gateway_app, stop)
        try:
            yield running
        finally:
            stop.set()
            for worker in workers:
                worker.join(timeout=10)
    gateway_app.extensions["gateway.db"].dispose()


def _missing(what: str, hint: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing: .ci/run installs it", pytrace=False)
    pytest.skip(f"needs {what} ({hint})")


@pytest.fixture(scope="session")
def axe() -> Path:
    """The local axe-core script (installed from the npm registry)."""
    if not AXE.exists():
        _missing(str(AXE), "make e2e-tools")
    return AXE


def axe_violations(page: Any, axe_script: Path) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now.

    The script is added from the local file; the page's context must bypass
    CSP (:func:`open_page` with ``bypass_csp=True``), since it arrives inline.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            // label-content-name-mismatch is experimental (off by default): a
            // button whose accessible name differs from its text is a real failure.
            const result = await axe.run(document, {
                resultTypes: ["violations"],
                rules: {"label-content-name-mismatch": {enabled: true}},
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary)
            }));
        }"""
    )
    return [v for v in found if v["impact"] in BAD_IMPACTS]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        _missing("/usr/bin/chromium", "apt-get install chromium fonts-wqy-microhei")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser: Any, width: int = 900, height: int = 1000, **options: Any) -> Any:
    """A fresh page (in its own context) that records CSP violations and console errors."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    tab.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', function (e) {"
        "  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI); });"
    )
    return tab


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh 900 × 1000 page that records CSP violations and console errors."""
    tab = open_page(browser)
    try:
        yield tab
    finally:
        tab.context.close()


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot (the whole page, or the viewport) under ``test-artifacts/e2e/``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
