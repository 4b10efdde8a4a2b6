"""The three storefronts: who they are to the gateway and what they sell."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Item:
    """The one thing a storefront sells (a demo needs no catalogue)."""

    sku: str
    name: dict[str, str]
    price: Decimal


@dataclass(frozen=True)
class Storefront:
    """One partner's shop."""

    key: str
    partner_id: str
    scenario: str
    name: dict[str, str]
    port: int
    item: Item


STOREFRONTS: dict[str, Storefront] = {
    "mall": Storefront(
        key="mall",
        partner_id="demo-mall",
        scenario="ecommerce",
        name={"zh-CN": "演示商城", "en": "Demo Mall"},
        port=5055,
        item=Item(
            "headphones-x1",
            {"zh-CN": "降噪耳机 X1", "en": "Noise-cancelling headphones X1"},
            Decimal("3999.00"),
        ),
    ),
    "travel": Storefront(
        key="travel",
        partner_id="demo-travel",
        scenario="travel",
        name={"zh-CN": "演示旅行", "en": "Demo Travel"},
        port=5056,
        item=Item(
            "sanya-5d",
            {"zh-CN": "三亚五日游（两人）", "en": "Sanya, five days for two"},
            Decimal("8600.00"),
        ),
    ),
    "academy": Storefront(
        key="academy",
        partner_id="demo-academy",
        scenario="education",
        name={"zh-CN": "演示学院", "en": "Demo Academy"},
        port=5057,
        item=Item(
            "data-science-spring",
            {"zh-CN": "数据科学课程（春季学期）", "en": "Data science course, spring term"},
            Decimal("12800.00"),
        ),
    ),
}
