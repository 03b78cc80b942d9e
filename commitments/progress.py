"""Means of progress that say what they average.

A mean of progress is only worth quoting with its base: how many of the group have a
progress figure at all ("100% · 1 of 15 measured"). A mean over fewer than a third of its
group is thin, and is marked as such wherever it is shown. A framework's own progress
is shown beside the progress rolled up from its commitments, weighted equally unless
weights are set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

# A mean over fewer than this share of its group is marked as thin.
THIN_BELOW = 1 / 3


@dataclass(frozen=True)
class Mean:
    value: float | None  # None when nothing in the group is measured
    measured: int  # how many have a progress figure
    total: int  # how many are in the group
    weighted: bool = False  # some weights were set (framework roll-ups)

    @property
    def thin(self) -> bool:
        return self.value is not None and self.measured < THIN_BELOW * self.total

    @property
    def rounded(self) -> int | None:
        return round(self.value) if self.value is not None else None

    @property
    def base(self) -> str:
        return ngettext(
            "%(measured)s of %(total)s measured", "%(measured)s of %(total)s measured", self.total
        ) % {"measured": self.measured, "total": self.total}

    def __str__(self) -> str:
        """As a reader can quote it: "40% · 2 of 5 measured", with the thin mark."""
        if self.value is None:
            if not self.total:
                return gettext("nothing to measure")
            return gettext("no progress measured (%(base)s)") % {"base": self.base}
        text = f"{self.rounded}% · {self.base}"
        if self.thin:
            return gettext("%(text)s (thin: under a third measured)") % {"text": text}
        return text

    def as_dict(self) -> dict:
        return {
            "mean_progress": round(self.value, 1) if self.value is not None else None,
            "progress_measured": self.measured,
            "total": self.total,
            "thin": self.thin,
        }


def mean(progress_sum: float | None, measured: int, total: int) -> Mean:
    """The mean of `measured` progress figures that add up to `progress_sum`."""
    value = (progress_sum or 0) / measured if measured else None
    return Mean(value=value, measured=measured, total=total)


def rolled_up(children: Iterable[tuple[int | None, int | None]]) -> Mean:
    """A framework's progress from its commitments' (progress, weight) pairs: the mean of
    the measured ones, each counted by its weight (1 when not set)."""
    rows = list(children)
    measured = [(p, w or 1) for p, w in rows if p is not None]
    weighted = any(w is not None for _, w in rows)
    if not measured:
        return Mean(value=None, measured=0, total=len(rows), weighted=weighted)
    value = sum(p * w for p, w in measured) / sum(w for _, w in measured)
    return Mean(value=value, measured=len(measured), total=len(rows), weighted=weighted)
