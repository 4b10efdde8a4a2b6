"""A demo partner shop: three storefronts that sell in instalments through the gateway.

Each storefront is one demo partner (``partner_configs/``) on its own origin,
because a checkout session's client token is bound to one origin:

========  ==============  ==========  ===========================
key       partner         scenario    default address
========  ==============  ==========  ===========================
mall      demo-mall       ecommerce   http://127.0.0.1:5055
travel    demo-travel     travel      http://127.0.0.1:5056
academy   demo-academy    education   http://127.0.0.1:5057
========  ==============  ==========  ===========================

The shop's server uses the ``instalments`` SDK (checkout sessions, reading and
accepting offers, verifying webhooks); its checkout page embeds the widget
from the gateway. Run it with ``python -m examples.demo_shop`` (``make demo``).
"""

from examples.demo_shop.app import create_app
from examples.demo_shop.storefronts import STOREFRONTS, Storefront

__all__ = ["STOREFRONTS", "Storefront", "create_app"]
