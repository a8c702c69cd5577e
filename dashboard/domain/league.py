"""League ranking (pure): competition ranking, units without data last and unranked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Ranked:
    """A unit's place: rank None when it has no value; movement = previous rank − rank."""

    unit_id: int
    value: float | None
    rank: int | None
    previous_rank: int | None
    movement: int | None


def competition_ranks(
    values: Mapping[int, float | None], higher_is_better: bool = True, digits: int = 9
) -> dict[int, int | None]:
    """1, 2, 2, 4 ranking; values equal after rounding to `digits` tie; None is unranked."""
    present = {u: round(v, digits) for u, v in values.items() if v is not None}
    ordered = sorted(present.values(), reverse=higher_is_better)
    first_place: dict[float, int] = {}
    for i, v in enumerate(ordered):
        first_place.setdefault(v, i + 1)
    return {u: (first_place[present[u]] if u in present else None) for u in values}


def _movement(rank: int | None, previous: int | None) -> int | None:
    return None if rank is None or previous is None else previous - rank


def rank_units(
    values: Mapping[int, float | None],
    previous: Mapping[int, float | None],
    higher_is_better: bool,
    tie_order: Sequence[int],
) -> list[Ranked]:
    """Rank `values`, compare with the previous period's ranks; order by rank, then `tie_order`
    (e.g. units sorted by Vietnamese name), units without data last."""
    now = competition_ranks(values, higher_is_better)
    before = competition_ranks(previous, higher_is_better)
    position = {u: i for i, u in enumerate(tie_order)}
    rows = [
        Ranked(u, values[u], now[u], before.get(u), _movement(now[u], before.get(u)))
        for u in values
    ]
    return sorted(
        rows,
        key=lambda r: (r.rank is None, r.rank or 0, position.get(r.unit_id, len(position))),
    )
