"""The review and model pages' words exist in both languages, with the same placeholders."""

from __future__ import annotations

import string

from gateway.ops import i18n_risk


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_word_of_the_risk_pages_is_in_zh_cn_with_the_same_placeholders() -> None:
    assert set(i18n_risk.EN) == set(i18n_risk.ZH)
    for key, text in i18n_risk.EN.items():
        assert _fields(text) == _fields(i18n_risk.ZH[key]), key
