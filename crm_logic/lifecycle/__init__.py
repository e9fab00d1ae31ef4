"""Customer lifecycle: volume series, stage per period, end of relationship, life-curve pattern.

The domain (../shared/domain.md, source 001) describes a relationship as four stages:
exploration (trial orders), formation (volume rising), stability (a plateau near the
customer's own peak) and decline (volume well below the peak, staying there). The curve of
volume over relationship time is the customer's life curve; lost customers are classified by
the stage the relationship reached before it ended: early abort (exploration), mid-term abort
(formation), early exit (short stability), long-term (long stability).

Everything is vectorised (Polars, and NumPy for per-period sums and the running peak) over a
dense (customer, period) series sorted by customer and period, read from the one
purchase-occasion table (`crm_logic.occasions`); no Python loop per customer. All rules and
thresholds come from `CrmConfig`:

1. Volume per period: net revenue (or the number of purchase occasions, `lifecycle_volume`).
   Purchase occasions follow the project's one rule (`crm_logic.occasions`): a customer's
   calendar day with at least one line with amount >= 0 is one occasion; a day of refunds
   only lowers revenue but is no purchase. Revenue per day is the day's net amount.
2. Smoothing: centred mean (periods before the first purchase count as zero), window
   `smoothing_months`, widened to cover `smoothing_gap_multiple` typical gaps of the customer
   (capped at `smoothing_max_months`), so a customer who buys every two months is not seen
   rising and falling between purchases.
3. Peak: the running maximum of the smoothed volume (the customer's own peak so far).
4. Exploration: the first period, and every period while the customer has made at most
   `exploration_max_occasions` purchase occasions.
5. Rising: the peak grew by more than `rise_min_growth` within the last `rise_months`.
6. Plateau: not exploration, smoothed volume >= `stability_peak_share` x peak and not rising.
   Stability starts with a plateau lasting at least `stability_min_months` and lasts (through
   small dips) until a decline.
7. Decline: smoothed volume < `decline_peak_share` x peak for at least `decline_min_months`.
8. Formation: past exploration, neither stability nor decline.
9. End of the relationship: the recorded `churn_date` (when on or before as_of and not
   followed by a purchase), else no purchase for longer than max(`churn_gap_floor_days`,
   `churn_gap_multiple` x the customer's median gap between purchase occasions); a churn
   found from inactivity is dated at the last purchase. A lost customer's series ends in
   the period of the last purchase; an active customer's runs to the last complete period
   before as_of (or the period of the last purchase, if later). A series starts in the
   period of the first purchase: refund-only days outside it have no period of their own
   (they still count in the customer's total revenue).
10. Pattern of a lost customer by the highest stage reached: exploration -> early_abort,
    formation -> mid_term_abort, stability shorter than `long_term_min_months` ->
    early_exit, else long_term. Active customers have no pattern.

Stages are labelled with hindsight up to as_of: a plateau or decline run counts from its
first period once it has lasted long enough, so the latest periods can change as data comes.
Durations are in months whatever the period (week, month, quarter): `months_to_periods`.
"""

from __future__ import annotations

from crm_logic.lifecycle.days import _occasions, purchase_occasions
from crm_logic.lifecycle.lost import _recorded_churn_of, relationship_ends
from crm_logic.lifecycle.notes import lifecycle_notes, observable_window
from crm_logic.lifecycle.patterns import (
    _history,
    _lifecycle,
    customer_lifecycle,
    customers_from_series,
    frames_from_series,
    lifecycle_frames,
    lifecycle_series,
    stage_history,
)
from crm_logic.lifecycle.periods import (
    CONFIG_FIELDS,
    HISTORY_EXTRA,
    LIFECYCLE_SCHEMA,
    PATTERN_CODES,
    PATTERNS,
    PERIOD_DAYS,
    PERIODS,
    PERIODS_PER_MONTH,
    RULE_FIELDS,
    SERIES_FIELDS,
    SERIES_SCHEMA,
    STAGES,
    UNKNOWN_START,
    VOLUMES,
    months_to_periods,
    period_index,
    period_start,
)
from crm_logic.lifecycle.relationships import (
    _prepare,
    current_ends,
    current_relationships,
    volume_series,
)
from crm_logic.lifecycle.series import (
    _at_customer_start,
    _dense,
    _per_customer_cum_sum,
    _running_peak,
    _smoothed,
)
from crm_logic.lifecycle.stages import _run_any, _run_id, _run_len, _with_stages
from crm_logic.lifecycle.summaries import (
    cohort_retention,
    filter_lifecycle,
    life_curves,
    lifecycle_counts,
    pattern_summary,
    stage_mix,
    stage_periods,
    stage_transitions,
)

__all__ = [
    "CONFIG_FIELDS", "RULE_FIELDS", "SERIES_FIELDS", "customers_from_series",
    "frames_from_series", "lifecycle_series",
    "HISTORY_EXTRA", "LIFECYCLE_SCHEMA", "PATTERNS", "PATTERN_CODES", "UNKNOWN_START",
    "current_ends", "current_relationships", "lifecycle_notes", "observable_window",
    "PERIODS", "PERIODS_PER_MONTH",
    "PERIOD_DAYS", "SERIES_SCHEMA", "STAGES", "VOLUMES", "_at_customer_start",
    "_dense", "_history", "_lifecycle", "_occasions",
    "_per_customer_cum_sum", "_prepare", "_recorded_churn_of", "_run_any", "_run_id",
    "_run_len", "_running_peak", "_smoothed", "_with_stages", "cohort_retention",
    "customer_lifecycle", "filter_lifecycle", "life_curves", "lifecycle_counts",
    "lifecycle_frames", "months_to_periods", "pattern_summary", "period_index",
    "period_start", "purchase_occasions", "relationship_ends", "stage_history",
    "stage_mix", "stage_periods", "stage_transitions", "volume_series",
]
