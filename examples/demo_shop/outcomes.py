"""What the shop tells its customer about the bank's answer, in the page's language."""

from __future__ import annotations

from typing import Any

from examples.demo_shop.orders import Order

STATUS_TEXT: dict[str, dict[str, str]] = {
    "zh-CN": {
        "submitted": "已提交，银行审核中",
        "under_review": "银行审核中",
        "approved": "银行已批准，订单已确认",
        "declined": "银行未批准，请选择其他支付方式",
        "funded": "银行已放款，订单已完成",
        "cancelled": "申请已取消",
    },
    "en": {
        "submitted": "Submitted; the bank is checking it",
        "under_review": "The bank is checking it",
        "approved": "Approved by the bank; your order is confirmed",
        "declined": "Not approved by the bank; please pay another way",
        "funded": "Paid by the bank; your order is complete",
        "cancelled": "Application cancelled",
    },
}
NOTICE_TEXT = {
    "zh-CN": "银行通知：{status}（#{sequence}）",
    "en": "Bank notice: {status} (#{sequence})",
}


def status_text(status: str | None, lang: str) -> str:
    """The application's status in words (empty before there is one)."""
    if status is None:
        return ""
    return STATUS_TEXT[lang].get(status, status)


def order_view(order: Order, lang: str, *, expect_webhooks: bool) -> dict[str, Any]:
    """The order as the checkout page shows it: statuses in words, and whether to keep polling."""
    view = order.as_json()
    view["status_text"] = status_text(order.application_status, lang)
    view["settled"] = order.settled(expect_webhooks=expect_webhooks)
    view["webhooks"] = [
        hook
        | {
            "text": NOTICE_TEXT[lang].format(
                status=status_text(hook["status"], lang), sequence=hook["sequence"]
            )
        }
        for hook in view["webhooks"]
    ]
    return view
