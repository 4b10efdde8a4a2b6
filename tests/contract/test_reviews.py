"""The sandbox review path with the real SDK: refer persona → case → simulated reviewer →
verified ``prequalification.review_completed`` webhook → the new offer accepted."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import httpx
from flask import Flask
from flask.testing import FlaskCliRunner
from instalments import Client, sandbox, types, webhooks

from gateway.config import Settings
from gateway.reviews.simulator import simulate_once
from gateway.webhooks.delivery import deliver_due

from .test_offers import _inquiry_consent
from .test_prequalifications import SCENARIO, consent_for
from .test_webhooks import receiver

DOCS = Path(__file__).parents[2] / "docs"


def doc_block(page: str, marker: str) -> str:
    """The fenced python block of ``docs/<page>`` that contains ``marker``."""
    blocks = re.findall(r"^```python\n(.*?)^```$", (DOCS / page).read_text("utf-8"), re.M | re.S)
    (block,) = [b for b in blocks if marker in b]
    return block


def test_a_referral_is_reviewed_in_the_sandbox_and_its_new_offer_accepted(
    app: Flask, runner: FlaskCliRunner, settings: Settings, gateway_sdk: Client
) -> None:
    issued = runner.invoke(args=["webhooks", "secret", "demo-mall", "--env", "sandbox", "--json"])
    assert issued.exit_code == 0, issued.output
    secret = json.loads(issued.output)["secret"]

    decision = gateway_sdk.prequalifications.create(
        consent_id=consent_for(gateway_sdk, sandbox.REFERRED),
        customer={"phone": sandbox.REFERRED},
        scenario=SCENARIO,
    )
    assert decision.status == "referred" and decision.offers == []
    review = decision.human_review
    assert review is not None and review.status == "open" and review.kind == "referral"
    assert review.due_at is not None and review.due_at - decision.created_at == dt.timedelta(
        hours=4
    )

    database = app.extensions["gateway.db"]
    with app.app_context():  # no waiting: the simulated reviewer takes cases at once here
        (simulated,) = simulate_once(database, issuer="http://localhost", delay=dt.timedelta(0))
    assert simulated.outcome == "approved"

    received: list[Any] = []
    shop = httpx.Client(transport=httpx.WSGITransport(app=receiver(secret, received)))
    with app.app_context():
        report = deliver_due(database, secret_key=settings.secret_key, http=shop)
    assert report.delivered and not report.retrying
    (event,) = [e for e in received if isinstance(e, webhooks.PrequalificationEvent)]
    assert event.type == "prequalification.review_completed"
    reviewed = event.data.object
    assert reviewed.id == decision.id and reviewed.human_review is not None
    assert reviewed.human_review.outcome == "approved" and reviewed.human_review.message
    assert reviewed.offers
    told: list[Any] = []  # docs/webhooks.md's handler, run on the event as delivered
    namespace: dict[str, Any] = {"tell_customer": lambda *args: told.append(args)}
    exec(doc_block("webhooks.md", "review_completed"), namespace)  # noqa: S102 - our own docs
    namespace["on_event"](event)
    assert told and told[0][0] == decision.id and told[0][2] == reviewed.offers

    shown: list[str] = []  # docs/resources.md's example, run against the gateway
    namespace = {"client": gateway_sdk, "decision_id": decision.id, "show": shown.append}
    exec(doc_block("resources.md", "human_review"), namespace)  # noqa: S102 - our own docs
    assert shown == [reviewed.human_review.message] and namespace["choices"]

    current = gateway_sdk.prequalifications.retrieve(decision.id)
    assert current.human_review is not None and current.human_review.status == "decided"
    offer = current.offers[0]
    assert offer.status == "open" and current.decision_token is not None
    # The review signed the decision again, over its new offers.
    pinned = gateway_sdk.offers.verify(offer, decision=current)
    assert (pinned.id, pinned.principal) == (offer.id, offer.principal)
    application = gateway_sdk.offers.accept(
        offer.id,
        decision_token=current.decision_token,
        credit_inquiry_consent_id=_inquiry_consent(gateway_sdk, sandbox.REFERRED),
    )
    assert isinstance(application, types.Application) and application.offer_id == offer.id
