"""Hard lifecycle cases in the synthetic sample (issue 17): what real data holds and the
plain life curves do not.

- `before_data`: relationships older than the data (stability, decline, early exit,
  long-term customers whose first purchase lies before the window): the data opens on their
  plateau. A lost one's pattern cannot be told ("unknown_start"), except a long-term one
  whose observed plateau alone is long enough.
- `spike`: a stable customer with one big one-off order.
- `seasonal`: a stable customer who buys only in November and December, every year.
- `annual`: a stable customer who buys once a year, in the same month.
- `retrial`: an early abort who comes back after a long silence for a new trial (active,
  in exploration).

Drawn from their own random stream (seed, 17), so the plain customers stay as they were.
"""

from __future__ import annotations

import numpy as np

PLAIN, BEFORE_DATA, SPIKE, SEASONAL, ANNUAL, RETRIAL = range(6)
CASES: tuple[str, ...] = ("plain", "before_data", "spike", "seasonal", "annual", "retrial")
EA, MA, EX, LT, EXPL, FORM, STAB, DECL = range(8)  # the groups of `sample`
RETRIAL_MIN_SILENCE = 450  # days between an early abort's last trial and its return


def pick(rng: np.random.Generator, g: np.ndarray) -> np.ndarray:
    """The hard case of each customer (PLAIN for most)."""
    u = rng.random(len(g))
    case = np.full(len(g), PLAIN, dtype=np.int64)
    older = np.isin(g, [EX, LT, STAB, DECL])
    case[older & (u < 0.12)] = BEFORE_DATA
    stab = g == STAB
    case[stab & (u >= 0.12) & (u < 0.18)] = SPIKE
    case[stab & (u >= 0.18) & (u < 0.22)] = SEASONAL
    case[stab & (u >= 0.22) & (u < 0.26)] = ANNUAL
    case[(g == EA) & (u < 0.12)] = RETRIAL
    return case


def shift_before_data(rng: np.random.Generator, ph: dict[str, np.ndarray], g: np.ndarray,
                      case: np.ndarray, n_months: int) -> None:
    """Move `before_data` customers' acquisition before the window (negative grid month):
    the window opens 0-2 months into their plateau. Active ones keep their plateau (and
    decline) running to the end; long-term ones keep at least 15 observed plateau months."""
    m = case == BEFORE_DATA
    k = ph["rise"] + rng.integers(0, 3, len(g))  # months of the relationship before the data
    active = m & np.isin(g, [STAB, DECL])
    tail = ph["decline"] + ph["lapse"]
    ph["plateau"] = np.where(active, n_months - 1 + k - ph["rise"] - tail, ph["plateau"])
    ph["plateau"] = np.where(m & (g == LT), np.maximum(ph["plateau"], 15 + (k - ph["rise"])),
                             ph["plateau"])
    ph["span"] = ph["rise"] + ph["plateau"] + ph["decline"]
    # lost ones end no later than before (their plateau ends `k` months earlier)
    ph["acq"] = np.where(m, -np.maximum(k, 1), ph["acq"])


def settle_rhythm(rng: np.random.Generator, ph: dict[str, np.ndarray], case: np.ndarray,
                  n_months: int) -> None:
    """Seasonal and annual buyers start within the window's first eight months (three or more
    seasons or anniversaries seen) and keep their plateau to the end."""
    m = np.isin(case, [SEASONAL, ANNUAL])
    acq = rng.integers(0, 8, len(case))
    ph["acq"] = np.where(m, acq, ph["acq"])
    ph["plateau"] = np.where(m, n_months - 1 - acq - ph["rise"], ph["plateau"])
    ph["decline"] = np.where(m, 0, ph["decline"])
    ph["lapse"] = np.where(m, 0, ph["lapse"])
    ph["span"] = ph["rise"] + ph["plateau"] + ph["decline"]


def rhythm_counts(counts: np.ndarray, case: np.ndarray, t: np.ndarray,
                  month_of_year: np.ndarray) -> np.ndarray:
    """Seasonal buyers: one or two occasions in November and December only; annual buyers:
    one occasion a year in the month of their first purchase (from their start on)."""
    out = counts.copy()
    seasonal = case == SEASONAL
    started = t >= 1  # after the trial month (where the curve, and so the spend, is zero)
    season = np.isin(month_of_year, [10, 11])[None, :]
    out[seasonal] = np.where(season & started[seasonal], np.maximum(counts[seasonal], 1), 0)
    annual = case == ANNUAL
    anniversary = (t % 12 == 0) & (t >= 12)  # the first purchase is the trial order
    out[annual] = np.where(anniversary[annual], 1, 0)
    return out


def spike_occasions(rng: np.random.Generator, case: np.ndarray, ph: dict[str, np.ndarray],
                    lo: np.ndarray, hi: np.ndarray, basket: np.ndarray, n_months: int
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(customer, day, basket) of one big extra order in a plateau month of each spike case."""
    c = np.flatnonzero(case == SPIKE)
    first_plateau = np.clip(ph["acq"][c] + ph["rise"][c] + 1, 0, n_months - 2)
    month = np.minimum(first_plateau + rng.integers(1, 4, len(c)), n_months - 2)
    day = lo[month] + (rng.random(len(c)) * (hi[month] - lo[month] + 1)).astype(np.int64)
    return c, day, basket[c] * rng.uniform(6.0, 10.0, len(c))


def retrial_occasions(rng: np.random.Generator, case: np.ndarray, last_trial: np.ndarray,
                      end_day: int, basket: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(customer, day, basket) of each returning early abort's new trial order within the
    last 60 days, and the mask of customers who returned (a long enough silence only)."""
    day = end_day - rng.integers(5, 60, len(case))
    back = (case == RETRIAL) & (day - last_trial >= RETRIAL_MIN_SILENCE)
    c = np.flatnonzero(back)
    return c, day[c], basket[c] * rng.uniform(0.2, 0.45, len(c)), back
