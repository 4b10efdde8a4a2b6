"""The shop's Flask app: storefront, checkout with the widget, acceptance, webhooks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import instalments
from flask import Flask, Response, abort, jsonify, redirect, render_template, request, url_for

from examples.demo_shop.orders import OrderBook
from examples.demo_shop.outcomes import order_view
from examples.demo_shop.storefronts import Storefront

LOCALES = ("zh-CN", "en")
MAX_QUANTITY = 5


@dataclass(frozen=True)
class ShopConfig:
    """How one storefront reaches the gateway."""

    storefront: Storefront
    gateway_url: str
    client_id: str
    client_secret: str
    webhook_secret: str | None
    public_url: str


def content_security_policy(gateway_url: str) -> str:
    """A strict policy: scripts only from the shop and the gateway, nothing inline."""
    gateway = gateway_url.rstrip("/")
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' {gateway}",
            f"style-src 'self' {gateway}",
            f"connect-src 'self' {gateway}",
            "img-src 'self' data:",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def create_app(config: ShopConfig, client: instalments.Client | None = None) -> Flask:
    """One storefront's app.

    Args:
        config: the storefront and its gateway credentials.
        client: an SDK client to use (default: one built from ``config``).

    Returns:
        The Flask app.
    """
    app = Flask(__name__)
    sdk = client or instalments.Client(
        client_id=config.client_id,
        client_secret=config.client_secret,
        base_url=config.gateway_url,
    )
    orders = OrderBook()
    shop = config.storefront
    app.extensions["demo_shop.orders"] = orders
    app.extensions["demo_shop.sdk"] = sdk
    policy = content_security_policy(config.gateway_url)
    expect_webhooks = config.webhook_secret is not None

    def locale() -> str:
        wanted = request.args.get("lang", "zh-CN")
        return wanted if wanted in LOCALES else "zh-CN"

    @app.after_request
    def _csp(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = policy
        return response

    def quantity(raw: str | None) -> int:
        try:
            wanted = int(raw or "1")
        except ValueError:
            wanted = 1
        return min(max(wanted, 1), MAX_QUANTITY)

    def page(template: str, **values: Any) -> str:
        return render_template(
            template, shop=shop, lang=locale(), gateway_url=config.gateway_url.rstrip("/"), **values
        )

    @app.get("/")
    def storefront() -> str:
        return page("storefront.html")

    @app.get("/cart")
    def cart() -> str:
        count = quantity(request.args.get("quantity"))
        return page("cart.html", quantity=count, total=shop.item.price * count, limit=MAX_QUANTITY)

    @app.post("/orders")
    def create_order() -> Any:
        count = quantity(request.form.get("quantity"))
        order = orders.create(shop.item.sku, shop.item.price * Decimal(count), count)
        return redirect(url_for("checkout", order_id=order.id, lang=locale()), code=303)

    @app.get("/orders/<order_id>/checkout")
    def checkout(order_id: str) -> Any:
        order = orders.get(order_id) or abort(404)
        # The client token is minted on the server with the shop's credentials;
        # only the short-lived token, bound to this page's origin, reaches the browser.
        # A reload (or back/forward) keeps the order's session, so the widget
        # redraws the customer's consents, decision and choice from the gateway.
        if not order.reusable_session(dt.datetime.now(dt.UTC)):
            try:
                session = sdk.checkout_sessions.create(
                    amount=order.amount,
                    currency="CNY",
                    scenario=shop.scenario,  # type: ignore[arg-type]
                    allowed_origin=config.public_url,
                    merchant_order_ref=order.id,
                )
            except instalments.APIError as exc:
                # Pay another way: the gateway could not open an instalment checkout.
                return page("unavailable.html", error=exc), 502
            order.checkout_session_id = session.id
            order.client_token = session.client_token
            order.session_expires_at = session.expires_at
        response = app.make_response(page("checkout.html", order=order))
        # The page holds a client token: never keep it in a cache.
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.post("/orders/<order_id>/accept")
    def accept(order_id: str) -> Any:
        order = orders.get(order_id) or abort(404)
        body = request.get_json(silent=True) or {}
        offer_id, consent_id = body.get("offer_id"), body.get("credit_inquiry_consent_id")
        if not isinstance(offer_id, str) or not isinstance(consent_id, str):
            return jsonify(error="offer_id and credit_inquiry_consent_id are required"), 400
        if order.application_id is not None and order.offer_id != offer_id:
            # One order, one loan: the widget allows one choice per checkout anyway.
            return jsonify(error="this order already has an application"), 409
        # Never trust terms from the browser: read the offer and its decision
        # (whose token signs every offer) from the gateway, then accept from here.
        offer = sdk.offers.retrieve(offer_id)
        decision = sdk.prequalifications.retrieve(offer.prequalification_id)
        if decision.decision_token is None:
            return jsonify(error="the decision carries no token"), 409
        try:
            application = sdk.offers.accept(
                offer.id,
                decision_token=decision.decision_token,
                credit_inquiry_consent_id=consent_id,
                idempotency_key=f"{order.id}:{offer.id}",
            )
        except instalments.APIStatusError as exc:
            return jsonify(error=str(exc), status=exc.status_code), 409
        order.offer_id = offer.id
        order.application_id = application.id
        order.application_status = order.application_status or application.status
        return jsonify(order_view(order, locale(), expect_webhooks=expect_webhooks))

    @app.get("/orders/<order_id>/status")
    def order_status(order_id: str) -> Any:
        order = orders.get(order_id) or abort(404)
        if order.application_id is not None and not order.webhooks:
            # No webhook yet (or no endpoint configured, as demo-academy's
            # sandbox): ask the gateway; webhooks take over once they arrive.
            order.application_status = sdk.applications.retrieve(order.application_id).status
        return jsonify(order_view(order, locale(), expect_webhooks=expect_webhooks))

    @app.post("/webhooks/instalments")
    def webhook() -> Any:
        if config.webhook_secret is None:
            return jsonify(error="no webhook secret configured"), 503
        try:
            event = instalments.webhooks.verify(
                request.get_data(), dict(request.headers), config.webhook_secret
            )
        except instalments.WebhookVerificationError:
            return jsonify(error="invalid signature"), 400
        if isinstance(event, instalments.webhooks.ApplicationEvent):
            application = event.data.object
            orders.record_webhook(
                application.id,
                {
                    "id": event.id,
                    "type": event.type,
                    "sequence": event.sequence,
                    "status": application.status,
                },
            )
        return "", 204

    return app
