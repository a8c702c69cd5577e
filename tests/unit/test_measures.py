"""Each rollup measure is defined once (data_access/measures.py); the rollup tables, the
period flows and the recipes of the states follow from that one list."""

from __future__ import annotations

from data_access import counts, measures
from data_access.models import rollup_daily, rollup_monthly


def test_a_measure_is_defined_once_and_everything_else_follows() -> None:
    names = [m.name for m in measures.DEFINITIONS]
    assert len(names) == len(set(names))
    assert {m.day for m in measures.DEFINITIONS} <= set(measures.DAYS)
    for table, bucket in ((rollup_daily, "day"), (rollup_monthly, "month")):
        columns = [c.name for c in table.columns]
        assert columns == ["id", "unit_id", "field_id", "procedure_code", "channel", bucket, *names]
    assert tuple(m.name for m in measures.DEFINITIONS if m.flow) == counts.FLOWS
    # Every quantity a rule reads has a recipe, and every recipe reads real measures.
    assert set(counts.RECIPES) == set(counts.QUANTITIES)
    for parts in counts.RECIPES.values():
        assert {measure for _, measure, _ in parts} <= set(names)
    # A state (not a flow) is read only as a running total, never summed over a period.
    states = set(names) - set(counts.FLOWS)
    assert states == {"finished", "paused_open", "overdue_start", "overdue_end"}
