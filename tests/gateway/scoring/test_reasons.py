"""Reason codes: stable, with zh-CN and English texts, for every served feature."""

from __future__ import annotations

from pathlib import Path

from gateway.scoring.artefact import bundled_version, find_artefacts, load_artefact
from gateway.scoring.reasons import FEATURE_REASONS, REASONS, reason_for_feature, reason_text


def test_every_code_has_an_english_and_a_chinese_text() -> None:
    for code, reason in REASONS.items():
        assert reason.code == code
        assert reason.en and reason.zh_cn
        assert any("\u4e00" <= ch <= "\u9fff" for ch in reason.zh_cn)


def test_every_mapped_feature_has_a_known_code() -> None:
    assert set(FEATURE_REASONS.values()) <= set(REASONS)
    assert reason_for_feature("never_heard_of") == "other_risk_factors"


def test_the_bundled_model_reports_its_factors_under_known_codes() -> None:
    artefact = load_artefact(find_artefacts(Path("/nonexistent"))[bundled_version()])
    for feature in artefact["features"]:
        assert feature["reason"] in REASONS


def test_texts_follow_the_locale() -> None:
    assert reason_text("high_utilisation", "zh-CN").startswith("您")
    assert reason_text("high_utilisation", "en").startswith("Your")
    assert reason_text("no_such_code", "en") == REASONS["other_risk_factors"].en
