"""curl and Python SDK snippets for every operation (``x-codeSamples`` in the OpenAPI document).

The curl line is built from the operation: its method, path (ids filled in),
required query parameters, bearer token or client authentication, an
``Idempotency-Key`` on POSTs and the generated request example. The Python
line is the SDK call that wraps the operation; operations the SDK performs for
you (tokens) or that only the browser widget calls say so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from gateway.api.examples import parameter_example

BASE = "https://gateway.example"
_CLIENT = (
    "import instalments\n\n"
    "client = instalments.Client()  # INSTALMENTS_CLIENT_ID, _SECRET, _BASE_URL\n"
)
_ID = "4bS7x9Q2mZ8rT1vK5nW3yL6p"

#: The SDK call of each operation, after ``client = instalments.Client()``.
SDK_CALLS: dict[str, str] = {
    "applications_list_applications": (
        'for application in client.applications.list(status="funded", limit=100):\n'
        "    print(application.id, application.funded_amount)  # every page, newest first"
    ),
    "applications_read_application": f'application = client.applications.retrieve("app_{_ID}")',
    "applications_cancel_application": (
        f'application = client.applications.cancel("app_{_ID}", reason="order cancelled")'
    ),
    "applications_list_refunds": (
        f'for refund in client.applications.list_refunds("app_{_ID}"):\n'
        "    print(refund.refund_id, refund.amount)"
    ),
    "applications_create_refund": (
        "from decimal import Decimal\n\n"
        f'refund = client.applications.refund("app_{_ID}", refund_id="refund-1001",\n'
        '                                     amount=Decimal("999.00"), reason="returned")'
    ),
    "widget_create_checkout_session": (
        "session = client.checkout_sessions.create(\n"
        '    amount="3999.00", currency="CNY", scenario="ecommerce",\n'
        '    allowed_origin="https://shop.example", merchant_order_ref="order-1001",\n'
        ")"
    ),
    "consent_list_notices": 'for notice in client.consent_notices.list(locale="zh-CN").data:\n'
    "    print(notice.purpose, notice.version, notice.hash)",
    "consent_get_notice": (
        'notice = client.consent_notices.retrieve("prequalification", locale="zh-CN")'
    ),
    "consent_create_consents": (
        "from datetime import UTC, datetime\n\n"
        "created = client.consents.create(\n"
        '    customer={"phone": "+8613800000001"},\n'
        '    grants=[{"purpose": "prequalification", "granted": True,\n'
        '             "notice_version": notice.version}],\n'
        '    evidence={"captured_at": datetime.now(UTC), "channel": "web", "locale": "zh-CN"},\n'
        ")"
    ),
    "consent_get_consent": f'consent = client.consents.retrieve("cns_{_ID}")',
    "consent_revoke_consent": (
        f'consent = client.consents.revoke("cns_{_ID}", reason="customer asked")'
    ),
    "funnel_create_event": (
        "from datetime import UTC, datetime\n\n"
        'client.events.create(id="evt-1001", type="offer_displayed",\n'
        f'                     offer_id="off_{_ID}", occurred_at=datetime.now(UTC))'
    ),
    "offers_read_offer": f'offer = client.offers.retrieve("off_{_ID}")',
    "offers_accept_offer": (
        "application = client.offers.accept(\n"
        "    offer.id, decision_token=decision.decision_token,\n"
        f'    credit_inquiry_consent_id="cns_{_ID}",\n'
        ")"
    ),
    "prequal_create_prequalification": (
        "from decimal import Decimal\n\n"
        "decision = client.prequalifications.create(\n"
        f'    consent_id="cns_{_ID}",\n'
        '    customer={"phone": "+8613800000001"},\n'
        '    scenario={"type": "ecommerce", "amount": Decimal("3999.00"), "currency": "CNY"},\n'
        ")"
    ),
    "prequal_list_prequalifications": (
        'for decision in client.prequalifications.list(merchant_order_ref="order-1001"):\n'
        "    print(decision.id, decision.status)"
    ),
    "prequal_get_prequalification": (f'decision = client.prequalifications.retrieve("pq_{_ID}")'),
    "prequal_request_human_review": (
        f'decision = client.prequalifications.request_human_review("pq_{_ID}")'
    ),
    "prequal_list_products": (
        "from decimal import Decimal\n\n"
        'products = client.products.list(amount=Decimal("3999.00"), currency="CNY")'
    ),
    "settlement_get_settlement": (
        "from datetime import date\n\n"
        "settlement = client.settlements.retrieve(date=date(2026, 11, 21))\n"
        "print(settlement.totals.net, len(settlement.lines))"
    ),
    "webhooks_test_webhook_endpoint": (
        "result = client.webhook_endpoints.test()  # sandbox only\n"
        "print(result.delivered, result.status_code, result.error)"
    ),
    "webhooks_list_webhook_events": (
        'for event in client.webhook_events.list(status="dead"):\n'
        "    print(event.id, event.type, event.last_error)"
    ),
    "webhooks_get_webhook_event": f'event = client.webhook_events.retrieve("evt_{_ID}")',
    "oauth_token": (
        "client = instalments.Client(client_id=..., client_secret=...)\n"
        "# The SDK asks for tokens, caches them and refreshes them before they expire."
    ),
}

_NOT_IN_SDK = {
    "widget": "# Called by the widget script in the customer's browser, not by your server.",
    "oauth": "# The SDK authenticates for you; call this endpoint only from other HTTP clients.",
    "keys": "# The SDK fetches the JWKS itself: client.offers.verify_token(token).",
    "outcomes": "# Called by the bank's loan system (an internal client), not by partners.",
}


def python_snippet(operation_id: str) -> str:
    """The Python SDK snippet of an operation."""
    call = SDK_CALLS.get(operation_id)
    if call is None:
        prefix = operation_id.split("_", 1)[0]
        return _NOT_IN_SDK.get(prefix, "# Not wrapped by the SDK.")
    if operation_id == "oauth_token":
        return "import instalments\n\n" + call
    lines = call.split("\n")
    imports = []
    while lines and (lines[0].startswith("from ") or not lines[0]):
        imports.append(lines.pop(0))
    head = "\n".join(line for line in imports if line)
    return (head + "\n" if head else "") + _CLIENT + "\n" + "\n".join(lines)


def curl_snippet(
    method: str, path: str, op: Mapping[str, Any], components: Mapping[str, Any]
) -> str:
    """A curl command for an operation, with its example body."""
    url = re.sub(
        r"\{([a-z_]+)\}",
        lambda m: str(parameter_example(m.group(1), {"type": "string"}, components)),
        path,
    )
    query = [
        f"{p['name']}={parameter_example(p['name'], p.get('schema', {}), components)}"
        for p in op.get("parameters", [])
        if p.get("in") == "query" and (p.get("required") or p["name"] in ("limit", "amount"))
    ]
    if query:
        url += "?" + "&".join(query)
    lines = [f"curl -s {'-X ' + method + ' ' if method not in ('GET',) else ''}'{BASE}{url}'"]
    if path == "/oauth/token":
        return (
            f'curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials '
            f"'{BASE}/oauth/token'"
        )
    if path.startswith("/oauth/"):
        return f'curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d token="$ACCESS_TOKEN" \'{BASE}{path}\''
    if op.get("security"):
        lines.append('-H "Authorization: Bearer $ACCESS_TOKEN"')
    elif path.startswith("/widget/v1/sessions"):
        lines.append('-H "Authorization: Bearer $CLIENT_TOKEN"')
    if method == "POST" and any(p.get("name") == "Idempotency-Key" for p in op["parameters"]):
        lines.append('-H "Idempotency-Key: $(uuidgen)"')
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    if content is not None:
        lines.append('-H "Content-Type: application/json"')
        body = json.dumps(content.get("example", {}), ensure_ascii=False)
        lines.append("-d '" + body.replace("'", "'\\''") + "'")
    elif method == "POST":
        lines.append("-H \"Content-Type: application/json\" -d '{}'")
    return " \\\n  ".join(lines)


def add_code_samples(spec: dict[str, Any]) -> None:
    """Put curl and Python samples on every operation (``x-codeSamples``, in place)."""
    components = spec.get("components", {}).get("schemas", {})
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            op["x-codeSamples"] = [
                {
                    "lang": "Shell",
                    "label": "curl",
                    "source": curl_snippet(method.upper(), path, op, components),
                },
                {
                    "lang": "Python",
                    "label": "Python SDK",
                    "source": python_snippet(op["operationId"]),
                },
            ]
