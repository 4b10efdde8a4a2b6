"""Run the three storefronts: ``python -m examples.demo_shop [--gateway URL]``.

Credentials come from ``instance/`` as ``make demo`` writes them:
``demo-<partner>-sandbox.json`` with ``client_id`` and ``client_secret``, and
``demo-<partner>-webhook.json`` with the partner's ``whsec_`` secret.
"""

from __future__ import annotations

import argparse
import json
import threading
from pathlib import Path

from werkzeug.serving import make_server

from examples.demo_shop.app import ShopConfig, create_app
from examples.demo_shop.storefronts import STOREFRONTS, Storefront


def load_config(storefront: Storefront, instance: Path, gateway_url: str, host: str) -> ShopConfig:
    """A storefront's configuration from the credentials in ``instance``."""
    credentials = json.loads((instance / f"{storefront.partner_id}-sandbox.json").read_text())
    webhook_file = instance / f"{storefront.partner_id}-webhook.json"
    webhook_secret = (
        json.loads(webhook_file.read_text())["secret"] if webhook_file.exists() else None
    )
    return ShopConfig(
        storefront=storefront,
        gateway_url=gateway_url,
        client_id=credentials["client_id"],
        client_secret=credentials["client_secret"],
        webhook_secret=webhook_secret,
        public_url=f"http://{host}:{storefront.port}",
    )


def main() -> None:
    """Serve every storefront on its own port until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m examples.demo_shop")
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--instance", type=Path, default=Path("instance"))
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    servers = []
    for storefront in STOREFRONTS.values():
        config = load_config(storefront, args.instance, args.gateway, args.host)
        server = make_server(args.host, storefront.port, create_app(config), threaded=True)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"  {storefront.name['en']:<13} {config.public_url}/", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        for server in servers:
            server.shutdown()


if __name__ == "__main__":
    main()
