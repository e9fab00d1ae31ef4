"""Editable code cells (the action rules) shown in the page language and read back as codes."""

from __future__ import annotations

import polars as pl

from crm_logic import actions
from ui.tables import cells_to_codes, cells_to_labels, coded_cells


def test_rule_cells_round_trip_in_chinese() -> None:
    cells = coded_cells(actions.CODES, "zh")
    rules = pl.DataFrame({"action": ["win_back_big"], "stage": ["*"], "tier": ["platinum,gold"],
                          "risk": ["high"], "complaint": ["*"], "lost": ["no"]})
    shown = cells_to_labels(rules, cells)
    assert shown.row(0) == ("win_back_big", "*", "铂金层,黄金层", "高", "*", "否")
    assert cells_to_codes(shown, cells).equals(rules)
    typed = shown.with_columns(pl.lit("gold,铂金层").alias("tier"), pl.lit("Yes").alias("lost"))
    back = cells_to_codes(typed, cells)
    assert back.row(0)[2] == "gold,platinum" and back.row(0)[5] == "yes"
