"""The product's codes, defined once: logic, charts, i18n and the CLI import them from here.

Codes are the values stored in frames and exports (never display labels); each has an i18n
key (`tier.<code>`, `stage.<code>`, `pattern.<code>`, `risk.<code>`, `churn.flag.<code>`,
`churn.action.<code>`) for its text in 中文 and English.
"""

from __future__ import annotations

# value pyramid, highest first
TIERS: tuple[str, ...] = ("platinum", "gold", "iron", "lead")
BIG_TIERS: tuple[str, ...] = ("platinum", "gold")  # the tiers worth a personal win-back

# lifecycle: stages of an active customer, patterns of a lost one
STAGES: tuple[str, ...] = ("exploration", "formation", "stability", "decline")
PATTERNS: tuple[str, ...] = ("early_abort", "mid_term_abort", "early_exit", "long_term")
# a lost relationship older than the data: its life curve cannot be told ("history before
# the data"); every value of lifecycle_pattern is in PATTERN_CODES
UNKNOWN_START = "unknown_start"
PATTERN_CODES: tuple[str, ...] = (*PATTERNS, UNKNOWN_START)

# churn early warning
RISK_LEVELS: tuple[str, ...] = ("high", "medium", "low")
FLAGS: tuple[str, ...] = (
    "inactive",
    "frequency_drop",
    "spend_drop",
    "complaint_open",
    "complaint_late",
    "complaint_repeat",
    "low_p_alive",
    "decline",
)

# recommended actions (one per customer, most urgent rule first; see churn.recommend)
ACTIONS: tuple[str, ...] = (
    "win_back_big",  # platinum/gold at high risk: personal contact, learn why, win back
    "resolve_complaint",  # open, late or repeated complaints: resolve, hear, compensate
    "recover_or_terminate",  # decline stage: analyse causes, invest to recover or stop
    "personal_offer",  # high risk: personal offer before they leave
    "review_value",  # lead tier at high risk: find out why; change or let go
    "care_contact",  # medium risk: service contact, loyalty reward
    "maintain",  # low risk: keep serving, community programme
    "win_back_lost",  # lost platinum/gold: learn why, let them complain, win back
    "learn_why_lost",  # other lost customers: learn the reason; win back only if worth it
)

# action center (crm_logic.actions): one action per analysed customer from the rule table;
# i18n keys `action.<code>` (name) and `action.<code>.what` (what to do)
ACTION_CENTER: tuple[str, ...] = (
    "resolve_complaint",  # an open complaint: resolve it first, hear the customer
    "win_back_lost",  # lost platinum/gold: learn why, let them complain, win them back
    "learn_why_lost",  # other lost customers: learn the reason
    "win_back_big",  # platinum/gold at high churn risk: personal contact before they leave
    "recover",  # decline, worth keeping: analyse the causes, invest to restore
    "let_go",  # decline, little value: stop investing
    "develop",  # exploration: new-customer development, turn trial into relationship
    "enhance",  # formation: relationship enhancement, raise the customer's value
    "reward_loyal",  # stability x platinum/gold: personalised reward
    "community",  # stability, other tiers: community programme, reward suggestions
    "maintain",  # catch-all: keep serving
)

UNKNOWN = "unknown"  # "not recorded" (churn reason/type, tier, pattern, category)

__all__ = [
    "ACTION_CENTER", "ACTIONS", "BIG_TIERS", "FLAGS", "PATTERNS", "PATTERN_CODES",
    "RISK_LEVELS", "STAGES", "TIERS", "UNKNOWN", "UNKNOWN_START",
]
