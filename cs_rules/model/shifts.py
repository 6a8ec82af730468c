"""Shift windows (RULEBOOK §1b): which night shift a raw punch belongs to.

Plain arrays in, plain arrays out, so the engine's grid, the attendance record and the month
checks group punches the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

NIGHT_BEFORE, NIGHT_AFTER = 4 * 3600, 6 * 3600  # a night shift's punch window (RULEBOOK §1b)


def night_rows(pos: np.ndarray, t: np.ndarray, ei: np.ndarray, dd: np.ndarray, night: np.ndarray,
               starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """For each punch (employee index ``pos``, ``t`` seconds from the month's first midnight), the
    grid row of the night shift whose window holds it, −1 for none (RULEBOOK §1b).

    A window runs from 4 h before the shift's start to 6 h after its end, or to half way to the
    next day's shift start when that is nearer, so a morning punch is the night's sign-out or the
    day's sign-in by whichever it is nearer. Grid rows run by employee, then day, so one search
    finds each punch's window. The attendance record uses it too, to show a night's punches on it.
    """
    import numpy as np

    out = np.full(len(pos), -1, dtype="int64")
    w = np.flatnonzero(night)
    if not len(w) or not len(pos):
        return out
    big = 64 * 86400
    lo = ei[w] * big + dd[w] * 86400 + starts[w] - NIGHT_BEFORE + 86400
    after = np.full(len(w), float(NIGHT_AFTER))
    nxt = np.minimum(w + 1, len(ei) - 1)
    follows = (w + 1 < len(ei)) & (ei[nxt] == ei[w]) & (dd[nxt] == dd[w] + 1)
    gap = (86400 + starts[nxt] - ends[w])[follows]
    after[follows] = np.minimum(after[follows], np.floor(gap / 2))
    hi = ei[w] * big + dd[w] * 86400 + ends[w] + after + 86400
    p_key = pos * big + (t + 86400)  # +1 day: the last night of the month before is ≥ 0
    k = np.searchsorted(lo, p_key, side="right") - 1
    inside = (pos >= 0) & (k >= 0) & (p_key <= hi[np.maximum(k, 0)])
    out[inside] = w[k[inside]]
    return out
