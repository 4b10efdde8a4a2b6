"""Reason codes: stable, snake_case, with a text in both languages."""

from __future__ import annotations

import re

import pytest

from gateway.prequal.reasons import REASONS, reason


def test_the_policy_catalogue_keeps_its_published_codes() -> None:
    assert set(REASONS) == {
        "fraud_flag", "blacklisted", "current_delinquency", "age_out_of_range",
        "amount_out_of_range", "contact_frequency_cap", "insufficient_income",
        "debt_to_income", "score_below_cutoff", "new_to_bank_limit",
    }  # fmt: skip


def test_every_reason_has_an_english_and_a_chinese_text() -> None:
    for code, entry in REASONS.items():
        assert re.fullmatch(r"[a-z][a-z_]+", code)
        assert entry.en.endswith(".")
        assert re.search(r"[\u4e00-\u9fff]", entry.zh_cn)
        assert entry.message("zh-CN") == entry.zh_cn
        assert entry.message("zh") == entry.zh_cn
        assert entry.message("en-GB") == entry.en


def test_the_debt_to_income_text_says_what_would_help() -> None:
    assert "smaller amount" in reason("debt_to_income").en


def test_an_unknown_code_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        reason("not_a_reason")
