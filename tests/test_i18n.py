"""Both languages: every key has English and Chinese, glossary terms are the domain's."""

from __future__ import annotations

import re

from crm_logic.i18n import TEXTS, t

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_key_has_both_languages() -> None:
    for key, pair in TEXTS.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        en, zh = pair
        assert en.strip() and zh.strip(), key


def test_chinese_texts_are_chinese() -> None:
    """A zh text with no Han character is almost always an untranslated copy."""
    untranslated = [k for k, (en, zh) in TEXTS.items()
                    if not HAN.search(zh) and zh == en and len(en) > 3]
    assert untranslated == []


def test_placeholders_match() -> None:
    field = re.compile(r"\{(\w*)")
    for key, (en, zh) in TEXTS.items():
        assert sorted(field.findall(en)) == sorted(field.findall(zh)), key


def test_domain_glossary() -> None:
    """The exact vocabulary of ../shared/domain.md."""
    expected = {
        "tier.platinum": "铂金层", "tier.gold": "黄金层",
        "tier.iron": "钢铁层", "tier.lead": "重铅层",
        "stage.exploration": "考察期", "stage.formation": "形成期",
        "stage.stability": "稳定期", "stage.decline": "退化期",
        "pattern.early_abort": "初期流产型", "pattern.mid_term_abort": "半途夭折型",
        "pattern.early_exit": "提前退出型", "pattern.long_term": "长期保持型",
        "churn_type.active": "积极流失", "churn_type.passive": "被动流失",
        "value_pyramid": "客户价值金字塔", "life_curve": "客户生命曲线",
        "churn_early_warning": "客户流失预警",
    }
    for key, zh in expected.items():
        assert t(key, "zh") == zh


def test_format() -> None:
    assert t("app.data_version", "en", v=3) == "Data version 3"
    assert t("app.data_version", "zh", v=3) == "数据版本 3"
