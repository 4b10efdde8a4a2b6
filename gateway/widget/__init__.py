"""The checkout widget: checkout sessions, client tokens and ``/widget/v1/*``.

A partner's server creates a checkout session (``POST /v1/checkout-sessions``)
and hands its short-lived client token to the customer's browser, where
``instalments.js`` shows the consent notices, records what the customer ticked,
asks for a prequalification and lets the customer pick an offer. The token can
do exactly that, for that one session, from that one origin — nothing else.
"""
