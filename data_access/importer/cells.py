"""Whole columns of cells parsed at once: each distinct value parsed once, the results spread
back over the rows with numpy. An export repeats the same words, codes and days in every row,
so a 200 000-row column holds a few hundred to a hundred thousand distinct values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from data_access.importer import parse

if TYPE_CHECKING:
    from data_access.importer.reader import RawTable

NAT = np.datetime64("NaT", "us")


class Column:
    """One column's cells, factorized once: `codes[i]` indexes `uniques` (None and "" are
    values too)."""

    def __init__(
        self, values: np.ndarray | None, known: tuple[list[Any], np.ndarray] | None = None
    ) -> None:
        if known is None:
            assert values is not None, "the cells, or their distinct values and codes"
            self.codes, uniques = pd.factorize(values, use_na_sentinel=False)
            self.uniques: list[Any] = list(uniques)
            return
        # Distinct values and codes already known (the reading child's): only the values the
        # rows use, renumbered in order of first appearance as pd.factorize would number them.
        distinct, codes = known
        self.codes, used = pd.factorize(codes)  # integers: hashed far faster than text
        self.uniques = [distinct[i] for i in used.tolist()]

    @classmethod
    def of(cls, table: RawTable, j: int, start: int) -> Column:
        """Column `j` of `table`'s cells from row `start` on, from the factorization the
        reading child sent when there is one."""
        known = table.factorized[j] if table.factorized is not None else None
        if known is None:
            return cls(table.cells[start:, j])
        return cls(None, (known[0], known[1][start:]))

    def map(self, fn: Callable[[Any], Any], dtype: Any = object) -> np.ndarray:
        """`fn` of every cell."""
        out = np.empty(len(self.uniques), dtype=dtype)
        out[:] = [fn(v) for v in self.uniques]
        return out[self.codes]

    def texts(self) -> np.ndarray:
        """`parse.text` of every cell: stripped strings, whole numbers without '.0'."""
        out = np.empty(len(self.uniques), dtype=object)
        out[:] = [v.strip() if type(v) is str else parse.text(v) for v in self.uniques]
        return out[self.codes]

    def parsed(self, fn: Callable[[Any], Any]) -> tuple[np.ndarray, np.ndarray]:
        """`fn` of every cell (None where it raised ValueError) and the error message (None
        where it did not)."""
        results = np.empty(len(self.uniques), dtype=object)
        errors = np.empty(len(self.uniques), dtype=object)
        for i, v in enumerate(self.uniques):
            try:
                results[i], errors[i] = fn(v), None
            except ValueError as exc:
                results[i], errors[i] = None, str(exc)
        return results[self.codes], errors[self.codes]

    def moments(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Date-times (datetime64[us], NaT where empty or wrong), whether each is a bare date
        (known to the day only), and the error message where a cell is not a date."""
        when = np.full(len(self.uniques), NAT)
        bare = np.zeros(len(self.uniques), dtype=bool)
        errors = np.empty(len(self.uniques), dtype=object)
        texts = [v.strip() if type(v) is str else None for v in self.uniques]
        at = [i for i, t in enumerate(texts) if t and len(t) in (10, 16, 19)]
        done = np.zeros(len(self.uniques), dtype=bool)
        if at:
            w, b, ok = _dmy([t for i in at if (t := texts[i])])
            idx = np.asarray(at)[ok]
            when[idx], bare[idx], done[idx] = w[ok], b[ok], True
        for i in np.flatnonzero(~done):
            v = self.uniques[i]
            try:
                found = parse.parse_moment(v)
            except ValueError as exc:
                errors[i] = str(exc)
                continue
            if found is not None:
                when[i], bare[i] = np.datetime64(found[0], "us"), found[1]
        return when[self.codes], bare[self.codes], errors[self.codes]

    def longest(self) -> int:
        """The length of the longest string cell."""
        return max(map(len, (v for v in self.uniques if type(v) is str)), default=0)

    def lengths(self) -> np.ndarray:
        """The length of each string cell (0 for the others)."""
        return self.map(lambda v: len(v) if isinstance(v, str) else 0, np.int64)


def _dmy(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The usual export formats, dd/mm/yyyy, dd/mm/yyyy HH:MM and dd/mm/yyyy HH:MM:SS, read
    character by character with numpy: the date-times, whether each is bare, and which cells
    were read (the others, and impossible dates like 31/02, go to `parse.parse_moment`)."""
    width = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    chars = np.array(texts, dtype="U19").view(np.uint32).reshape(len(texts), 19).astype(np.int64)
    digit = (chars >= 48) & (chars <= 57)
    n = chars - 48

    def number(*at: int) -> np.ndarray:
        out = np.zeros(len(texts), dtype=np.int64)
        for i in at:
            out = out * 10 + n[:, i]
        return out

    ok = digit[:, [0, 1, 3, 4, 6, 7, 8, 9]].all(axis=1) & (chars[:, 2] == 47) & (chars[:, 5] == 47)
    timed = width >= 16
    ok &= ~timed | (
        (chars[:, 10] == 32) & (chars[:, 13] == 58) & digit[:, [11, 12, 14, 15]].all(axis=1)
    )
    seconds = width == 19
    ok &= ~seconds | ((chars[:, 16] == 58) & digit[:, [17, 18]].all(axis=1))
    day, month, year = number(0, 1), number(3, 4), number(6, 7, 8, 9)
    hour = np.where(timed, number(11, 12), 0)
    minute = np.where(timed, number(14, 15), 0)
    second = np.where(seconds, number(17, 18), 0)
    ok &= (month >= 1) & (month <= 12) & (hour <= 23) & (minute <= 59) & (second <= 59)
    first = ((year - 1970) * 12 + np.clip(month, 1, 12) - 1).astype("datetime64[M]")
    days_in_month = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(
        np.int64
    )
    ok &= (day >= 1) & (day <= days_in_month)
    when = first.astype("datetime64[D]").astype("datetime64[us]") + (
        (np.clip(day, 1, 31) - 1) * 86_400 + hour * 3600 + minute * 60 + second
    ).astype("timedelta64[s]")
    return when, ~timed, ok


def combined(*keys: Sequence[Any] | np.ndarray) -> tuple[np.ndarray, list[tuple]]:
    """Codes into the distinct combinations of several equally long arrays, and those
    combinations (each distinct unit code + name + day is looked up once)."""
    parts = [pd.factorize(np.asarray(k, dtype=object), use_na_sentinel=False) for k in keys]
    codes, first = _combine([c for c, _ in parts])
    combos = [tuple(uniques[c[i]] for c, uniques in parts) for i in first]
    return codes, combos


def grouped(*keys: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Codes into the distinct combinations of several equally long arrays."""
    return _combine([pd.factorize(np.asarray(k, dtype=object))[0] for k in keys])[0]


def _combine(codes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    key = np.zeros(len(codes[0]), dtype=np.int64)
    for c in codes:
        key = key * (int(c.max(initial=0)) + 1) + c
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse.reshape(-1), first
