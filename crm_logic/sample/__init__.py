"""A realistic, seeded synthetic CRM data set (`python -m crm_logic sample` / `load-sample`).

Every customer gets a life curve from the domain (../shared/domain.md): churned customers follow
one of the four patterns (early abort, mid-term abort, early exit, long-term), active ones sit in
one of the four stages at `end_date`. The curve drives a monthly expected number of purchase
occasions and their basket size; occasions become order lines with products, refunds, margins.
Complaints, interactions and churn records follow the causes the domain names (a bad first
order ends a trial; unresolved or late complaints precede churn; long-term customers refer).

Everything is vectorised with NumPy over (customer, month) grids and flat event arrays; the only
Python loops run over groups, categories or templates. Deterministic for a seed.

A package (it outgrew one module) with one module per concern: `tables` (the fixed tables
drawn from), `draws` (vectorised draws, dates, ids, the month grid), `curves` (groups and life
curves), `orders`, `customers`, `contacts` (complaints and interactions) and `build`
(`generate`, `write_sample`, `load_sample`). Every public name is importable from here, as
before the split.
"""

from __future__ import annotations

from crm_logic.sample.build import generate, load_sample, summary, write_sample
from crm_logic.sample.tables import (
    CATALOGUE,
    CHURN_RECORD_SHARE,
    DECL,
    EA,
    EX,
    EXPL,
    FORM,
    GROUP_SHARES,
    GROUPS,
    INACTIVE_MONTHS,
    LAPSING_SHARE,
    LT,
    MA,
    MARGIN_MISSING_SHARE,
    PATTERNS,
    REFUND_SHARE,
    STAB,
    STAGES,
)

__all__ = [
    "CATALOGUE", "CHURN_RECORD_SHARE", "DECL", "EA", "EX", "EXPL", "FORM", "GROUP_SHARES",
    "GROUPS", "INACTIVE_MONTHS", "LAPSING_SHARE", "LT", "MA", "MARGIN_MISSING_SHARE",
    "PATTERNS", "REFUND_SHARE", "STAB", "STAGES", "generate", "load_sample", "summary",
    "write_sample",
]
