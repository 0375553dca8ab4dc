"""Interval helpers: sort + sweep, O(n log n + pairs)."""
from __future__ import annotations

import bisect
import heapq
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")


def overlapping_pairs(items: list[tuple[int, int, T]]) -> Iterator[tuple[T, T]]:
    """Yield (earlier, later) for every pair of half-open [start, end) intervals that overlap."""
    active: list[tuple[int, int, T]] = []  # heap by end
    seq = 0
    for start, end, payload in sorted(items, key=lambda x: (x[0], x[1])):
        while active and active[0][0] <= start:
            heapq.heappop(active)
        if end <= start:
            continue  # empty intervals overlap nothing
        for _, _, other in active:
            yield other, payload  # type: ignore[misc]
        heapq.heappush(active, (end, seq, payload))  # type: ignore[arg-type]
        seq += 1


def merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


class Cover:
    """Is [s, e) inside the union of some ranges? Binary search over the merged union."""

    def __init__(self, ranges: list[tuple[int, int]]):
        self.ranges = merge([r for r in ranges if r[1] > r[0]])  # empty ranges cover nothing
        self.starts = [r[0] for r in self.ranges]

    def contains(self, s: int, e: int) -> bool:
        i = bisect.bisect_right(self.starts, s) - 1
        return i >= 0 and self.ranges[i][1] >= e and e > s

    def intersects(self, s: int, e: int) -> bool:
        i = bisect.bisect_left(self.starts, e) - 1
        return i >= 0 and self.ranges[i][1] > s

    def gaps(self, s: int, e: int) -> Iterator[tuple[int, int]]:
        """The parts of [s, e) outside the union, in order, as half-open ranges."""
        i = max(bisect.bisect_right(self.starts, s) - 1, 0)
        for rs, re_ in self.ranges[i:]:
            if rs >= e:
                break
            if re_ <= s:
                continue  # the range s starts in may end before s
            if rs > s:
                yield s, rs
            s = max(s, re_)
        if s < e:
            yield s, e


def first_where(items: list[T], pred: Callable[[T], bool]) -> T | None:
    for x in items:
        if pred(x):
            return x
    return None
