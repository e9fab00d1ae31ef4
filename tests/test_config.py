"""The one config dataclass: frozen, defaults sane, file overrides checked."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from crm_logic.config import CrmConfig, config_fields, load_config


def test_frozen_with_defaults() -> None:
    cfg = CrmConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.sla_days = 3  # type: ignore[misc]
    assert cfg.tier_platinum_share + cfg.tier_gold_share + cfg.tier_iron_share < 1
    assert 0 <= cfg.risk_medium < cfg.risk_high <= 1


def test_every_field_has_a_scalar_default() -> None:
    for f in dataclasses.fields(CrmConfig):
        assert f.default is not dataclasses.MISSING, f.name
        assert isinstance(f.default, int | float | str | bool), f.name


def test_load_json_and_toml(tmp_path: Path) -> None:
    j = tmp_path / "c.json"
    j.write_text(json.dumps({"sla_days": 3}), encoding="utf-8")
    assert load_config(j).sla_days == 3
    tml = tmp_path / "c.toml"
    tml.write_text("horizon_days = 180\n", encoding="utf-8")
    assert load_config(tml).horizon_days == 180
    assert load_config(None) == CrmConfig()


def test_unknown_key_rejected(tmp_path: Path) -> None:
    j = tmp_path / "c.json"
    j.write_text(json.dumps({"sla_dayz": 3}), encoding="utf-8")
    with pytest.raises(ValueError, match="sla_dayz"):
        load_config(j)
    assert "sla_days" in config_fields()
