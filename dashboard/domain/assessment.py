"""The period's assessment (nhận xét, đánh giá) in plain administrative Vietnamese (pure).

Made from templates over figures the dashboard already computed: no network, no model, the
same figures give the same words. Each section appears only where it applies; `Facts` holds
everything it reads, so a test can write the figures by hand and read the sentences back.
"""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.domain.assessment_facts import Facts, Section
from dashboard.domain.assessment_sections import (
    explanation_section,
    merged_note,
    movement_section,
    problem_section,
    runs_section,
    score_section,
    target_section,
    totals_section,
)
from dashboard.domain.rules import states


def assess(f: Facts) -> list[Section]:
    """The sections that apply to these figures, in the order a report reads them."""
    sections = [
        totals_section(f),
        target_section(f),
        movement_section(f),
        problem_section(f) if states(f.counts)["handled"] else None,
        runs_section(f),
        explanation_section(f),
        score_section(f),
    ]
    notes = [n for n in (*f.notes, merged_note(f)) if n]
    if notes:
        sections.append(Section("Ghi chú", tuple(notes)))
    return [s for s in sections if s is not None]


def as_text(sections: Sequence[Section]) -> str:
    """Numbered plain text (the CLI, the README example)."""
    parts = []
    for i, s in enumerate(sections, 1):
        parts.append(f"{i}. {s.title}")
        parts.extend(f"   {p}" for p in s.paragraphs)
    return "\n".join(parts)
