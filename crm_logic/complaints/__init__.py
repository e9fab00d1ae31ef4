"""Complaint statistics: where complaints come from, how fast they are handled, what they cost.

Everything works on the canonical `complaints` table alone (a service team's export); what
also needs orders (rate per 100 orders, tenure from the first purchase, churn from buying
behaviour) takes them as optional inputs and says so when they are missing.

Definitions (all relative to `as_of`; complaints received after it do not exist yet):
- status_code: "resolved" | "in_progress" | "open". A complaint with a resolved_date on or
  before as_of is resolved. A resolved_date after as_of means it was not resolved yet on
  as_of ("in_progress" if the status text says so, else "open"). Without a resolved_date the
  status text decides (rule table + catch-all in `status_code_expr`): a status word saying
  resolved/closed makes it resolved with *days unknown*; unknown words count as open (a
  complaint is resolved only on evidence).
- days_to_resolve: resolved_date - received_date in days (null when unknown or negative,
  i.e. a data error).
- sla_breached: resolved with known days: days_to_resolve > sla_days (exactly sla_days is
  within the SLA). Still open: age_days > sla_days (an open complaint older than the SLA is
  already a breach). Resolved with days unknown: null, left out of the SLA rate.
- escalated: the channel names an authority or legal action (`cfg.escalation_channels`).
"""

from __future__ import annotations

from crm_logic.complaints.aggregates import (  # noqa: F401  (the package's names)
    _quantile,
    backlog_by_age,
    complaint_rate_per_100_orders,
    complaint_report,
    customer_kind_mix,
    days_to_resolve_quantiles,
    drill_rows,
    order_counts,
    rates_per_100_orders,
    reasonable_mix,
    repeat_complainers,
    resolution_summary,
    satisfaction_by,
    satisfaction_distribution,
    volume_by,
    volume_by_month,
)
from crm_logic.complaints.export import (  # noqa: F401  (the package's names)
    EXPORT_DERIVED,
    complaints_export_frame,
    json_safe,
)
from crm_logic.complaints.facts import (  # noqa: F401  (the package's names)
    _STATUS_CONTAINS,
    _STATUS_WORDS,
    STATUS_CODES,
    UNKNOWN,
    _escalation_words,
    _first_seen,
    _normalised_status,
    age_bucket_expr,
    backlog_buckets,
    complaint_facts,
    escalated_expr,
    filter_facts,
    received_by,
    status_code_expr,
)
from crm_logic.complaints.vs_churn import (  # noqa: F401  (the package's names)
    CHURN_GROUPS,
    GROUP_DAYS_UNKNOWN,
    _z,
    churned_frame,
    complaints_vs_churn,
    wilson_exprs,
    yearly_revenue,
)
